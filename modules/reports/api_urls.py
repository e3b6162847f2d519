from django.urls import path

from modules.reports import api

urlpatterns = [
    path("stock-summary", api.StockSummaryView.as_view(), name="reports-stock-summary"),
    path("sales", api.SalesReportView.as_view(), name="reports-sales"),
    path("purchases", api.PurchasesReportView.as_view(), name="reports-purchases"),
]
