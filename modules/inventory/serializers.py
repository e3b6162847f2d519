from rest_framework import serializers

from modules.inventory.models import CostingMethod, Location, LocationKind, Warehouse


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


class StockOnHandSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item_id")
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    unit = serializers.CharField(source="item.base_unit.name")
    warehouse = serializers.IntegerField(source="warehouse_id")
    warehouse_code = serializers.CharField(source="warehouse.code")
    location = serializers.IntegerField(source="location_id", allow_null=True)
    location_code = serializers.CharField(source="location.code", allow_null=True, default=None)
    lot = serializers.IntegerField(source="lot_id", allow_null=True)
    lot_code = serializers.CharField(source="lot.code", allow_null=True, default=None)
    on_hand = serializers.DecimalField(max_digits=20, decimal_places=6)
    reserved = serializers.DecimalField(max_digits=20, decimal_places=6)
    available = serializers.DecimalField(max_digits=20, decimal_places=6)
    value = serializers.DecimalField(max_digits=20, decimal_places=2)


class InventorySettingsSerializer(serializers.Serializer):
    allow_negative_stock = serializers.BooleanField(required=False)
    costing_method = serializers.ChoiceField(choices=CostingMethod.choices, required=False)
