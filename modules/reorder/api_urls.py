"""/api/v1/stock/reorder/: rules, the live low-stock list and its stored snapshot."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from modules.reorder import api

router = SimpleRouter(trailing_slash=False)
router.register("rules", api.ReorderRuleViewSet, basename="stock-reorder-rule")

urlpatterns = [
    path("low-stock", api.LowStockView.as_view(), name="stock-low-stock"),
    path("low-stock/snapshot", api.LowStockSnapshotView.as_view(), name="stock-low-stock-snapshot"),
    path("suggestions", api.SuggestionsView.as_view(), name="stock-reorder-suggestions"),
    path("suggestions/orders", api.SuggestionOrdersView.as_view(), name="stock-reorder-suggestion-orders"),
    *router.urls,
]
