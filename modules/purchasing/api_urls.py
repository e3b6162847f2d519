from rest_framework.routers import SimpleRouter

from modules.purchasing import api

router = SimpleRouter(trailing_slash=False)
router.register("orders", api.PurchaseOrderViewSet, basename="purchase-order")

urlpatterns = router.urls
