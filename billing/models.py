from decimal import Decimal

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    """A subscription plan and its limits; None means unlimited."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    monthly_price = models.DecimalField(_("monthly price"), max_digits=10, decimal_places=2, default=Decimal("0.00"))
    max_users = models.PositiveIntegerField(_("users"), null=True, blank=True)
    max_items = models.PositiveIntegerField(_("items"), null=True, blank=True)
    max_warehouses = models.PositiveIntegerField(_("warehouses"), null=True, blank=True)
    api_access = models.BooleanField(_("API access"), default=False)
    is_default = models.BooleanField(_("default for new shops"), default=False)
    stripe_price_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["monthly_price", "code"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True), name="one_default_plan")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh_hans
