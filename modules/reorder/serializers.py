"""API shapes of reorder rules and low-stock lines. Input serializers check types; the services check the rules."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from modules.reorder.domain import Severity
from modules.reorder.models import ReorderRule


def _QTY(**kwargs):  # noqa: N802 - reads as a field type
    return serializers.DecimalField(max_digits=20, decimal_places=6, **kwargs)


def _quantity(**kwargs):
    # Wide enough to let the service say what is wrong (too many places, too large) naming the field.
    return serializers.DecimalField(max_digits=30, decimal_places=10, coerce_to_string=True, **kwargs)


class ReorderRuleSerializer(serializers.ModelSerializer):
    item_id = serializers.IntegerField(read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit = serializers.CharField(source="item.base_unit.name", read_only=True, help_text="The item's base unit.")
    warehouse_id = serializers.IntegerField(read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    preferred_supplier_id = serializers.IntegerField(read_only=True, allow_null=True)
    preferred_supplier_code = serializers.CharField(
        source="preferred_supplier.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ReorderRule
        fields = [
            "id",
            "item_id",
            "item_code",
            "item_name",
            "unit",
            "warehouse_id",
            "warehouse_code",
            "minimum",
            "reorder_point",
            "maximum",
            "preferred_supplier_id",
            "preferred_supplier_code",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _NoUnknownFields(serializers.Serializer):
    """Refuses fields it does not know, so a misspelt or fixed field is an error rather than silently ignored."""

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {})) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({unknown[0]: [_("This field cannot be set here.")]})
        return attrs


class ReorderRuleInputSerializer(_NoUnknownFields):
    item_id = serializers.IntegerField()
    warehouse_id = serializers.IntegerField()
    minimum = _quantity(help_text="Safety stock (安全库存), in the item's base unit.")
    reorder_point = _quantity(help_text="再订货点: at or below it the item is low. minimum ≤ reorder_point < maximum.")
    maximum = _quantity(help_text="Order up to this quantity.")
    preferred_supplier_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="Null: the item's only or most recently updated supplier."
    )
    is_active = serializers.BooleanField(required=False)


class ReorderRuleUpdateSerializer(_NoUnknownFields):
    minimum = _quantity(required=False)
    reorder_point = _quantity(required=False)
    maximum = _quantity(required=False)
    preferred_supplier_id = serializers.IntegerField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)


class LowStockLineSerializer(serializers.Serializer):
    """One low item × warehouse, live (`low-stock`) or as stored in the snapshot. Quantities in base units."""

    rule_id = serializers.IntegerField(allow_null=True)
    item_id = serializers.IntegerField()
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    unit = serializers.CharField(source="item.base_unit.name")
    warehouse_id = serializers.IntegerField()
    warehouse_code = serializers.CharField(source="warehouse.code")
    available = serializers.DecimalField(max_digits=20, decimal_places=6, help_text="On hand minus reserved.")
    minimum = serializers.DecimalField(max_digits=20, decimal_places=6)
    reorder_point = serializers.DecimalField(max_digits=20, decimal_places=6)
    maximum = serializers.DecimalField(max_digits=20, decimal_places=6)
    severity = serializers.ChoiceField(choices=Severity.choices)
    suggested_quantity = serializers.DecimalField(
        max_digits=20, decimal_places=6, help_text="Up to the maximum, rounded up to whole purchase units."
    )
    purchase_unit = serializers.CharField(help_text="The item's largest unit (箱), or empty: none.")
    purchase_unit_factor = serializers.DecimalField(max_digits=18, decimal_places=6, allow_null=True)
    suggested_purchase_units = serializers.DecimalField(max_digits=20, decimal_places=0, allow_null=True)
    supplier_id = serializers.IntegerField(allow_null=True)
    supplier_code = serializers.CharField(source="supplier.code", allow_null=True, default=None)
    supplier_name = serializers.CharField(source="supplier.name", allow_null=True, default=None)
    supplier_preferred = serializers.BooleanField(help_text="False: the item's default supplier.")
    last_price = serializers.DecimalField(
        max_digits=20, decimal_places=6, allow_null=True, help_text="The supplier's last price per base unit."
    )
    estimated_amount = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)


class LowStockSnapshotSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField(allow_null=True, help_text="Null until the first computation.")
    line_count = serializers.IntegerField()
    item_count = serializers.IntegerField()
    below_minimum_count = serializers.IntegerField()
    count = serializers.IntegerField(help_text="Lines matching the filters.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = LowStockLineSerializer(many=True)


class SuggestionSerializer(serializers.Serializer):
    """One replenishment suggestion: the inputs, the formula's steps, what to order and why."""

    key = serializers.CharField(help_text="item_id-warehouse_id")
    rule_id = serializers.IntegerField()
    item_id = serializers.IntegerField()
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    unit = serializers.CharField(source="item.base_unit.name", help_text="The base unit of every quantity here.")
    warehouse_id = serializers.IntegerField()
    warehouse_code = serializers.CharField(source="warehouse.code")
    minimum = _QTY()
    reorder_point = _QTY()
    maximum = _QTY()
    on_hand = _QTY()
    on_order = _QTY(help_text="Outstanding on confirmed and partially received purchase orders.")
    on_draft = _QTY(help_text="On draft purchase orders: not counted in the position.")
    reserved = _QTY(help_text="Held by open sales orders.")
    sold = _QTY(help_text="Net sales over the window (returns deducted).")
    window_days = serializers.IntegerField()
    daily_sales = _QTY(source="plan.daily_sales")
    lead_time_days = serializers.IntegerField(source="lead_days")
    review_days = serializers.IntegerField()
    position = _QTY(source="plan.position", help_text="on_hand + on_order − reserved")
    trigger = _QTY(source="plan.trigger", help_text="max(reorder_point, minimum + daily_sales × lead time)")
    target = _QTY(source="plan.target", help_text="max(maximum, minimum + daily_sales × (lead time + review))")
    suggested_quantity = _QTY(source="plan.quantity", help_text="Base units, rounded up to whole purchase units.")
    supplier_id = serializers.IntegerField(source="supplier.pk", allow_null=True, default=None)
    supplier_code = serializers.CharField(source="supplier.code", allow_null=True, default=None)
    supplier_name = serializers.CharField(source="supplier.name", allow_null=True, default=None)
    supplier_reason = serializers.CharField(
        source="choice.reason", allow_null=True, default=None, help_text="rule, last_price or only."
    )
    order_unit = serializers.CharField(source="order_unit_name", help_text="The unit the order line will use.")
    order_quantity = _QTY(help_text="In order_unit: what the purchase order line will say.")
    unit_price = _QTY(allow_null=True, help_text="Per order_unit: the supplier's last price (or the item's).")
    price_source = serializers.CharField(help_text="last_price, item or none.")
    estimated_amount = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why, step by step.")


