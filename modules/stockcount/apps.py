from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StockCountConfig(AppConfig):
    name = "modules.stockcount"
    label = "stockcount"
    verbose_name = _("Stock counts")
