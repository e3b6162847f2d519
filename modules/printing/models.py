"""The shop's printing profile: how its name, address, tax and bank details and logo appear on paper."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ShopProfile(models.Model):
    """One row (pk 1), created on first change. Writes go through `modules.printing.services`."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    # Empty: the tenant's (company) name.
    display_name = models.CharField(_("shop name on documents"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    taxpayer_id = models.CharField(_("taxpayer id"), max_length=20, blank=True)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=64, blank=True)
    # Kept in the database with the tenant's other data (no file storage to keep in step); at most 512 KB.
    logo = models.BinaryField(_("logo"), null=True, blank=True)
    logo_content_type = models.CharField(max_length=32, blank=True)
    logo_updated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("shop profile")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="printing_shop_profile_singleton"),
            models.CheckConstraint(
                condition=Q(logo__isnull=True, logo_content_type="")
                | Q(logo__isnull=False, logo_content_type__in=["image/png", "image/jpeg"]),
                name="printing_shop_profile_logo_type",
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
