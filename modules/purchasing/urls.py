from django.urls import path

from modules.purchasing import views

app_name = "purchasing"
urlpatterns = [
    path("", views.order_list, name="index"),
    path("new", views.order_new, name="new"),
    path("line", views.order_line_row, name="line_row"),
    path("settings", views.purchasing_settings, name="settings"),
    path("<int:pk>", views.order_detail, name="detail"),
    path("<int:pk>/edit", views.order_edit, name="edit"),
    path("<int:pk>/<str:action>", views.order_action, name="action"),
    path("receipts/<int:pk>", views.receipt_detail, name="receipt"),
    path("receipts/<int:pk>/bill", views.bill_new, name="bill_new"),
    path("receipts/<int:pk>/return", views.return_new, name="return_new"),
    path("bills/", views.bill_list, name="bills"),
    path("bills/<int:pk>", views.bill_detail, name="bill"),
    path("payments/", views.payment_list, name="payments"),
    path("payments/new", views.payment_new, name="payment_new"),
    path("payments/<int:pk>", views.payment_detail, name="payment"),
    path("returns/", views.return_list, name="returns"),
    path("returns/new", views.return_free_new, name="return_free_new"),
    path("returns/<int:pk>", views.return_detail, name="return"),
    path("<str:kind>/<int:pk>/reverse", views.document_reverse, name="reverse"),
]
