"""API shapes of stock documents. Input serializers only resolve ids and types; the services check the rules."""

from rest_framework import serializers

from modules.catalog.models import Item, Unit
from modules.inventory.models import Location, StockMove, Warehouse
from modules.partners.models import Partner
from modules.stockops.enums import DocumentKind
from modules.stockops.models import StockDocument, StockDocumentLine
from modules.stockops.services import LineInput


class LineInputSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    # Strings (or JSON numbers), parsed by the service so every bad number gets the same error.
    quantity = serializers.CharField(help_text="In `unit`; > 0, signed on adjustments. Up to 6 decimal places.")
    unit_cost = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="Per `unit`; receipts and positive adjustments."
    )
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    target_location = serializers.PrimaryKeyRelatedField(
        queryset=Location.objects.all(), required=False, allow_null=True, help_text="Transfers: where the goods go."
    )
    lot_code = serializers.CharField(required=False, allow_blank=True, max_length=64)
    expiry_date = serializers.DateField(required=False, allow_null=True)


def _line_input(data: dict) -> LineInput:
    return LineInput(
        item=data["item"],
        unit=data["unit"],
        quantity=data["quantity"],
        unit_cost=data.get("unit_cost"),
        location=data.get("location"),
        target_location=data.get("target_location"),
        lot_code=data.get("lot_code", ""),
        expiry_date=data.get("expiry_date"),
    )


class DocumentUpdateSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="In the shop's time zone; default today. Not in the future.")
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all(), required=False)
    target_warehouse = serializers.PrimaryKeyRelatedField(
        queryset=Warehouse.objects.all(), required=False, allow_null=True, help_text="Transfers only."
    )
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(),
        required=False,
        allow_null=True,
        help_text="A supplier on other receipts, a customer on other issues.",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Adjustments: damage, loss, expiry, found, correction or other."
    )
    note = serializers.CharField(required=False, allow_blank=True)
    lines = LineInputSerializer(many=True, required=False, help_text="Replaces all lines.")

    def service_changes(self) -> dict:
        changes = dict(self.validated_data)
        if "lines" in changes:
            changes["lines"] = [_line_input(line) for line in changes["lines"]]
        return changes


class DocumentCreateSerializer(DocumentUpdateSerializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    lines = LineInputSerializer(many=True)


class ReverseSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="The reversal's date; default today.")


class LineSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    location_code = serializers.CharField(source="location.code", read_only=True, allow_null=True, default=None)
    target_location_code = serializers.CharField(
        source="target_location.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = StockDocumentLine
        fields = [
            "position", "item", "item_code", "item_name", "unit", "unit_name", "quantity", "base_quantity",
            "unit_cost", "location", "location_code", "target_location", "target_location_code", "lot_code",
            "expiry_date", "lot",
        ]  # fmt: skip
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    target_warehouse_code = serializers.CharField(
        source="target_warehouse.code", read_only=True, allow_null=True, default=None
    )
    partner_name = serializers.CharField(source="partner.name", read_only=True, allow_null=True, default=None)
    reversal = serializers.IntegerField(
        source="reversal.id", read_only=True, allow_null=True, help_text="The document that reversed this one."
    )

    class Meta:
        model = StockDocument
        fields = [
            "id", "kind", "number", "status", "date", "warehouse", "warehouse_code", "target_warehouse",
            "target_warehouse_code", "partner", "partner_name", "reason", "note", "reverses", "reversal",
            "created_at", "updated_at", "confirmed_at", "posted_at", "cancelled_at",
        ]  # fmt: skip
        read_only_fields = fields


class MoveSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    location_code = serializers.CharField(source="location.code", read_only=True, allow_null=True, default=None)
    lot_code = serializers.CharField(source="lot.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = StockMove
        fields = [
            "id", "item", "item_code", "warehouse", "warehouse_code", "location", "location_code", "lot", "lot_code",
            "quantity", "unit_cost", "value", "posted_at",
        ]  # fmt: skip
        read_only_fields = fields


class DocumentDetailSerializer(DocumentSerializer):
    lines = LineSerializer(many=True, read_only=True)
    moves = MoveSerializer(many=True, read_only=True, help_text="The stock moves it posted (none before posting).")

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "lines", "moves"]
        read_only_fields = fields


class RevaluedSerializer(serializers.Serializer):
    source_type = serializers.CharField()
    source_id = serializers.IntegerField()
    reference = serializers.CharField()
    value_before = serializers.DecimalField(max_digits=20, decimal_places=2)
    value_after = serializers.DecimalField(max_digits=20, decimal_places=2)


class DocumentPostedSerializer(DocumentDetailSerializer):
    revalued = RevaluedSerializer(
        many=True, read_only=True, help_text="Later documents whose stock value this (backdated) posting changed."
    )

    class Meta(DocumentDetailSerializer.Meta):
        fields = [*DocumentDetailSerializer.Meta.fields, "revalued"]
        read_only_fields = fields
