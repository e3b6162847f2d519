from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StockOpsConfig(AppConfig):
    name = "modules.stockops"
    label = "stockops"
    verbose_name = _("Stock documents")

    def ready(self):
        from modules.inventory.sources import source_register
        from modules.stockops.enums import DocumentKind
        from modules.workspace.navigation import nav_register

        for kind in DocumentKind:
            source_register(kind.value, kind.label, url_name="stockops:detail")

        nav_register(
            key="stock_documents",
            label=pgettext_lazy("nav", "Stock documents"),
            url_name="stockops:index",
            # Right after Stock (10). Every role may view stock documents: no permission filter, which
            # would cost the shell a permissions query on every page.
            order=11,
        )
