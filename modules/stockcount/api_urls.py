from rest_framework.routers import SimpleRouter

from modules.stockcount import api

router = SimpleRouter(trailing_slash=False)
router.register("", api.StockCountViewSet, basename="stock-count")

urlpatterns = router.urls
