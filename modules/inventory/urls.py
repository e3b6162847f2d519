from django.urls import path

from modules.inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.index, name="index"),
    path("on-hand", views.on_hand, name="on_hand"),
    path("lots", views.lots, name="lots"),
    path("as-of", views.as_of, name="as_of"),
    path("items/<int:item_id>/moves", views.item_moves, name="item_moves"),
    path("settings", views.stock_settings, name="settings"),
    path("warehouses/new", views.warehouse_create, name="warehouse_create"),
    path("warehouses/<int:pk>", views.warehouse_detail, name="warehouse_detail"),
    path("warehouses/<int:pk>/edit", views.warehouse_edit, name="warehouse_edit"),
    path("warehouses/<int:pk>/locations", views.location_add, name="location_add"),
]
