from django.urls import path

from modules.numbering import views

app_name = "numbering"
urlpatterns = [
    path("", views.numbering_settings, name="settings"),
]
