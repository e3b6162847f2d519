from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from modules.inventory.models import CostingMethod, Location, LocationKind, Warehouse
from modules.inventory.sources import source_label


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
    average_cost = serializers.DecimalField(max_digits=20, decimal_places=6, help_text="The item's pool, all places.")


class InventorySettingsSerializer(serializers.Serializer):
    allow_negative_stock = serializers.BooleanField(required=False)
    costing_method = serializers.ChoiceField(choices=CostingMethod.choices, required=False)


class StockBySupplierSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item_id")
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    unit = serializers.CharField(source="item.base_unit.name")
    supplier_item_code = serializers.CharField()
    last_purchase_price = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    on_hand = serializers.DecimalField(max_digits=20, decimal_places=6)
    reserved = serializers.DecimalField(max_digits=20, decimal_places=6)
    available = serializers.DecimalField(max_digits=20, decimal_places=6)
    value = serializers.DecimalField(max_digits=20, decimal_places=2)
    average_cost = serializers.DecimalField(max_digits=20, decimal_places=6)


class StockLotSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item_id")
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    unit = serializers.CharField(source="item.base_unit.name")
    warehouse = serializers.IntegerField(source="warehouse_id")
    warehouse_code = serializers.CharField(source="warehouse.code")
    location = serializers.IntegerField(source="location_id", allow_null=True)
    location_code = serializers.CharField(source="location.code", allow_null=True, default=None)
    lot = serializers.IntegerField(source="lot_id")
    lot_code = serializers.CharField(source="lot.code")
    expiry_date = serializers.DateField(source="lot.expiry_date", allow_null=True)
    days_to_expiry = serializers.IntegerField(allow_null=True, help_text="Negative once expired.")
    expiry_status = serializers.ChoiceField(
        choices=["expired", "expiring", "ok", ""],
        help_text='"expired", "expiring" (within expiring_within_days, default 30), "ok", or "" without a date.',
    )
    on_hand = serializers.DecimalField(max_digits=20, decimal_places=6)
    reserved = serializers.DecimalField(max_digits=20, decimal_places=6)
    available = serializers.DecimalField(max_digits=20, decimal_places=6)
    value = serializers.DecimalField(max_digits=20, decimal_places=2)


class StockAsOfSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item_id")
    item_code = serializers.CharField()
    item_name = serializers.CharField()
    unit = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=20, decimal_places=6)
    value = serializers.DecimalField(max_digits=20, decimal_places=2)
    average_cost = serializers.DecimalField(max_digits=20, decimal_places=6)


class ItemMoveSerializer(serializers.Serializer):
    """One move of an item's history; `date` is the posting date in the shop's time zone."""

    id = serializers.IntegerField()
    posted_at = serializers.DateTimeField()
    date = serializers.SerializerMethodField()
    source_type = serializers.CharField()
    source_label = serializers.SerializerMethodField()
    source_id = serializers.IntegerField()
    reference = serializers.CharField()
    warehouse = serializers.IntegerField(source="warehouse_id")
    warehouse_code = serializers.CharField(source="warehouse.code")
    location = serializers.IntegerField(source="location_id", allow_null=True)
    location_code = serializers.CharField(source="location.code", allow_null=True, default=None)
    lot = serializers.IntegerField(source="lot_id", allow_null=True)
    lot_code = serializers.CharField(source="lot.code", allow_null=True, default=None)
    quantity_in = serializers.SerializerMethodField()
    quantity_out = serializers.SerializerMethodField()
    unit_cost = serializers.DecimalField(max_digits=20, decimal_places=6)
    value = serializers.DecimalField(max_digits=20, decimal_places=2)
    balance_quantity = serializers.DecimalField(max_digits=20, decimal_places=6, help_text="The item, all places.")
    balance_value = serializers.DecimalField(max_digits=20, decimal_places=2, help_text="The item, all places.")
    warehouse_balance = serializers.DecimalField(
        max_digits=20,
        decimal_places=6,
        allow_null=True,
        default=None,
        help_text="The quantity in the filtered warehouse after this move (null without a warehouse filter).",
    )

    @extend_schema_field(serializers.DateField())
    def get_date(self, move) -> str:
        return move.posted_at.astimezone(self.context["tz"]).date().isoformat()

    def get_source_label(self, move) -> str:
        return source_label(move.source_type)

    @extend_schema_field(serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True))
    def get_quantity_in(self, move) -> str | None:
        return _decimal(move.quantity) if move.quantity > 0 else None

    @extend_schema_field(serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True))
    def get_quantity_out(self, move) -> str | None:
        return _decimal(-move.quantity) if move.quantity < 0 else None


_QUANTITY = serializers.DecimalField(max_digits=20, decimal_places=6)


def _decimal(value) -> str:
    return _QUANTITY.to_representation(value)
