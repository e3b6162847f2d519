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
    path("orders/", views.order_list, name="order_list"),
    path("orders/new", views.order_new, name="order_new"),
    path("orders/line", views.order_line_row, name="order_line_row"),
    path("orders/<int:pk>", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/edit", views.order_edit, name="order_edit"),
    path("orders/<int:pk>/<str:action>", views.order_action, name="order_action"),
    path("deliveries/<int:pk>", views.delivery_detail, name="delivery_detail"),
    path("deliveries/<int:pk>/<str:action>", views.delivery_action, name="delivery_action"),
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/<int:pk>", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/reverse", views.invoice_reverse, name="invoice_reverse"),
    path("receipts/", views.receipt_list, name="receipt_list"),
    path("receipts/new", views.receipt_new, name="receipt_new"),
    path("receipts/invoices", views.receipt_invoices, name="receipt_invoices"),
    path("receipts/<int:pk>", views.receipt_detail, name="receipt_detail"),
    path("receipts/<int:pk>/reverse", views.receipt_reverse, name="receipt_reverse"),
    path("returns/", views.return_list, name="return_list"),
    path("returns/<int:pk>", views.return_detail, name="return_detail"),
    path("returns/<int:pk>/reverse", views.return_reverse, name="return_reverse"),
]
