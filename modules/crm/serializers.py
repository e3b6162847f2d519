"""API shapes of customers: balances, the overview, statements and follow-ups. Input serializers only check
types; the services and selectors check the rules."""

from rest_framework import serializers

from modules.crm.enums import FollowUpKind
from modules.crm.models import FollowUp
from modules.partners.serializers import ContactSerializer

KINDS = ", ".join(FollowUpKind.values)


class CustomerBalanceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="partner.pk")
    code = serializers.CharField(source="partner.code")
    name = serializers.CharField(source="partner.name")
    is_active = serializers.BooleanField(source="partner.is_active")
    credit_limit = serializers.DecimalField(source="partner.credit_limit", max_digits=14, decimal_places=2)
    payment_terms_days = serializers.IntegerField(source="partner.payment_terms_days")
    balance = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Open receivable, as of today.")
    overdue = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="The part of `balance` past the payment terms."
    )


class StatementLineSerializer(serializers.Serializer):
    date = serializers.DateField()
    number = serializers.CharField()
    kind = serializers.CharField(source="source_type", help_text="The document's type (sales_invoice…).")
    kind_label = serializers.CharField(source="label")
    source_id = serializers.IntegerField()
    memo = serializers.CharField()
    debit = serializers.DecimalField(max_digits=14, decimal_places=2)
    credit = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)


class StatementSerializer(serializers.Serializer):
    customer = serializers.IntegerField(source="partner_id")
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    opening = serializers.DecimalField(max_digits=14, decimal_places=2)
    lines = StatementLineSerializer(many=True)
    total_debit = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_credit = serializers.DecimalField(max_digits=14, decimal_places=2)
    closing = serializers.DecimalField(max_digits=14, decimal_places=2)


class CustomerOverviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="partner.pk")
    code = serializers.CharField(source="partner.code")
    name = serializers.CharField(source="partner.name")
    is_active = serializers.BooleanField(source="partner.is_active")
    credit_limit = serializers.DecimalField(source="partner.credit_limit", max_digits=14, decimal_places=2)
    payment_terms_days = serializers.IntegerField(source="partner.payment_terms_days")
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    overdue = serializers.DecimalField(max_digits=14, decimal_places=2)
    credit_left = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Null when no credit limit is set (0)."
    )
    over_limit = serializers.BooleanField()
    contacts = ContactSerializer(many=True)
    retail_sales_count = serializers.IntegerField(source="sales_count")
    retail_sales_total = serializers.DecimalField(source="sales_total", max_digits=14, decimal_places=2)
    recent_entries = StatementLineSerializer(many=True, help_text="Ledger entries of the last 90 days, newest first.")


class FollowUpSerializer(serializers.ModelSerializer):
    customer = serializers.IntegerField(source="partner_id", read_only=True)
    # Text, not an enum, in the schema: the service names a bad one.
    kind = serializers.CharField(read_only=True, help_text=KINDS)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    author = serializers.EmailField(source="author.email", read_only=True, allow_null=True, default=None)

    class Meta:
        model = FollowUp
        fields = [
            "id", "customer", "kind", "kind_label", "text", "next_date", "done", "done_at", "author", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class FollowUpInputSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=KINDS)
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="At most 2000 characters.")
    next_date = serializers.DateField(required=False, allow_null=True, help_text="Not before today; null: none.")


class FollowUpUpdateSerializer(FollowUpInputSerializer):
    done = serializers.BooleanField(required=False)
