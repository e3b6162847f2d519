"""The public host: marketing site and signup, the support console."""

from django.urls import include, path

from jxc.urls_common import urlpatterns as common

urlpatterns = [
    *common,
    path("console/", include("jxc.console.urls")),
    path("", include("onboarding.urls")),
]
