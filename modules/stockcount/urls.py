app_name = "stockcount"
urlpatterns = []
