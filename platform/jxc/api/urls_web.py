from django.urls import path

from jxc.api import web

app_name = "api_keys"
urlpatterns = [
    path("", web.api_key_list, name="list"),
    path("new/", web.api_key_create, name="create"),
    path("<str:prefix>/revoke/", web.api_key_revoke, name="revoke"),
]
