from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "modules.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self):
        from modules.inventory.sources import source_register
        from modules.sales.enums import RETAIL_SALE

        # The workspace already lists "Sales" (key "sales", url_name "sales:index"); it lights up by itself.
        source_register(RETAIL_SALE, _("Retail sale"), url_name="sales:receipt")
