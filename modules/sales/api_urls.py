from rest_framework.routers import SimpleRouter

from modules.sales import api

router = SimpleRouter(trailing_slash=False)
router.register("retail-sales", api.RetailSaleViewSet, basename="retail-sale")
router.register("orders", api.SalesOrderViewSet, basename="sales-order")
router.register("deliveries", api.SalesDeliveryViewSet, basename="sales-delivery")
router.register("invoices", api.SalesInvoiceViewSet, basename="sales-invoice")
router.register("receipts", api.SalesReceiptViewSet, basename="sales-receipt")
router.register("returns", api.SalesReturnViewSet, basename="sales-return")

urlpatterns = router.urls
