from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StockCountConfig(AppConfig):
    name = "modules.stockcount"
    label = "stockcount"
    verbose_name = _("Stock counts")

    def ready(self):
        from modules.inventory.sources import source_register
        from modules.stockcount.models import SOURCE_TYPE
        from modules.workspace.navigation import nav_register

        source_register(SOURCE_TYPE, _("Stock count"), url_name="stockcount:detail")

        # No permission on the entry: every role may view counts (ROLE_RULES), and checking one would cost
        # every page the permission queries.
        nav_register(
            key="stockcount", label=pgettext_lazy("nav", "Stock counts"), url_name="stockcount:index", order=11
        )
