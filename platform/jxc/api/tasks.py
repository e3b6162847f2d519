"""Housekeeping of the API's per-tenant tables."""

import logging

from django_tenants.utils import get_public_schema_name, get_tenant_model, tenant_context

from jxc.api.idempotency import idempotency_records_purge as purge
from jxc.celery import public_task, tenant_task

logger = logging.getLogger(__name__)


@tenant_task(name="jxc.api.tasks.idempotency_records_purge")
def idempotency_records_purge() -> int:
    """Delete this shop's idempotency records older than 24 hours; returns how many."""
    return purge()


@public_task(name="jxc.api.tasks.idempotency_records_purge_all")
def idempotency_records_purge_all() -> int:
    """Queue one purge per shop, each sent from inside that shop's context (so it carries its schema)."""
    queued = 0
    for tenant in get_tenant_model().objects.exclude(schema_name=get_public_schema_name()).iterator():
        with tenant_context(tenant):
            idempotency_records_purge.delay()
        queued += 1
    logger.info("queued idempotency purges for %s tenants", queued)
    return queued
