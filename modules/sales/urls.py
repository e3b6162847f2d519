from django.urls import path

from modules.sales import views

app_name = "sales"
urlpatterns = [
    path("", views.index, name="index"),
    path("retail/", views.retail_list, name="retail_list"),
    path("retail/new", views.retail_new, name="retail_new"),
    path("retail/cart", views.retail_cart, name="retail_cart"),
    path("retail/<int:pk>/receipt", views.retail_receipt, name="receipt"),
    path("retail/<int:pk>/reverse", views.retail_reverse, name="reverse"),
]
