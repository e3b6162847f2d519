from django.urls import include, path, re_path

from jxc.api import errors, views

app_name = "api"
urlpatterns = [
    path("v1/me", views.MeView.as_view(), name="me"),
    path("v1/api-keys", views.ApiKeyListCreateView.as_view(), name="api_keys"),
    path("v1/api-keys/<str:prefix>/revoke", views.ApiKeyRevokeView.as_view(), name="api_key_revoke"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("v1/catalog/", include("modules.catalog.api_urls")),
    path("v1/partners/", include("modules.partners.api_urls")),
    path("v1/stock/documents/", include("modules.stockops.api_urls")),
    path("v1/stock/counts/", include("modules.stockcount.api_urls")),
    path("v1/stock/reorder/", include("modules.reorder.api_urls")),
    path("v1/stock/", include("modules.inventory.api_urls")),
    path("v1/sales/", include("modules.sales.api_urls")),
    path("v1/purchasing/", include("modules.purchasing.api_urls")),
    path("v1/customers/", include("modules.crm.api_urls")),
    path("v1/pricing/", include("modules.pricing.api_urls")),
    path("v1/reports/", include("modules.reports.api_urls")),
    # Last: any other path under /api/ is a JSON 404, not the shop's HTML page.
    re_path(r"^.*$", errors.api_not_found, name="not_found"),
]
