from rest_framework.routers import SimpleRouter

from modules.purchasing import api

router = SimpleRouter(trailing_slash=False)
router.register("orders", api.PurchaseOrderViewSet, basename="purchase-order")
router.register("receipts", api.PurchaseReceiptViewSet, basename="purchase-receipt")
router.register("bills", api.PurchaseBillViewSet, basename="purchase-bill")
router.register("payments", api.PurchasePaymentViewSet, basename="purchase-payment")
router.register("returns", api.PurchaseReturnViewSet, basename="purchase-return")

urlpatterns = router.urls
