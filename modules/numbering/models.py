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


class DocumentPrefix(models.Model):
    """The tenant's own prefix for one document type; without a row the type's default prefix is used."""

    doc_type = models.CharField(_("document type"), max_length=40, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8)

    class Meta:
        verbose_name = _("document number prefix")
        verbose_name_plural = _("document number prefixes")
        constraints = [
            models.CheckConstraint(condition=Q(prefix__regex=r"^[A-Z0-9]{1,8}$"), name="numbering_prefix_format"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type}: {self.prefix}"


class RetiredPrefix(models.Model):
    """A prefix a document type numbered documents with before it was changed: no other type may take it,
    or two documents of different types could carry the same number."""

    doc_type = models.CharField(_("document type"), max_length=40)
    prefix = models.CharField(_("prefix"), max_length=8)

    class Meta:
        verbose_name = _("retired document number prefix")
        verbose_name_plural = _("retired document number prefixes")
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "prefix"], name="numbering_retired_prefix_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type}: {self.prefix}"
