"""Support console routes; included only by the public host's URLconf, so a shop host has none of them."""

from django.urls import path

from jxc.console import views

app_name = "console"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.tenant_list, name="tenant_list"),
    path("tenants/<slug:slug>/", views.tenant_detail, name="tenant_detail"),
    path("tenants/<slug:slug>/suspend/", views.tenant_suspend, name="tenant_suspend"),
    path("tenants/<slug:slug>/reactivate/", views.tenant_reactivate, name="tenant_reactivate"),
    path("tenants/<slug:slug>/extend-trial/", views.tenant_extend_trial, name="tenant_extend_trial"),
    path("tenants/<slug:slug>/delete/", views.tenant_delete, name="tenant_delete"),
    path("audit/", views.audit_list, name="audit_list"),
]
