from rest_framework import serializers

from modules.inventory.models import Location, LocationKind, Warehouse


class WarehouseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Warehouse
        fields = ["id", "code", "name", "address", "is_active", "is_default"]
        read_only_fields = ["id", "is_default"]


class LocationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=LocationKind.choices, required=False)
    depth = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Location
        fields = ["id", "code", "name", "kind", "parent", "depth"]
        read_only_fields = ["id"]
        extra_kwargs = {"parent": {"required": False, "allow_null": True}}
