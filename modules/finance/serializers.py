"""API shapes of the books. Input serializers only resolve ids and types; the services check the rules."""

from rest_framework import serializers

from modules.finance.models import Account, JournalEntry, JournalLine
from modules.finance.opening import OpeningLine
from modules.finance.services import LineInput
from modules.partners.models import Partner


class AccountSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Account
        fields = ["id", "code", "name_zh", "name_en", "type", "side", "parent", "is_leaf", "is_template", "is_active"]


class AccountCreateSerializer(serializers.Serializer):
    parent = serializers.SlugRelatedField(slug_field="code", queryset=Account.objects.all(), help_text="Its code.")
    code = serializers.CharField(max_length=16, help_text="The parent's code and two more digits.")
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class JournalLineSerializer(serializers.ModelSerializer):
    account = serializers.SlugRelatedField(slug_field="code", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)

    class Meta:
        model = JournalLine
        fields = ["position", "account", "account_name", "debit", "credit", "partner", "memo"]


class EntrySerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.__str__", read_only=True)
    created_by = serializers.EmailField(source="created_by.email", read_only=True, default=None)
    posted_by = serializers.EmailField(source="posted_by.email", read_only=True, default=None)
    lines = JournalLineSerializer(many=True, read_only=True)

    class Meta:
        model = JournalEntry
        fields = [
            "id", "number", "date", "period", "memo", "source_type", "source_id", "status", "reverses", "total",
            "created_by", "posted_by", "posted_at", "lines",
        ]  # fmt: skip


class JournalLineInputSerializer(serializers.Serializer):
    account = serializers.CharField(max_length=16, help_text="A postable account's code.")
    # Strings (or JSON numbers), parsed by the service so every bad number gets the same error.
    debit = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    credit = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all(), required=False, allow_null=True)
    memo = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class VoucherWriteSerializer(serializers.Serializer):
    date = serializers.DateField()
    memo = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    lines = JournalLineInputSerializer(many=True)

    def service_values(self) -> dict:
        values = dict(self.validated_data)
        values["lines"] = [
            LineInput(line["account"], line.get("debit"), line.get("credit"), line.get("partner"), line["memo"])
            for line in values["lines"]
        ]
        return values


def money(value) -> str:
    return f"{value:.2f}"


class VoucherPatchSerializer(serializers.Serializer):
    """A draft's new date, memo or lines; what is left out stays as it is (lines are replaced whole)."""

    date = serializers.DateField(required=False)
    memo = serializers.CharField(required=False, allow_blank=True, max_length=200)
    lines = JournalLineInputSerializer(many=True, required=False)

    def service_values(self, entry: JournalEntry) -> dict:
        data = self.validated_data
        if "lines" in data:
            lines = [
                LineInput(line["account"], line.get("debit"), line.get("credit"), line.get("partner"), line["memo"])
                for line in data["lines"]
            ]
        else:
            lines = [
                LineInput(line.account, line.debit or None, line.credit or None, line.partner, line.memo)
                for line in entry.lines.select_related("account", "partner")
            ]
        return {"date": data.get("date", entry.date), "memo": data.get("memo", entry.memo), "lines": lines}


class OpeningLineInputSerializer(serializers.Serializer):
    account = serializers.CharField(max_length=16, help_text="A postable account's code.")
    amount = serializers.CharField(
        allow_blank=True, allow_null=True, help_text="The balance on the account's normal side; negative: the other."
    )
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), required=False, allow_null=True,
        help_text="The customer (1122) or supplier (2202); 2202 without one is 暂估.",
    )  # fmt: skip


class OpeningPostSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="The day whose closing balances these are; the entry's date.")
    lines = OpeningLineInputSerializer(many=True)
    counter_account = serializers.CharField(
        max_length=16, required=False, allow_blank=True, allow_null=True, default=None,
        help_text="Where a difference of debits and credits goes (310401 or 3001); none: the lines must balance.",
    )  # fmt: skip

    def service_values(self) -> dict:
        data = self.validated_data
        return {
            "as_of": data["as_of"],
            "lines": [OpeningLine(line["account"], line["amount"], line.get("partner")) for line in data["lines"]],
            "counter_account": data.get("counter_account") or None,
        }
