from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PartnersConfig(AppConfig):
    name = "modules.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from modules.workspace.navigation import nav_register

        nav_register(
            key="partners",
            label=pgettext_lazy("nav", "Partners"),
            url_name="partners:partner_list",
            # No permission filter: every role may view partners, and a check here would cost the
            # shell a permissions query on every page.
            order=16,
        )
