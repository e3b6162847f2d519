"""API shapes of purchase orders. Input serializers only resolve ids and types; the service checks the rules."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from modules.catalog.models import Item, Unit
from modules.inventory.models import Location, Warehouse
from modules.partners.models import Partner
from modules.purchasing.enums import PaymentMethod
from modules.purchasing.models import (
    PurchaseBill,
    PurchaseBillLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePayment,
    PurchasePaymentAllocation,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseReturn,
    PurchaseReturnLine,
)
from modules.purchasing.selectors import order_glance
from modules.purchasing.services import (
    AllocationInput,
    BillLineInput,
    OrderLineInput,
    ReceiptReturnLineInput,
    ReceiveLineInput,
    ReturnLineInput,
)


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
    reversed_by = serializers.IntegerField(read_only=True, source="reversed_by.pk", default=None)

    class Meta:
        model = PurchaseReceipt
        fields = ["id", "number", "date", "posted_at", "location", "reverses", "reversed_by"]
        read_only_fields = fields


class ReceiptLineSerializer(serializers.ModelSerializer):
    order_line = serializers.IntegerField(source="order_line_id", read_only=True)
    item = serializers.IntegerField(source="order_line.item_id", read_only=True)
    item_code = serializers.CharField(source="order_line.item.code", read_only=True)
    unit_name = serializers.CharField(source="order_line.unit.name", read_only=True)
    lot_code = serializers.CharField(source="lot.code", read_only=True, default="")

    class Meta:
        model = PurchaseReceiptLine
        fields = [
            "id", "order_line", "item", "item_code", "unit_name", "quantity", "base_quantity", "unit_cost",
            "lot_code", "billed_quantity", "returned_quantity",
        ]  # fmt: skip
        read_only_fields = fields


class ReceiptDetailSerializer(ReceiptSerializer):
    order = serializers.IntegerField(source="order_id", read_only=True)
    lines = ReceiptLineSerializer(many=True, read_only=True)

    class Meta(ReceiptSerializer.Meta):
        fields = [*ReceiptSerializer.Meta.fields, "order", "lines"]
        read_only_fields = fields


class GlanceSerializer(serializers.Serializer):
    stage = serializers.CharField()
    ordered_quantity = serializers.DecimalField(max_digits=20, decimal_places=6)
    received_quantity = serializers.DecimalField(max_digits=20, decimal_places=6)
    billed_quantity = serializers.DecimalField(max_digits=20, decimal_places=6)
    returned_quantity = serializers.DecimalField(max_digits=20, decimal_places=6)
    ordered_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    received_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    billed_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    returned_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    open_amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class OrderSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    glance = serializers.SerializerMethodField()

    @extend_schema_field(GlanceSerializer)
    def get_glance(self, order) -> dict:
        return GlanceSerializer(order_glance(order)).data

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
            "glance",
            "created_at",
        ]
        read_only_fields = fields


class OrderDetailSerializer(OrderSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)
    receipts = ReceiptSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "lines", "receipts"]
        read_only_fields = fields


# --- Bills, payments, returns -------------------------------------------------------------------------


class BillLineInputSerializer(serializers.Serializer):
    receipt_line = serializers.IntegerField(help_text="The receipt line's id (a standing receipt of the order).")
    quantity = serializers.CharField(help_text="In the order line's unit; at most what is received and not billed.")
    unit_price = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="Per that unit; default the order's price."
    )
    vat_rate = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class BillWriteSerializer(serializers.Serializer):
    order = serializers.PrimaryKeyRelatedField(queryset=PurchaseOrder.objects.all())
    date = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")
    invoice_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    lines = BillLineInputSerializer(many=True)

    def service_values(self) -> dict:
        values = self.validated_data
        return {
            "order": values["order"],
            "on": values.get("date"),
            "invoice_number": values["invoice_number"],
            "note": values["note"],
            "lines": [
                BillLineInput(line["receipt_line"], line["quantity"], line.get("unit_price"), line.get("vat_rate"))
                for line in values["lines"]
            ],
        }


class BillLineSerializer(serializers.ModelSerializer):
    receipt = serializers.CharField(source="receipt_line.receipt.number", read_only=True)
    item_code = serializers.CharField(source="receipt_line.order_line.item.code", read_only=True)
    unit_name = serializers.CharField(source="receipt_line.order_line.unit.name", read_only=True)
    quantity_difference = serializers.DecimalField(max_digits=20, decimal_places=6, read_only=True)
    price_difference = serializers.DecimalField(max_digits=20, decimal_places=6, read_only=True)

    class Meta:
        model = PurchaseBillLine
        fields = [
            "id", "position", "receipt_line", "receipt", "item_code", "unit_name", "quantity", "unit_price",
            "vat_rate", "net", "tax", "gross", "open_quantity", "order_price", "quantity_difference",
            "price_difference",
        ]  # fmt: skip
        read_only_fields = fields


class BillSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    order_number = serializers.CharField(source="order.number", read_only=True)
    open_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    reversed_by = serializers.IntegerField(read_only=True, source="reversed_by.pk", default=None)

    class Meta:
        model = PurchaseBill
        fields = [
            "id", "number", "supplier", "supplier_name", "order", "order_number", "date", "invoice_number", "note",
            "prices_include_vat", "total_net", "total_tax", "total_gross", "paid_amount", "open_amount",
            "has_differences", "price_difference", "reverses", "reversed_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class BillDetailSerializer(BillSerializer):
    lines = BillLineSerializer(many=True, read_only=True)

    class Meta(BillSerializer.Meta):
        fields = [*BillSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class AllocationInputSerializer(serializers.Serializer):
    bill = serializers.IntegerField(help_text="A standing bill of the supplier.")
    amount = serializers.CharField(help_text="> 0, at most what is open on the bill.")


class PaymentWriteSerializer(serializers.Serializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    date = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")
    method = serializers.CharField(help_text=", ".join(PaymentMethod.values))
    account = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    allocations = AllocationInputSerializer(many=True)

    def service_values(self) -> dict:
        values = self.validated_data
        return {
            "supplier": values["supplier"],
            "on": values.get("date"),
            "method": values["method"],
            "account": values["account"],
            "note": values["note"],
            "allocations": [AllocationInput(entry["bill"], entry["amount"]) for entry in values["allocations"]],
        }


class AllocationSerializer(serializers.ModelSerializer):
    bill_number = serializers.CharField(source="bill.number", read_only=True)

    class Meta:
        model = PurchasePaymentAllocation
        fields = ["bill", "bill_number", "amount"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    reversed_by = serializers.IntegerField(read_only=True, source="reversed_by.pk", default=None)
    allocations = AllocationSerializer(many=True, read_only=True)

    class Meta:
        model = PurchasePayment
        fields = [
            "id", "number", "supplier", "supplier_name", "date", "method", "account", "amount", "note",
            "reverses", "reversed_by", "allocations", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class ReturnLineInputSerializer(serializers.Serializer):
    """From a receipt: `receipt_line` and `quantity`. Free-standing: `item`, `unit`, `quantity`,
    `unit_price`, `vat_rate`, `lot_code`."""

    receipt_line = serializers.IntegerField(required=False)
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all(), required=False, allow_null=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    quantity = serializers.CharField()
    unit_price = serializers.CharField(required=False, allow_blank=True, default="")
    vat_rate = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    lot_code = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)


class ReturnWriteSerializer(serializers.Serializer):
    receipt = serializers.PrimaryKeyRelatedField(
        queryset=PurchaseReceipt.objects.all(), required=False, allow_null=True, help_text="Return from this receipt."
    )
    supplier = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), required=False, allow_null=True, help_text="A free-standing return."
    )
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all(), required=False, allow_null=True)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    date = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    lines = ReturnLineInputSerializer(many=True)

    def validate(self, data):
        if data.get("receipt") is None and data.get("supplier") is None:
            raise serializers.ValidationError(
                {"receipt": [_("Give a receipt, or a supplier for a free-standing return.")]}
            )
        if data.get("receipt") is not None:
            for index, line in enumerate(data["lines"]):
                if line.get("receipt_line") is None:
                    raise serializers.ValidationError({f"lines.{index}.receipt_line": [_("This field is required.")]})
        return data

    def service_values(self) -> tuple[str, dict]:
        values = self.validated_data
        common = {"on": values.get("date"), "note": values["note"]}
        if values.get("receipt") is not None:
            lines = [ReceiptReturnLineInput(line["receipt_line"], line["quantity"]) for line in values["lines"]]
            return "receipt", {**common, "receipt": values["receipt"], "lines": lines}
        lines = [
            ReturnLineInput(
                line.get("item"),
                line.get("unit"),
                line["quantity"],
                line["unit_price"],
                line.get("vat_rate"),
                line["lot_code"],
            )
            for line in values["lines"]
        ]
        return "free", {
            **common,
            "supplier": values["supplier"],
            "warehouse": values.get("warehouse"),
            "location": values.get("location"),
            "lines": lines,
        }


class ReturnLineSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    lot_code = serializers.CharField(source="lot.code", read_only=True, default="")

    class Meta:
        model = PurchaseReturnLine
        fields = [
            "id", "position", "receipt_line", "item", "item_code", "unit", "unit_name", "quantity", "base_quantity",
            "unit_price", "vat_rate", "net", "tax", "gross", "lot_code", "unit_cost",
        ]  # fmt: skip
        read_only_fields = fields


class ReturnSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    reversed_by = serializers.IntegerField(read_only=True, source="reversed_by.pk", default=None)

    class Meta:
        model = PurchaseReturn
        fields = [
            "id", "number", "supplier", "supplier_name", "order", "receipt", "warehouse", "location", "date",
            "posted_at", "note", "prices_include_vat", "total_net", "total_tax", "total_gross", "reverses",
            "reversed_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class ReturnDetailSerializer(ReturnSerializer):
    lines = ReturnLineSerializer(many=True, read_only=True)

    class Meta(ReturnSerializer.Meta):
        fields = [*ReturnSerializer.Meta.fields, "lines"]
        read_only_fields = fields
