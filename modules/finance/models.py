"""The books: the chart of accounts, monthly periods, journal entries with their lines, per-period account
totals (kept by the posting service, read by the statements) and voucher attachments.

Posted entries balance and never change: besides the service, database triggers refuse an unbalanced entry
at commit and any change to a posted entry or its lines (migration 0003).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from modules.finance.enums import AccountType, EntryStatus, PeriodAction, PeriodStatus, Side, TaxpayerKind

MONEY = {"max_digits": 14, "decimal_places": 2}


class Account(models.Model):
    code = models.CharField(pgettext_lazy("finance", "code"), max_length=16, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=120)
    type = models.CharField(_("type"), max_length=16, choices=AccountType.choices)
    side = models.CharField(_("normal balance"), max_length=8, choices=Side.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=pgettext_lazy("finance", "parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Only leaves take journal lines; an account with sub-accounts is the sum of them.
    is_leaf = models.BooleanField(_("postable"), default=True)
    # From the 小企业会计准则 template (never deleted) rather than added by the shop.
    is_template = models.BooleanField(_("from the template"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("finance", "account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(condition=Q(type__in=AccountType.values), name="finance_account_type"),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="finance_account_side"),
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{4}([0-9]{2})*$"), name="finance_account_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en

    @property
    def level(self) -> int:
        return (len(self.code) - 2) // 2


class Period(models.Model):
    """A calendar month of the books. Created when first needed; closed (月结) months refuse postings."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    status = models.CharField(_("status"), max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    # The last voucher number given in this month (numbers are gap-free per period).
    last_number = models.PositiveIntegerField(_("last number"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["year", "month"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        permissions = [("close_period", _("Can close a period"))]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="finance_period_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="finance_period_month_range"),
            models.CheckConstraint(condition=Q(status__in=PeriodStatus.values), name="finance_period_status"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def is_closed(self) -> bool:
        return self.status == PeriodStatus.CLOSED


class PeriodEvent(models.Model):
    """The audit trail of closing and reopening a period, with the reason given for a reopening."""

    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=8, choices=PeriodAction.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("period event")
        verbose_name_plural = _("period events")

    def __str__(self) -> str:
        return f"{self.period} {self.action}"


class JournalEntry(models.Model):
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="entries")
    # Given when the entry is posted: gap-free per period ("202611-0001"); empty on drafts.
    number = models.CharField(pgettext_lazy("finance", "number"), max_length=16, blank=True)
    date = models.DateField(_("date"))
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    # What posted it: a document ("purchase_receipt", its id), "manual" for a voucher, "closing" at year end.
    source_type = models.CharField(_("source type"), max_length=32)
    source_id = models.BigIntegerField(_("source id"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    reverses = models.OneToOneField(
        "self",
        verbose_name=pgettext_lazy("finance", "reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    total = models.DecimalField(_("total"), default=0, **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("posted by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    posted_at = models.DateTimeField(pgettext_lazy("finance", "posted at"), null=True, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        permissions = [("post_journalentry", _("Can approve and post a voucher"))]
        indexes = [
            models.Index(fields=["date", "id"], name="finance_entry_date"),
            models.Index(fields=["source_type", "source_id"], name="finance_entry_source"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "number"], condition=~Q(number=""), name="finance_entry_number_per_period"
            ),
            models.CheckConstraint(condition=Q(status__in=EntryStatus.values), name="finance_entry_status"),
            models.CheckConstraint(
                condition=Q(status=EntryStatus.DRAFT) | ~Q(number=""), name="finance_posted_entry_numbered"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_posted(self) -> bool:
        return self.status == EntryStatus.POSTED


class JournalLine(models.Model):
    # Indexed below with the amounts included: a statement's cut days are summed by index-only scans.
    entry = models.ForeignKey(
        JournalEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    account = models.ForeignKey(
        Account, verbose_name=pgettext_lazy("finance", "account"), on_delete=models.PROTECT, related_name="lines"
    )
    # One side per line; a reversal (红冲) repeats the original's sides with negative amounts.
    debit = models.DecimalField(_("debit"), default=0, **MONEY)
    credit = models.DecimalField(pgettext_lazy("finance", "credit"), default=0, **MONEY)
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    memo = models.CharField(_("memo"), max_length=200, blank=True)

    class Meta:
        ordering = ["entry", "position", "id"]
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        indexes = [
            models.Index(fields=["account", "entry"], name="finance_line_account"),
            models.Index(fields=["entry"], include=["account", "debit", "credit"], name="finance_line_entry"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(debit=0) ^ Q(credit=0), name="finance_line_one_side"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.debit} {self.credit}"


class AccountPeriodTotal(models.Model):
    """The posted debits and credits of one account in one period, kept by the posting service in the same
    transaction: statements add these up instead of scanning every line."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    debit = models.DecimalField(default=0, max_digits=16, decimal_places=2)
    credit = models.DecimalField(default=0, max_digits=16, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "account"], name="finance_total_account_period")]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.account_id} {self.debit} {self.credit}"


class Attachment(models.Model):
    """A scan or file backing a voucher (原始凭证), kept in the tenant's own schema."""

    entry = models.ForeignKey(
        JournalEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="attachments"
    )
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class VatSettings(models.Model):
    """The shop's VAT standing: one row (pk 1), created on the first change; until then a general taxpayer
    charging 13 %."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    taxpayer_kind = models.CharField(
        _("taxpayer kind"), max_length=16, choices=TaxpayerKind.choices, default=TaxpayerKind.GENERAL
    )
    # In percent, one of the kind's rates: what a new sales line charges unless its item says otherwise.
    default_rate = models.DecimalField(_("default VAT rate (%)"), max_digits=4, decimal_places=1, default=13)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("VAT settings")
        verbose_name_plural = _("VAT settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="finance_vat_settings_singleton"),
            models.CheckConstraint(condition=Q(taxpayer_kind__in=TaxpayerKind.values), name="finance_vat_kind"),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
