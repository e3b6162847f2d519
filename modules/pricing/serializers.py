"""API shapes of price lists, their entries, customer prices, promotions, quotes and bulk changes.
Input serializers check types; the services check the rules and name the field."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from modules.partners.models import PriceTier
from modules.pricing.enums import CheckMode, PriceSource, PromotionKind, WarningCode
from modules.pricing.models import CustomerPrice, PriceList, PriceListItem, PricingSettings, Promotion


def _number(**kwargs):
    # Wide enough to let the service say what is wrong (too many places, negative) naming the field.
    return serializers.DecimalField(max_digits=30, decimal_places=10, coerce_to_string=True, **kwargs)


class _NoUnknownFields(serializers.Serializer):
    """Refuses fields it does not know, so a misspelt or fixed field is an error rather than silently ignored."""

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {})) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({unknown[0]: [_("This field cannot be set here.")]})
        return attrs


class PriceListSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceList
        fields = ["id", "tier", "name", "currency", "tax_inclusive", "is_active", "created_at", "updated_at"]
        read_only_fields = fields


class PriceListInputSerializer(_NoUnknownFields):
    tier = serializers.ChoiceField(choices=PriceTier.choices, help_text="A customer's price tier picks the list.")
    name = serializers.CharField(allow_blank=True)
    tax_inclusive = serializers.BooleanField(required=False, default=True)
    is_active = serializers.BooleanField(required=False, default=True)


class PriceListUpdateSerializer(_NoUnknownFields):
    name = serializers.CharField(required=False, allow_blank=True)
    tax_inclusive = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)


class PriceListItemSerializer(serializers.ModelSerializer):
    price_list_id = serializers.IntegerField(read_only=True)
    item_id = serializers.IntegerField(read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit_id = serializers.IntegerField(read_only=True)
    unit = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = PriceListItem
        fields = [
            "id",
            "price_list_id",
            "item_id",
            "item_code",
            "item_name",
            "unit_id",
            "unit",
            "min_quantity",
            "price",
            "updated_at",
        ]
        read_only_fields = fields


class PriceListItemInputSerializer(_NoUnknownFields):
    price_list_id = serializers.IntegerField()
    item_id = serializers.IntegerField()
    unit_id = serializers.IntegerField(required=False, allow_null=True, help_text="Default: the item's base unit.")
    min_quantity = _number(
        required=False, help_text="0 (default): any quantity; above 0: a quantity break from that many of the unit."
    )
    price = _number(help_text="Per one of the unit, at most 2 decimal places.")


class PriceUpdateSerializer(_NoUnknownFields):
    price = _number()


class CustomerPriceSerializer(serializers.ModelSerializer):
    customer_id = serializers.IntegerField(read_only=True)
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    item_id = serializers.IntegerField(read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    unit_id = serializers.IntegerField(read_only=True)
    unit = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = CustomerPrice
        fields = [
            "id",
            "customer_id",
            "customer_code",
            "item_id",
            "item_code",
            "unit_id",
            "unit",
            "price",
            "updated_at",
        ]
        read_only_fields = fields


class CustomerPriceInputSerializer(_NoUnknownFields):
    customer_id = serializers.IntegerField()
    item_id = serializers.IntegerField()
    unit_id = serializers.IntegerField(required=False, allow_null=True, help_text="Default: the item's base unit.")
    price = _number()


class PromotionSerializer(serializers.ModelSerializer):
    item_id = serializers.IntegerField(read_only=True, allow_null=True)
    item_code = serializers.CharField(source="item.code", read_only=True, allow_null=True, default=None)
    category_id = serializers.IntegerField(read_only=True, allow_null=True)
    category_name = serializers.CharField(source="category.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Promotion
        fields = [
            "id",
            "name",
            "item_id",
            "item_code",
            "category_id",
            "category_name",
            "kind",
            "percent_off",
            "fixed_price",
            "valid_from",
            "valid_to",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PromotionInputSerializer(_NoUnknownFields):
    name = serializers.CharField(allow_blank=True)
    item_id = serializers.IntegerField(required=False, allow_null=True, help_text="An item, or:")
    category_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="a category (with its subcategories)."
    )
    kind = serializers.ChoiceField(choices=PromotionKind.choices)
    percent_off = _number(required=False, allow_null=True, help_text="For percent_off: 0 < p < 100.")
    fixed_price = _number(required=False, allow_null=True, help_text="For fixed_price: per base unit.")
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(help_text="Included.")
    is_active = serializers.BooleanField(required=False, default=True)


class PromotionUpdateSerializer(PromotionInputSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class WarningSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=WarningCode.choices)
    message = serializers.CharField()
    field = serializers.CharField(help_text="The line's field at fault: unit_price or quantity.")
    blocking = serializers.BooleanField(help_text="True: the shop blocks such a line when it is saved.")


class QuoteSerializer(serializers.Serializer):
    """A line's price and why, with what the seller should know. Prices and costs per the line's unit."""

    item_id = serializers.IntegerField()
    unit_id = serializers.IntegerField()
    unit = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=20, decimal_places=6)
    base_quantity = serializers.DecimalField(max_digits=20, decimal_places=6)
    unit_price = serializers.DecimalField(max_digits=20, decimal_places=6, help_text="Tax-inclusive.")
    source = serializers.ChoiceField(choices=PriceSource.choices)
    source_id = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(help_text="In the caller's language, e.g. 批发价 ≥ 10 件.")
    list_price = serializers.DecimalField(max_digits=20, decimal_places=6)
    checked_price = serializers.DecimalField(
        max_digits=20, decimal_places=6, help_text="The price the warnings are about: unit_price or the one sent."
    )
    unit_cost = serializers.DecimalField(
        max_digits=20, decimal_places=6, allow_null=True, help_text="Current cost, net of VAT; null: unknown."
    )
    last_purchase_price = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    available = serializers.DecimalField(
        max_digits=20, decimal_places=6, help_text="In the warehouse, in base units: on hand − reserved."
    )
    warehouse_id = serializers.IntegerField()
    warnings = WarningSerializer(many=True)


class BulkChangeInputSerializer(_NoUnknownFields):
    category_id = serializers.IntegerField(help_text="With its subcategories.")
    percent = _number(help_text="e.g. 10 raises by 10 %, -5 lowers by 5 %; new prices are rounded to cents.")
    price_list_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="Null or absent: the items' sale prices."
    )
    digest = serializers.CharField(
        required=False, allow_blank=True, help_text="The preview's digest: refuses (409) if prices moved since."
    )


class BulkRowSerializer(serializers.Serializer):
    item_id = serializers.IntegerField(source="item.pk")
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    unit = serializers.CharField(source="unit.name")
    min_quantity = serializers.DecimalField(
        max_digits=20, decimal_places=6, allow_null=True, help_text="Null: the item's sale price."
    )
    old_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    new_price = serializers.DecimalField(max_digits=14, decimal_places=2)


class BulkChangeSerializer(serializers.Serializer):
    applied = serializers.BooleanField()
    digest = serializers.CharField()
    count = serializers.IntegerField()
    rows = BulkRowSerializer(many=True)


class PricingSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = PricingSettings
        fields = ["below_cost", "beyond_stock"]
        read_only_fields = fields


class PricingSettingsInputSerializer(_NoUnknownFields):
    below_cost = serializers.ChoiceField(choices=CheckMode.choices, required=False, help_text="Selling below cost.")
    beyond_stock = serializers.ChoiceField(
        choices=CheckMode.choices, required=False, help_text="Selling beyond available stock."
    )
