"""Kernel tasks: per-tenant usage snapshots, fanned out nightly by beat (see jxc.celery)."""

import logging

from django_tenants.utils import tenant_context

from jxc.celery import public_task, tenant_task
from jxc.kernel import selectors, services

logger = logging.getLogger(__name__)


@tenant_task(name="jxc.kernel.tasks.tenant_usage_record")
def tenant_usage_record() -> int:
    """Runs in the schema of whoever queued it (the message header); returns the usage row's id."""
    return services.tenant_usage_record().pk


@public_task(name="jxc.kernel.tasks.usage_record_all")
def usage_record_all() -> int:
    """Queues one tenant_usage_record per tenant, each sent from inside that tenant's context."""
    queued = 0
    for tenant in selectors.tenants_for_usage().iterator():
        with tenant_context(tenant):
            tenant_usage_record.delay()
        queued += 1
    logger.info("queued usage records for %s tenants", queued)
    return queued
