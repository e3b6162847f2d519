"""API shapes of retail sales and sales documents. Input serializers only resolve ids and types; the
service checks the rules."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from modules.catalog.models import Item, Unit
from modules.inventory.models import Location, Lot, Warehouse
from modules.partners.models import Partner
from modules.sales.enums import PaymentMethod, Progress, ReceiptMethod
from modules.sales.models import (
    RetailSale,
    RetailSaleLine,
    SalesDelivery,
    SalesDeliveryLine,
    SalesInvoice,
    SalesInvoiceLine,
    SalesOrder,
    SalesOrderLine,
    SalesReceipt,
    SalesReceiptAllocation,
    SalesReturn,
    SalesReturnLine,
)
from modules.sales.selectors import order_glance
from modules.sales.services import (
    AllocationInput,
    DeliverLineInput,
    DocumentLineInput,
    OrderLineInput,
    SaleLineInput,
)

User = get_user_model()


class SaleLineInputSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    # Strings (or JSON numbers), parsed by the service so every bad number gets the same error.
    quantity = serializers.CharField(help_text="In `unit`; > 0. Up to 6 decimal places.")
    unit_price = serializers.CharField(
        required=False, allow_null=True, allow_blank=True,
        help_text="Per `unit`, tax-inclusive; default the pricing engine's price for the sale's customer (a walk-in:"
        " the retail list), its rule and reason kept as `price_source` and `price_reason`.",
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
            "unit_price", "price_source", "price_reason", "discount", "amount",
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


# --- Sales documents ----------------------------------------------------------------------------------


class SalesOrderLineInputSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True,
        help_text="Any of the item's units; default its base unit.",
    )  # fmt: skip
    quantity = serializers.CharField(help_text="In `unit`; > 0. Up to 6 decimal places.")
    unit_price = serializers.CharField(
        required=False, allow_null=True, allow_blank=True,
        help_text="Per `unit`; with VAT when the order's prices include VAT. Default: the customer's price on the"
        " order date from the price lists (`price_source` and `price_reason` then say which rule and why).",
    )  # fmt: skip
    price_source = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=64,
        help_text='Where the price came from, e.g. "list: Wholesale". Default "manual" (or "item").',
    )  # fmt: skip
    discount_percent = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text="0–100.")
    vat_rate = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="E.g. 0.13; default the item's."
    )

    @staticmethod
    def to_input(line: dict) -> OrderLineInput:
        return OrderLineInput(
            item=line["item"], unit=line.get("unit"), quantity=line["quantity"], unit_price=line.get("unit_price"),
            discount_percent=line.get("discount_percent"), vat_rate=line.get("vat_rate"),
            price_source=line.get("price_source", ""),
        )  # fmt: skip


class SalesOrderWriteSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    salesperson = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    date = serializers.DateField()
    delivery_date = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    prices_include_vat = serializers.BooleanField(required=False, help_text="Default true (含税).")
    quotation = serializers.BooleanField(required=False, default=False, help_text="Make a quotation (BJ…).")
    lines = SalesOrderLineInputSerializer(many=True)

    def service_values(self) -> dict:
        values = dict(self.validated_data)
        if "lines" in values:
            values["lines"] = [SalesOrderLineInputSerializer.to_input(line) for line in values["lines"]]
        return values


class SalesOrderUpdateSerializer(SalesOrderWriteSerializer):
    """Any of the order's fields; `lines`, when given, replaces them all."""

    lines = SalesOrderLineInputSerializer(many=True, required=False)
    quotation = None


class SalesConfirmSerializer(serializers.Serializer):
    override_credit_limit = serializers.BooleanField(
        required=False, default=False,
        help_text="Confirm beyond the customer's credit limit (needs sales.override_credit_limit; not for API keys).",
    )  # fmt: skip


class SalesDeliverLineInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The order line's id.")
    quantity = serializers.CharField(help_text="In the order line's unit; at most what is still to deliver.")
    lot = serializers.PrimaryKeyRelatedField(
        queryset=Lot.objects.all(), required=False, allow_null=True, help_text="Default: first-expiry-first-out."
    )


class SalesDeliverSerializer(serializers.Serializer):
    order = serializers.PrimaryKeyRelatedField(queryset=SalesOrder.objects.all())
    date = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    lines = SalesDeliverLineInputSerializer(many=True)

    def service_values(self) -> dict:
        values = self.validated_data
        return {
            "order": values["order"], "on": values.get("date"), "location": values.get("location"),
            "lines": [DeliverLineInput(line["line"], line["quantity"], line.get("lot")) for line in values["lines"]],
        }  # fmt: skip


class SalesDocumentLineInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The delivery line's id.")
    quantity = serializers.CharField(help_text="In the order line's unit.")


class SalesInvoiceWriteSerializer(serializers.Serializer):
    order = serializers.PrimaryKeyRelatedField(queryset=SalesOrder.objects.all())
    date = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")
    due_date = serializers.DateField(required=False, allow_null=True, help_text="Default: by the payment terms.")
    lines = SalesDocumentLineInputSerializer(many=True)

    def service_values(self) -> dict:
        values = self.validated_data
        return {
            "order": values["order"], "on": values.get("date"), "due_date": values.get("due_date"),
            "lines": [DocumentLineInput(line["line"], line["quantity"]) for line in values["lines"]],
        }  # fmt: skip


class SalesReturnWriteSerializer(serializers.Serializer):
    delivery = serializers.PrimaryKeyRelatedField(queryset=SalesDelivery.objects.all())
    date = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    lines = SalesDocumentLineInputSerializer(many=True)

    def service_values(self) -> dict:
        values = self.validated_data
        return {
            "delivery": values["delivery"], "on": values.get("date"), "reason": values.get("reason", ""),
            "lines": [DocumentLineInput(line["line"], line["quantity"]) for line in values["lines"]],
        }  # fmt: skip


class SalesAllocationInputSerializer(serializers.Serializer):
    invoice = serializers.PrimaryKeyRelatedField(queryset=SalesInvoice.objects.all())
    amount = serializers.CharField(help_text="At most what is open on the invoice.")


class SalesReceiptWriteSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    amount = serializers.CharField(help_text="> 0, two decimal places.")
    method = serializers.ChoiceField(choices=ReceiptMethod.choices)
    date = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")
    reference = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    allocations = SalesAllocationInputSerializer(many=True, required=False, default=list)

    def service_values(self) -> dict:
        values = dict(self.validated_data)
        values["on"] = values.pop("date", None)
        values["allocations"] = [AllocationInput(a["invoice"], a["amount"]) for a in values["allocations"]]
        return values


class SalesReverseSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")


class SalesOrderLineSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    outstanding_quantity = serializers.DecimalField(source="outstanding", max_digits=20, decimal_places=6)

    class Meta:
        model = SalesOrderLine
        fields = [
            "id", "position", "item", "item_code", "item_name", "unit", "unit_name", "quantity", "base_quantity",
            "unit_price", "price_source", "price_reason", "discount_percent", "vat_rate", "net", "tax", "gross",
            "delivered_quantity", "outstanding_quantity", "returned_quantity", "invoiced_quantity",
            "credited_quantity",
        ]  # fmt: skip
        read_only_fields = fields


class SalesGlanceSerializer(serializers.Serializer):
    delivered = serializers.ChoiceField(choices=Progress.choices)
    invoiced = serializers.ChoiceField(choices=Progress.choices)
    received = serializers.ChoiceField(choices=Progress.choices)
    delivered_percent = serializers.IntegerField()
    returned = serializers.DecimalField(max_digits=20, decimal_places=6)
    invoiced_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    received_amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class SalesOrderSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    glance = serializers.SerializerMethodField(help_text="Status at a glance: delivered / invoiced / received.")

    class Meta:
        model = SalesOrder
        fields = [
            "id", "number", "quotation_number", "status", "customer", "customer_name", "warehouse",
            "warehouse_code", "salesperson", "date", "valid_until", "delivery_date", "note", "prices_include_vat",
            "total_net", "total_tax", "total_gross", "credit_override_by", "confirmed_at", "created_at", "glance",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(SalesGlanceSerializer)
    def get_glance(self, order) -> dict:
        return SalesGlanceSerializer(order_glance(order)).data


class SalesDocumentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    date = serializers.DateField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)


class SalesOrderDetailSerializer(SalesOrderSerializer):
    lines = SalesOrderLineSerializer(many=True, read_only=True)
    deliveries = SalesDocumentRefSerializer(many=True, read_only=True)
    invoices = SalesDocumentRefSerializer(many=True, read_only=True)
    returns = SalesDocumentRefSerializer(many=True, read_only=True)

    class Meta(SalesOrderSerializer.Meta):
        fields = [*SalesOrderSerializer.Meta.fields, "lines", "deliveries", "invoices", "returns"]
        read_only_fields = fields


class SalesLineWarningSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="below_cost or beyond_stock.")
    message = serializers.CharField()
    field = serializers.CharField(help_text="The line's field, e.g. lines.0.unit_price.")