ACCEPTED_LINE_FIELDS = ("item_id", "warehouse_id", "quantity", "supplier_id")


class AcceptedLineSerializer(serializers.Serializer):
    # Values are checked by the service, whose messages name the line (lines.N.field).
    item_id = serializers.JSONField(required=False)
    warehouse_id = serializers.JSONField(required=False)
    quantity = serializers.JSONField(
        required=False, help_text="In the supplier's purchase unit when it has one (whole units), else base units."
    )
    supplier_id = serializers.JSONField(required=False, allow_null=True, help_text="Absent or null: the suggested one.")


class SuggestionOrdersInputSerializer(_NoUnknownFields):
    lines = AcceptedLineSerializer(many=True, allow_empty=True)
    window_days = serializers.IntegerField(required=False, allow_null=True, help_text="Recorded with the batch.")


class CreatedOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    supplier_id = serializers.IntegerField()
    supplier_code = serializers.CharField(source="supplier.code")
    warehouse_id = serializers.IntegerField()
    warehouse_code = serializers.CharField(source="warehouse.code")
    expected_date = serializers.DateField(allow_null=True)
    total_gross = serializers.DecimalField(max_digits=14, decimal_places=2)


class SuggestionOrdersSerializer(serializers.Serializer):
    batch_id = serializers.IntegerField(source="batch.pk")
    created = serializers.BooleanField(help_text="False: this token's orders were created before.")
    orders = CreatedOrderSerializer(many=True)
