"""API shapes of retail sales. Input serializers only resolve ids and types; the service checks the rules."""

from rest_framework import serializers

from modules.catalog.models import Item, Unit
from modules.inventory.models import Location, Warehouse
from modules.partners.models import Partner
from modules.sales.enums import PaymentMethod
from modules.sales.models import RetailSale, RetailSaleLine
from modules.sales.services import SaleLineInput


class SaleLineInputSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    # Strings (or JSON numbers), parsed by the service so every bad number gets the same error.
    quantity = serializers.CharField(help_text="In `unit`; > 0. Up to 6 decimal places.")
    unit_price = serializers.CharField(
        required=False, allow_null=True, allow_blank=True,
        help_text="Per `unit`, tax-inclusive; default the item's sale price.",
    )  # fmt: skip
    discount = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="An amount off the line."
    )


class RetailSaleCreateSerializer(serializers.Serializer):
    warehouse = serializers.PrimaryKeyRelatedField(
        queryset=Warehouse.objects.all(), required=False, allow_null=True, help_text="Default: the main warehouse."
    )
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    customer = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), required=False, allow_null=True, help_text="A customer; none: walk-in."
    )
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    tendered = serializers.CharField(
        required=False, allow_null=True, allow_blank=True,
        help_text="Cash only: the amount handed over, at least the total. Default: the total.",
    )  # fmt: skip
    lines = SaleLineInputSerializer(many=True)

    def service_values(self) -> dict:
        values = dict(self.validated_data)
        values["lines"] = [
            SaleLineInput(
                item=line["item"],
                unit=line["unit"],
                quantity=line["quantity"],
                unit_price=line.get("unit_price"),
                discount=line.get("discount"),
            )
            for line in values["lines"]
        ]
        return values


class RetailSaleLineSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = RetailSaleLine
        fields = [
            "position", "item", "item_code", "item_name", "unit", "unit_name", "quantity", "base_quantity",
            "unit_price", "discount", "amount",
        ]  # fmt: skip
        read_only_fields = fields


class RetailSaleSerializer(serializers.ModelSerializer):
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True, allow_null=True, default=None)
    reversal = serializers.IntegerField(
        source="reversal.id", read_only=True, allow_null=True, default=None, help_text="The refund of this sale."
    )

    class Meta:
        model = RetailSale
        fields = [
            "id", "number", "date", "posted_at", "warehouse", "warehouse_code", "location", "customer",
            "customer_name", "payment_method", "total", "tendered", "change", "reverses", "reversal", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class RetailSaleDetailSerializer(RetailSaleSerializer):
    lines = RetailSaleLineSerializer(many=True, read_only=True)

    class Meta(RetailSaleSerializer.Meta):
        fields = [*RetailSaleSerializer.Meta.fields, "lines"]
        read_only_fields = fields
