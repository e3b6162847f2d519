from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PricingConfig(AppConfig):
    name = "modules.pricing"
    label = "pricing"
    verbose_name = _("Pricing")

    def ready(self):
        from modules.workspace.navigation import nav_register

        # Right after Customers: the sales side's reference pages. Every role may read prices (only the
        # owner and the manager change them), so no permission filter.
        nav_register(key="pricing", label=pgettext_lazy("nav", "Prices"), url_name="pricing:index", order=36)
