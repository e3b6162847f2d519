from rest_framework.routers import SimpleRouter

from modules.sales import api

router = SimpleRouter(trailing_slash=False)
router.register("retail-sales", api.RetailSaleViewSet, basename="retail-sale")

urlpatterns = router.urls
