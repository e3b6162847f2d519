from django.urls import path

from modules.pricing import views

app_name = "pricing"
urlpatterns = [
    path("", views.index, name="index"),
    path("lists/new", views.price_list_create, name="list_create"),
    path("lists/<int:pk>/", views.price_list_detail, name="list"),
    path("lists/<int:pk>/edit", views.price_list_edit, name="list_edit"),
    path("lists/<int:pk>/entries", views.entry_set, name="entry_set"),
    path("lists/<int:pk>/entries/<int:entry_pk>/delete", views.entry_delete, name="entry_delete"),
    path("customer-prices/", views.customer_prices, name="customer_prices"),
    path("customer-prices/set", views.customer_price_set, name="customer_price_set"),
    path("customer-prices/<int:pk>/delete", views.customer_price_delete, name="customer_price_delete"),
    path("promotions/", views.promotions, name="promotions"),
    path("promotions/new", views.promotion_create, name="promotion_create"),
    path("promotions/<int:pk>/toggle", views.promotion_toggle, name="promotion_toggle"),
    path("promotions/<int:pk>/delete", views.promotion_delete, name="promotion_delete"),
    path("bulk-change", views.bulk_change, name="bulk"),
    path("settings", views.settings_edit, name="settings"),
    path("line", views.line_fragment, name="line"),
]
