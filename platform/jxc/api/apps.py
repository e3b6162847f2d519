from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "jxc.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from jxc.api import schema  # noqa: F401, PLC0415 - registers the OpenAPI description of Api-Key auth
