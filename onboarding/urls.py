from django.urls import path

from onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("terms/", views.terms, name="terms"),
    path("signup/", views.signup, name="signup"),
    path("signup/check-slug/", views.slug_check, name="check_slug"),
    path("signup/suggest-slug/", views.slug_suggest, name="suggest_slug"),
]
