"""/api/v1/pricing/: lists, list items, customer prices, promotions, quote, bulk change, settings."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from modules.pricing import api

router = SimpleRouter(trailing_slash=False)
router.register("lists", api.PriceListViewSet, basename="pricing-list")
router.register("list-items", api.PriceListItemViewSet, basename="pricing-list-item")
router.register("customer-prices", api.CustomerPriceViewSet, basename="pricing-customer-price")
router.register("promotions", api.PromotionViewSet, basename="pricing-promotion")

urlpatterns = [
    path("quote", api.QuoteView.as_view(), name="pricing-quote"),
    path("bulk-change/preview", api.BulkChangePreviewView.as_view(), name="pricing-bulk-change-preview"),
    path("bulk-change", api.BulkChangeView.as_view(), name="pricing-bulk-change"),
    path("settings", api.PricingSettingsView.as_view(), name="pricing-settings"),
    *router.urls,
]
