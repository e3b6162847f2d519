"""API shapes of stock counts. Input serializers check types only; the rules live in the services."""

from rest_framework import serializers

from modules.catalog.models import Category, Item, Unit
from modules.inventory.models import Location, Lot, Warehouse
from modules.stockcount.models import CountScope, StockCount, StockCountLine
from modules.stockcount.services import UNCOUNTED_CHOICES

QUANTITY = {"max_digits": 20, "decimal_places": 6}


class StockCountLineSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    unit = serializers.CharField(source="item.base_unit.name")
    location_code = serializers.CharField(source="location.code", allow_null=True, default=None)
    lot_code = serializers.CharField(source="lot.code", allow_null=True, default=None)
    expected = serializers.DecimalField(**QUANTITY)
    counted = serializers.DecimalField(**QUANTITY, allow_null=True)
    difference = serializers.DecimalField(**QUANTITY, allow_null=True)

    class Meta:
        model = StockCountLine
        fields = [
            "id", "item", "item_code", "item_name", "unit", "location", "location_code", "lot", "lot_code",
            "expected", "counted", "difference", "found", "counted_at",
        ]  # fmt: skip
        read_only_fields = fields


class StockCountSerializer(serializers.ModelSerializer):
    warehouse_code = serializers.CharField(source="warehouse.code")
    location_code = serializers.CharField(source="location.code", allow_null=True, default=None)
    category_name = serializers.CharField(source="category.name", allow_null=True, default=None)
    reverses_number = serializers.CharField(source="reverses.number", allow_null=True, default=None)
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = StockCount
        fields = [
            "id", "number", "date", "warehouse", "warehouse_code", "scope", "location", "location_code", "category",
            "category_name", "include_zero_stock", "note", "status", "uncounted_policy", "reverses",
            "reverses_number", "reversed_by", "created_at", "frozen_at", "posted_at", "cancelled_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_reversed_by(self, count: StockCount) -> str | None:
        """The number of the count that reverses this one."""
        reversal = getattr(count, "reversed_by", None)
        return reversal.number if reversal is not None else None


class StockCountDetailSerializer(StockCountSerializer):
    lines = StockCountLineSerializer(many=True, source="line_rows")
    summary = serializers.DictField(child=serializers.IntegerField())

    class Meta(StockCountSerializer.Meta):
        fields = [*StockCountSerializer.Meta.fields, "summary", "lines"]
        read_only_fields = fields


class StockCountCreateSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True)
    warehouse = serializers.PrimaryKeyRelatedField(queryset=Warehouse.objects.all())
    scope = serializers.ChoiceField(choices=CountScope.choices)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False, allow_null=True)
    include_zero_stock = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class CountedLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The id of a line of this count.")
    # Text, so that the service names the entry in its error ("lines.N.counted"); null un-counts the line.
    counted = serializers.CharField(allow_null=True, max_length=40, help_text="Counted quantity; null: not counted.")
    unit = serializers.SlugRelatedField(
        slug_field="name", queryset=Unit.objects.all(), required=False, allow_null=True,
        help_text="The unit of `counted` (default: the item's base unit).",
    )  # fmt: skip


class CountedSetSerializer(serializers.Serializer):
    lines = CountedLineSerializer(many=True)


class LineAddSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    lot = serializers.PrimaryKeyRelatedField(queryset=Lot.objects.all(), required=False, allow_null=True)
    counted = serializers.CharField(max_length=40)
    unit = serializers.SlugRelatedField(slug_field="name", queryset=Unit.objects.all(), required=False, allow_null=True)


class ScanSerializer(serializers.Serializer):
    barcode = serializers.CharField(max_length=64, allow_blank=True)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)


class ScanResultSerializer(serializers.Serializer):
    added = serializers.DecimalField(**QUANTITY)
    created = serializers.BooleanField(help_text="True when the scan added a line for stock the count did not expect.")
    line = StockCountLineSerializer()


class PostSerializer(serializers.Serializer):
    uncounted = serializers.ChoiceField(
        choices=UNCOUNTED_CHOICES, required=False, default="refuse",
        help_text="Lines nobody counted: refuse to post (default), count them as zero, or ignore them.",
    )  # fmt: skip


class CountReverseSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True, help_text="The reversal's date (default: today).")


class CountRevaluedSerializer(serializers.Serializer):
    source_type = serializers.CharField()
    source_id = serializers.IntegerField()
    reference = serializers.CharField()
    value_before = serializers.DecimalField(max_digits=20, decimal_places=2)
    value_after = serializers.DecimalField(max_digits=20, decimal_places=2)


class PostingSerializer(serializers.Serializer):
    count = StockCountDetailSerializer()
    revalued = CountRevaluedSerializer(many=True, help_text="Later documents whose cost this posting changed.")
