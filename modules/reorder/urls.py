from django.urls import path

from modules.reorder import views

app_name = "reorder"
urlpatterns = [
    path("", views.low_stock, name="low_stock"),
    path("refresh", views.low_stock_refresh, name="low_stock_refresh"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new", views.rule_create, name="rule_create"),
    path("rules/<int:pk>", views.rule_row, name="rule_row"),
    path("rules/<int:pk>/edit", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete", views.rule_delete, name="rule_delete"),
]
