"""API shapes of partners and contacts. Input serializers only check types; the services check the rules."""

from rest_framework import serializers

from modules.partners.models import Contact, Partner, PriceTier, SupplierItem


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "phone", "email", "title", "is_primary"]
        read_only_fields = ["id"]


class ContactInputSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, trim_whitespace=False)
    phone = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(required=False, allow_blank=True)
    is_primary = serializers.BooleanField(required=False)


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = [
            "id",
            "code",
            "name",
            "name_initials",
            "is_supplier",
            "is_customer",
            "taxpayer_id",
            "bank_name",
            "bank_account",
            "address",
            "payment_terms_days",
            "lead_time_days",
            "credit_limit",
            "price_tier",
            "notes",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PartnerDetailSerializer(PartnerSerializer):
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta(PartnerSerializer.Meta):
        fields = [*PartnerSerializer.Meta.fields, "contacts"]
        read_only_fields = fields


class PartnerInputSerializer(serializers.Serializer):
    code = serializers.CharField(allow_blank=True)
    name = serializers.CharField(allow_blank=True)
    is_supplier = serializers.BooleanField(required=False)
    is_customer = serializers.BooleanField(required=False)
    taxpayer_id = serializers.CharField(required=False, allow_blank=True)
    bank_name = serializers.CharField(required=False, allow_blank=True)
    bank_account = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    payment_terms_days = serializers.IntegerField(required=False)
    lead_time_days = serializers.IntegerField(
        required=False, allow_null=True, help_text="Days from ordering to delivery (default of its supplier items)."
    )
    credit_limit = serializers.DecimalField(max_digits=30, decimal_places=10, required=False, coerce_to_string=True)
    price_tier = serializers.ChoiceField(choices=PriceTier.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class SupplierItemSerializer(serializers.ModelSerializer):
    item_id = serializers.IntegerField(read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    lead_time_days = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Null: the supplier's lead time."
    )
    purchase_unit_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The item unit (catalog item unit id) the supplier sells in."
    )
    purchase_unit = serializers.CharField(
        source="purchase_unit.unit.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = SupplierItem
        fields = [
            "id",
            "item_id",
            "item_code",
            "item_name",
            "supplier_item_code",
            "last_purchase_price",
            "lead_time_days",
            "purchase_unit_id",
            "purchase_unit",
            "updated_at",
        ]
        read_only_fields = fields


class SupplierItemInputSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    supplier_item_code = serializers.CharField(required=False, allow_blank=True)
    last_purchase_price = serializers.DecimalField(
        max_digits=30, decimal_places=10, required=False, allow_null=True, coerce_to_string=True
    )
    lead_time_days = serializers.IntegerField(required=False, allow_null=True)
    purchase_unit_id = serializers.IntegerField(required=False, allow_null=True)


class SupplierItemUpdateSerializer(serializers.Serializer):
    supplier_item_code = serializers.CharField(required=False, allow_blank=True)
    last_purchase_price = serializers.DecimalField(
        max_digits=30, decimal_places=10, required=False, allow_null=True, coerce_to_string=True
    )
    lead_time_days = serializers.IntegerField(required=False, allow_null=True)
    purchase_unit_id = serializers.IntegerField(required=False, allow_null=True)


class ItemSupplierSerializer(serializers.ModelSerializer):
    supplier_id = serializers.IntegerField(read_only=True)
    supplier_code = serializers.CharField(source="supplier.code", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)

    class Meta:
        model = SupplierItem
        fields = ["id", "supplier_id", "supplier_code", "supplier_name", "supplier_item_code", "last_purchase_price"]
        read_only_fields = fields
