"""A shop's host: the merchant web app and the REST API."""

from django.urls import include, path

from jxc.urls_common import urlpatterns as common

urlpatterns = [
    *common,
    path("api/", include("jxc.api.urls")),
    path("accounts/", include("modules.identity.urls")),
    path("settings/api-keys/", include("jxc.api.urls_web")),
    path("catalog/", include("modules.catalog.urls")),
    path("partners/", include("modules.partners.urls")),
    path("stock/documents/", include("modules.stockops.urls")),
    path("stock/counts/", include("modules.stockcount.urls")),
    path("stock/reorder/", include("modules.reorder.urls")),
    path("stock/", include("modules.inventory.urls")),
    path("sales/", include("modules.sales.urls")),
    path("purchasing/", include("modules.purchasing.urls")),
    path("customers/", include("modules.crm.urls")),
    path("print/", include("modules.printing.urls")),
    path("settings/print/", include("modules.printing.urls_settings")),
    path("settings/numbering/", include("modules.numbering.urls")),
    path("pricing/", include("modules.pricing.urls")),
    path("reports/", include("modules.reports.urls")),
    path("finance/", include("modules.finance.urls")),
    path("", include("modules.workspace.urls")),
]
