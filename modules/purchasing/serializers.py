"""API shapes of purchase orders. Input serializers only resolve ids and types; the service checks the rules."""

from rest_framework import serializers

from modules.catalog.models import Item, Unit
from modules.inventory.models import Location, Warehouse
from modules.partners.models import Partner
from modules.purchasing.models import PurchaseOrder, PurchaseOrderLine, PurchaseReceipt
from modules.purchasing.services import OrderLineInput, ReceiveLineInput


class OrderLineInputSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        help_text="Any of the item's units; default its base unit.",
    )
    # Strings (or JSON numbers), parsed by the service so every bad number gets the same error.
    quantity = serializers.CharField(help_text="In `unit`; > 0. Up to 6 decimal places.")
    unit_price = serializers.CharField(help_text="Per `unit`; with VAT when the order's prices include VAT.")
    discount_percent = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text="0–100.")
    vat_rate = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="E.g. 0.13; default the item's."
    )

    def to_input(self, line: dict) -> OrderLineInput:
        return OrderLineInput(
            item=line["item"],
            unit=line.get("unit"),
            quantity=line["quantity"],
            unit_price=line["unit_price"],
            discount_percent=line.get("discount_percent"),
            vat_rate=line.get("vat_rate"),
        )


class OrderWriteSerializer(serializers.Serializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    date = serializers.DateField()
    expected_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    lines = OrderLineInputSerializer(many=True)

    def service_values(self) -> dict:
        values = dict(self.validated_data)
        if "lines" in values:
            values["lines"] = [OrderLineInputSerializer().to_input(line) for line in values["lines"]]
        return values


class ReceiveLineInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The order line's id.")
    quantity = serializers.CharField(help_text="In the order line's unit; at most what is outstanding.")
    lot_code = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    expiry_date = serializers.DateField(required=False, allow_null=True)


class ReceiveSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    lines = ReceiveLineInputSerializer(many=True)

    def service_values(self) -> dict:
        values = self.validated_data
        return {
            "on": values.get("date"),
            "location": values.get("location"),
            "lines": [
                ReceiveLineInput(
                    line_id=line["line"],
                    quantity=line["quantity"],
                    lot_code=line.get("lot_code", ""),
                    expiry_date=line.get("expiry_date"),
                )
                for line in values["lines"]
            ],
        }


class OrderLineSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    outstanding_quantity = serializers.DecimalField(
        source="outstanding", max_digits=20, decimal_places=6, read_only=True
    )

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id",
            "position",
            "item",
            "item_code",
            "item_name",
            "unit",
            "unit_name",
            "quantity",
            "base_quantity",
            "unit_price",
            "discount_percent",
            "vat_rate",
            "net",
            "tax",
            "gross",
            "received_quantity",
            "outstanding_quantity",
        ]
        read_only_fields = fields


class ReceiptSerializer(serializers.ModelSerializer):
    class Meta:
        model = PurchaseReceipt
        fields = ["id", "number", "date", "posted_at", "location"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "number",
            "status",
            "supplier",
            "supplier_name",
            "warehouse",
            "warehouse_code",
            "date",
            "expected_date",
            "note",
            "prices_include_vat",
            "total_net",
            "total_tax",
            "total_gross",
            "created_at",
        ]
        read_only_fields = fields


class OrderDetailSerializer(OrderSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)
    receipts = ReceiptSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "lines", "receipts"]
        read_only_fields = fields
