from django.urls import path

from modules.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("items/new", views.item_create, name="item_create"),
    path("items/<int:pk>", views.item_edit, name="item_edit"),
    path("items/<int:pk>/variants", views.item_variants, name="item_variants"),
    path("lookup", views.item_lookup, name="item_lookup"),
    path("items/<int:pk>/active", views.item_toggle_active, name="item_toggle_active"),
    path("categories", views.category_tree, name="category_tree"),
    path("categories/add", views.category_add, name="category_add"),
    path("categories/<int:pk>", views.category_edit, name="category_edit"),
    path("units/add", views.unit_add, name="unit_add"),
    path("brands/add", views.brand_add, name="brand_add"),
]
