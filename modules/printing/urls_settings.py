from django.urls import path

from modules.printing import views

app_name = "print_settings"
urlpatterns = [
    path("", views.print_settings, name="index"),
    path("logo", views.logo_image, name="logo"),
    path("logo/upload", views.logo_upload, name="logo_upload"),
    path("logo/remove", views.logo_remove, name="logo_remove"),
    path("sample.pdf", views.sample_pdf, name="sample"),
]
