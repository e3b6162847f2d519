app_name = "reorder"
urlpatterns = []
