"""Per-tenant document number counters: one row per document type and year."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocumentSequence(models.Model):
    doc_type = models.CharField(_("document type"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "year"], name="numbering_sequence_unique"),
            models.CheckConstraint(condition=Q(last__gte=0), name="numbering_sequence_last_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.year}: {self.last}"
