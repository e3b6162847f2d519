"""Routes served on every host: the language switch.

The probes (/healthz, /readyz) and /metrics are answered by
jxc.observability.ProbeMiddleware before the tenant is looked up, so a load
balancer calling by IP address or a suspended shop's host still gets an answer.
"""

from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]
