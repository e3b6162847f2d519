"""Stock data in a tenant's schema: warehouses and their location trees, the per-tenant settings.

Writes go through `modules.inventory.services`; the models hold structure and constraints so the
database refuses what a service forgot to check.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Warehouse(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Every tenant has exactly one default warehouse (see services.warehouse_default_ensure).
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="inventory_one_default"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LocationKind(models.TextChoices):
    ZONE = "zone", _("Zone")
    SHELF = "shelf", _("Shelf")
    BIN = "bin", _("Bin")


# The kind a child of each kind must have: zone → shelf → bin; a zone sits at the top.
CHILD_KIND = {None: LocationKind.ZONE, LocationKind.ZONE: LocationKind.SHELF, LocationKind.SHELF: LocationKind.BIN}


class Location(models.Model):
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="locations"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=LocationKind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["warehouse", "code"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "code"], name="inventory_location_code_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in LocationKind]), name="inventory_location_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class InventorySettings(models.Model):
    """The tenant's stock settings: one row (pk 1), created on first read."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    allow_negative_stock = models.BooleanField(_("allow negative stock"), default=False)

    class Meta:
        verbose_name = _("stock settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="inventory_settings_singleton")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
