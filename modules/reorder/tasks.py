"""The daily low-stock snapshot: one task per shop, fanned out by beat early each morning (see jxc.celery)."""

import logging

from django.conf import settings
from django_tenants.utils import tenant_context

from jxc.celery import public_task, tenant_task
from modules.reorder import services
from tenants.enums import BLOCKED_STATUSES
from tenants.models import Tenant

logger = logging.getLogger(__name__)


@tenant_task(name="modules.reorder.tasks.low_stock_snapshot_refresh")
def low_stock_snapshot_refresh() -> int:
    """Recompute the low-stock snapshot of the shop whose schema the message names; returns its line count."""
    return services.low_stock_snapshot_refresh().line_count


@public_task(name="modules.reorder.tasks.low_stock_snapshot_refresh_all")
def low_stock_snapshot_refresh_all() -> int:
    """Queue one refresh per shop that may use its shop (not suspended or cancelled), each sent from inside
    that shop's context so that it carries its schema."""
    tenants = (
        Tenant.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)
        .exclude(status__in=BLOCKED_STATUSES)
        .order_by("pk")
    )
    queued = 0
    for tenant in tenants.iterator():
        with tenant_context(tenant):
            low_stock_snapshot_refresh.delay()
        queued += 1
    logger.info("queued low-stock snapshots for %s tenants", queued)
    return queued
