from rest_framework.routers import SimpleRouter

from modules.stockops import api

router = SimpleRouter(trailing_slash=False)
router.register("", api.StockDocumentViewSet, basename="stock-document")

urlpatterns = router.urls
