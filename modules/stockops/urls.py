app_name = "stockops"
urlpatterns = []
