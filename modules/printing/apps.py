from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "modules.printing"
    label = "printing"
    verbose_name = _("Printing")

    def ready(self):
        from modules.printing.builders import builders_register

        builders_register()
