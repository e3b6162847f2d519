from django.urls import path
from rest_framework.routers import SimpleRouter

from modules.catalog import api

router = SimpleRouter(trailing_slash=False)
router.register("items", api.ItemViewSet, basename="catalog-item")
router.register("units", api.UnitViewSet, basename="catalog-unit")
router.register("brands", api.BrandViewSet, basename="catalog-brand")
router.register("categories", api.CategoryViewSet, basename="catalog-category")

urlpatterns = [
    path("barcodes/<str:code>", api.BarcodeLookupView.as_view(), name="catalog-barcode"),
    *router.urls,
]
