from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NumberingConfig(AppConfig):
    name = "modules.numbering"
    label = "numbering"
    verbose_name = _("Document numbers")

    def ready(self):
        from modules.numbering.doc_types import doc_types_register

        doc_types_register()
