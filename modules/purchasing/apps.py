from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "modules.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self):
        from modules.inventory.sources import source_register
        from modules.purchasing.enums import PURCHASE_RECEIPT

        # The workspace already lists "Purchasing" (url_name "purchasing:index"); it lights up by itself.
        source_register(PURCHASE_RECEIPT, _("Purchase receipt"), url_name="purchasing:receipt")
