from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReorderConfig(AppConfig):
    name = "modules.reorder"
    label = "reorder"
    verbose_name = _("Reordering")

    def ready(self):
        from modules.workspace.navigation import nav_register

        nav_register(
            key="reorder",
            label=pgettext_lazy("nav", "Low stock"),
            url_name="reorder:low_stock",
            # Every role may view it (no permission filter, which would cost the shell a query per page).
            order=12,
        )
