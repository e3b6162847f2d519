from django.urls import path
from rest_framework.routers import SimpleRouter

from modules.inventory import api

router = SimpleRouter(trailing_slash=False)
router.register("warehouses", api.WarehouseViewSet, basename="stock-warehouse")

urlpatterns = [
    path("warehouses/<int:warehouse_id>/locations", api.LocationListView.as_view(), name="stock-locations"),
    path("on-hand", api.StockOnHandView.as_view(), name="stock-on-hand"),
    path("by-supplier", api.StockBySupplierView.as_view(), name="stock-by-supplier"),
    path("lots", api.StockLotsView.as_view(), name="stock-lots"),
    path("as-of", api.StockAsOfView.as_view(), name="stock-as-of"),
    path("items/<int:item_id>/moves", api.ItemMovesView.as_view(), name="stock-item-moves"),
    path("settings", api.InventorySettingsView.as_view(), name="stock-settings"),
    *router.urls,
]
