"""A shop's URLs plus two views for the observability tests (a log line, an error)."""

import logging

from django.http import HttpResponse
from django.urls import path

from jxc.urls_tenant import urlpatterns as tenant_urlpatterns

logger = logging.getLogger("tests.platform.views")


def log_line(request):
    logger.warning("inside the view")
    return HttpResponse("logged")


def boom(request):
    raise RuntimeError("boom for sentry")


urlpatterns = [
    path("_test/log/", log_line),
    path("_test/boom/", boom),
    *tenant_urlpatterns,
]
