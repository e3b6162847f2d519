"""API shapes of the catalog. Input serializers only validate types; the rules live in the services."""

from rest_framework import serializers

from modules.catalog.models import VAT_RATE_CHOICES, Brand, Category, Item, ItemUnit, Unit


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name"]
        extra_kwargs = {"name": {"validators": []}}


class BrandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = ["id", "name"]
        extra_kwargs = {"name": {"validators": []}}


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Category
        fields = ["id", "name", "parent"]
        validators: list = []


class ItemUnitSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="name", queryset=Unit.objects.all())

    class Meta:
        model = ItemUnit
        fields = ["unit", "factor"]


class ItemUnitReadSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")

    class Meta:
        model = ItemUnit
        fields = ["unit", "factor"]


class ItemSerializer(serializers.ModelSerializer):
    """Input of create/update; `barcodes` and `units` are written through the services."""

    base_unit = serializers.SlugRelatedField(slug_field="name", queryset=Unit.objects.all())
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), allow_null=True, required=False)
    brand = serializers.PrimaryKeyRelatedField(queryset=Brand.objects.all(), allow_null=True, required=False)
    vat_rate = serializers.ChoiceField(choices=[str(rate) for rate, _label in VAT_RATE_CHOICES], required=False)
    barcodes = serializers.ListField(child=serializers.CharField(max_length=64), required=False, write_only=True)
    units = ItemUnitSerializer(many=True, required=False, write_only=True)
    variant_of = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Item
        fields = [
            "id", "code", "name", "category", "brand", "base_unit", "vat_rate", "purchase_price", "sale_price",
            "shelf_life_days", "lot_tracked", "is_active", "pinyin_initials", "barcodes", "units", "variant_of",
            "attributes", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["pinyin_initials", "is_active", "attributes", "created_at", "updated_at"]
        extra_kwargs = {"code": {"validators": []}}


class ItemReadSerializer(serializers.ModelSerializer):
    """Output: barcodes and units are prefetched by the views, so a list costs no query per row."""

    base_unit = serializers.CharField(source="base_unit.name")
    barcodes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    units = ItemUnitReadSerializer(many=True, read_only=True)

    class Meta:
        model = Item
        fields = ItemSerializer.Meta.fields
        read_only_fields = fields


class VariantsGenerateSerializer(serializers.Serializer):
    attributes = serializers.DictField(child=serializers.ListField(child=serializers.CharField(max_length=50)))
