from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "modules.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self):
        from modules.inventory.sources import source_register
        from modules.purchasing.enums import PURCHASE_BILL, PURCHASE_PAYMENT, PURCHASE_RECEIPT, PURCHASE_RETURN

        # The workspace already lists "Purchasing" (url_name "purchasing:index"); it lights up by itself.
        source_register(PURCHASE_RECEIPT, _("Purchase receipt"), url_name="purchasing:receipt")
        source_register(PURCHASE_RETURN, _("Purchase return"), url_name="purchasing:return")
        # Bills and payments move no stock; registered so that the partner ledger's statements name them too.
        source_register(PURCHASE_BILL, _("Supplier bill"), url_name="purchasing:bill")
        source_register(PURCHASE_PAYMENT, _("Supplier payment"), url_name="purchasing:payment")
