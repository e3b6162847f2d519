"""The daily low-stock task: each shop computed in its own schema, the others' snapshots untouched."""

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from jxc.celery import MissingTenantContext, app
from modules.reorder import services
from modules.reorder.models import LowStockAlert, LowStockSnapshot
from modules.reorder.tasks import low_stock_snapshot_refresh, low_stock_snapshot_refresh_all
from tenants.enums import TenantStatus
from tests.reorder.conftest import item, main_warehouse, receive

LONG_AGO = timezone.now() - timedelta(days=3)


def low_item(tenant, code: str) -> None:
    """A rule for `code` whose stock (1) is below its reorder point (5)."""
    with schema_context(tenant.schema_name):
        product, wh = item(code), main_warehouse()
        receive(product, wh, 1)
        services.reorder_rule_create(item_id=product.pk, warehouse_id=wh.pk, minimum=0, reorder_point=5, maximum=10)


def snapshot_of(tenant) -> tuple:
    with schema_context(tenant.schema_name):
        snapshot = LowStockSnapshot.objects.filter(pk=1).first()
        codes = list(LowStockAlert.objects.order_by("position").values_list("item__code", flat=True))
        return (snapshot.computed_at if snapshot else None, codes)


def test_task_for_alpha_leaves_betas_snapshot_alone(tenant_a, tenant_b):
    low_item(tenant_a, "ALPHA-COLA")
    low_item(tenant_b, "BETA-TEA")
    with schema_context(tenant_b.schema_name):
        services.low_stock_snapshot_refresh(now=LONG_AGO)
        # beta's stock changes after its snapshot; alpha's run must not recompute beta.
        low_item(tenant_b, "BETA-MILK")
    beta_before = snapshot_of(tenant_b)

    with schema_context(tenant_a.schema_name):
        assert low_stock_snapshot_refresh.delay().get() == 1
        assert connection.schema_name == tenant_a.schema_name

    computed_at, codes = snapshot_of(tenant_a)
    assert codes == ["ALPHA-COLA"] and computed_at > LONG_AGO
    assert snapshot_of(tenant_b) == beta_before == (LONG_AGO, ["BETA-TEA"])


def test_fan_out_computes_each_shop_in_its_own_schema(tenant_a, tenant_b):
    low_item(tenant_a, "ALPHA-COLA")
    low_item(tenant_b, "BETA-TEA")

    queued = low_stock_snapshot_refresh_all.delay().get()

    assert queued >= 2
    assert snapshot_of(tenant_a)[1] == ["ALPHA-COLA"]
    assert snapshot_of(tenant_b)[1] == ["BETA-TEA"]
    assert connection.schema_name == "public"


def test_fan_out_skips_suspended_shops(tenant_a, tenant_b):
    low_item(tenant_b, "BETA-TEA")
    tenant_b.status = TenantStatus.SUSPENDED
    tenant_b.save(update_fields=["status"])

    low_stock_snapshot_refresh_all.delay().get()

    assert snapshot_of(tenant_b) == (None, [])
    assert snapshot_of(tenant_a)[0] is not None


def test_the_task_refuses_to_run_without_a_tenant(tenant_a):
    with pytest.raises(MissingTenantContext):
        low_stock_snapshot_refresh.delay()
    with pytest.raises(MissingTenantContext):
        low_stock_snapshot_refresh()


def test_beat_runs_the_fan_out_early_every_morning():
    app.loader.import_default_modules()
    [entry] = [e for e in app.conf.beat_schedule.values() if e["task"] == low_stock_snapshot_refresh_all.name]

    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(hour=5, minute=0)  # CELERY_TIMEZONE is Asia/Shanghai
    assert app.conf.timezone == "Asia/Shanghai"
