from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StockCountConfig(AppConfig):
    name = "modules.stockcount"
    label = "stockcount"
    verbose_name = _("Stock counts")

    def ready(self):
        from modules.workspace.navigation import nav_register

        # No permission on the entry: every role may view counts (ROLE_RULES), and checking one would cost
        # every page the permission queries.
        nav_register(
            key="stockcount", label=pgettext_lazy("nav", "Stock counts"), url_name="stockcount:index", order=11
        )
