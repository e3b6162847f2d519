from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StockOpsConfig(AppConfig):
    name = "modules.stockops"
    label = "stockops"
    verbose_name = _("Stock documents")
