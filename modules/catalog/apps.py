from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "modules.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        from modules.workspace.navigation import nav_register

        nav_register(key="catalog", label=_("Items"), url_name="catalog:item_list", order=15)
