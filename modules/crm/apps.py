from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CrmConfig(AppConfig):
    name = "modules.crm"
    label = "crm"
    verbose_name = _("Customers")

    def ready(self):
        from modules.workspace.navigation import nav_register

        # Every role may view customers (crm.view_followup): no permission filter, which would cost the
        # shell a query per page.
        nav_register(key="customers", label=pgettext_lazy("nav", "Customers"), url_name="crm:index", order=35)
