"""The partner ledger (往来账): what each customer owes the shop (receivable) and what the shop owes each
supplier (payable), one signed entry per document that changes it.

Invoices and bills raise a balance, receipts of money, payments and returns lower it. Entries are never
edited: a document is undone by `partner_entries_reverse`, which writes the negation. Writes go through
`modules.partnerledger.services`, called inside the posting document's own transaction.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    RECEIVABLE = "receivable", _("Receivable")
    PAYABLE = "payable", _("Payable")


class PartnerEntry(models.Model):
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    # The document's date in the tenant's time zone.
    date = models.DateField(_("date"))
    source_type = models.CharField(_("document type"), max_length=32)
    source_id = models.BigIntegerField(_("document id"))
    number = models.CharField(_("number"), max_length=32)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    # + raises what is owed (an invoice, a bill), − lowers it (money received or paid, a return).
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("partner ledger entry")
        verbose_name_plural = _("partner ledger entries")
        indexes = [
            models.Index(fields=["partner", "kind", "date", "id"], name="partnerledger_partner_date"),
            models.Index(fields=["source_type", "source_id"], name="partnerledger_source"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="partnerledger_entry_kind"),
            models.CheckConstraint(condition=~Q(amount=0), name="partnerledger_entry_amount_nonzero"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.kind} {self.amount}"
