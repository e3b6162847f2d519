from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnerLedgerConfig(AppConfig):
    name = "modules.partnerledger"
    label = "partnerledger"
    verbose_name = _("Partner ledger")
