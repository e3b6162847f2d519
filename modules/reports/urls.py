from django.urls import path

from modules.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("stock", views.stock_summary, name="stock"),
    path("sales", views.sales, name="sales"),
    path("purchases", views.purchases, name="purchases"),
]
