from django.urls import path

from modules.purchasing import views

app_name = "purchasing"
urlpatterns = [
    path("", views.order_list, name="index"),
    path("new", views.order_new, name="new"),
    path("line", views.order_line_row, name="line_row"),
    path("<int:pk>", views.order_detail, name="detail"),
    path("<int:pk>/<str:action>", views.order_action, name="action"),
    path("receipts/<int:pk>", views.receipt_detail, name="receipt"),
]
