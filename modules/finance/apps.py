from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "modules.finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from modules.finance import close_checks

        close_checks.register()