class SalesOrderConfirmedSerializer(SalesOrderDetailSerializer):
    warnings = SalesLineWarningSerializer(many=True, read_only=True, help_text="The selling checks that warned.")

    class Meta(SalesOrderDetailSerializer.Meta):
        fields = [*SalesOrderDetailSerializer.Meta.fields, "warnings"]
        read_only_fields = fields


class SalesDeliveryLineSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="order_line.item_id", read_only=True)
    item_code = serializers.CharField(source="order_line.item.code", read_only=True)
    lot_code = serializers.CharField(source="lot.code", read_only=True, allow_null=True, default=None)
    unit_cost = serializers.DecimalField(
        source="move.unit_cost", max_digits=20, decimal_places=6, read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = SalesDeliveryLine
        fields = [
            "id", "order_line", "item", "item_code", "quantity", "base_quantity", "lot", "lot_code", "unit_cost",
            "invoiced_quantity", "returned_quantity", "credited_quantity",
        ]  # fmt: skip
        read_only_fields = fields


class SalesDeliverySerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    reversal = serializers.IntegerField(source="reversal.id", read_only=True, allow_null=True, default=None)

    class Meta:
        model = SalesDelivery
        fields = ["id", "number", "order", "order_number", "date", "posted_at", "location", "reverses", "reversal"]
        read_only_fields = fields


class SalesDeliveryDetailSerializer(SalesDeliverySerializer):
    lines = SalesDeliveryLineSerializer(many=True, read_only=True)

    class Meta(SalesDeliverySerializer.Meta):
        fields = [*SalesDeliverySerializer.Meta.fields, "lines"]
        read_only_fields = fields


class SalesInvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SalesInvoiceLine
        fields = ["id", "delivery_line", "quantity", "net", "tax", "gross"]
        read_only_fields = fields


class SalesAllocationSerializer(serializers.ModelSerializer):
    receipt_number = serializers.CharField(source="receipt.number", read_only=True)
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)

    class Meta:
        model = SalesReceiptAllocation
        fields = ["receipt", "receipt_number", "invoice", "invoice_number", "amount"]
        read_only_fields = fields


class SalesInvoiceSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    order_number = serializers.CharField(source="order.number", read_only=True)
    open_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    reversal = serializers.IntegerField(source="reversal.id", read_only=True, allow_null=True, default=None)

    class Meta:
        model = SalesInvoice
        fields = [
            "id", "number", "customer", "customer_name", "order", "order_number", "date", "due_date", "total_net",
            "total_tax", "total_gross", "paid_amount", "open_amount", "reverses", "reversal",
        ]  # fmt: skip
        read_only_fields = fields


class SalesInvoiceDetailSerializer(SalesInvoiceSerializer):
    lines = SalesInvoiceLineSerializer(many=True, read_only=True)
    allocations = SalesAllocationSerializer(many=True, read_only=True)

    class Meta(SalesInvoiceSerializer.Meta):
        fields = [*SalesInvoiceSerializer.Meta.fields, "lines", "allocations"]
        read_only_fields = fields


class SalesReceiptSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    reversal = serializers.IntegerField(source="reversal.id", read_only=True, allow_null=True, default=None)

    class Meta:
        model = SalesReceipt
        fields = [
            "id", "number", "customer", "customer_name", "date", "method", "amount", "reference", "note",
            "reverses", "reversal",
        ]  # fmt: skip
        read_only_fields = fields


class SalesReceiptDetailSerializer(SalesReceiptSerializer):
    allocations = SalesAllocationSerializer(many=True, read_only=True)

    class Meta(SalesReceiptSerializer.Meta):
        fields = [*SalesReceiptSerializer.Meta.fields, "allocations"]
        read_only_fields = fields


class SalesReturnLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SalesReturnLine
        fields = ["id", "delivery_line", "quantity", "base_quantity", "credited_quantity", "credit_amount", "unit_cost"]
        read_only_fields = fields


class SalesReturnSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    delivery_number = serializers.CharField(source="delivery.number", read_only=True)
    reversal = serializers.IntegerField(source="reversal.id", read_only=True, allow_null=True, default=None)

    class Meta:
        model = SalesReturn
        fields = [
            "id", "number", "delivery", "delivery_number", "order", "customer", "customer_name", "date",
            "posted_at", "reason", "credit_amount", "reverses", "reversal",
        ]  # fmt: skip
        read_only_fields = fields


class SalesReturnDetailSerializer(SalesReturnSerializer):
    lines = SalesReturnLineSerializer(many=True, read_only=True)

    class Meta(SalesReturnSerializer.Meta):
        fields = [*SalesReturnSerializer.Meta.fields, "lines"]
        read_only_fields = fields
