from django.urls import path

from modules.reorder import views

app_name = "reorder"
urlpatterns = [
    path("", views.low_stock, name="low_stock"),
    path("refresh", views.low_stock_refresh, name="low_stock_refresh"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("suggestions/orders", views.suggestion_orders, name="suggestion_orders"),
    path("suggestions/batches/<int:pk>", views.suggestion_batch, name="suggestion_batch"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new", views.rule_create, name="rule_create"),
    path("rules/<int:pk>", views.rule_row, name="rule_row"),
    path("rules/<int:pk>/edit", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete", views.rule_delete, name="rule_delete"),
]
