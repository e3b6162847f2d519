"""The one Celery app. Tenant tasks carry their schema in a message header.

`tenant_task` tasks take their tenant from the sender's schema (the
`_schema_name` header, never an argument) and fail closed: they refuse to be
sent from the public schema and refuse to run when the message brings no
tenant, so a caller cannot forget the tenant and silently run on public.
`public_task` tasks belong to the control plane and always run on public,
whichever schema queued them.
"""

import os

from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun
from django.db import connection
from tenant_schemas_celery.app import CeleryApp, get_schema_name_from_task
from tenant_schemas_celery.task import TenantTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jxc.settings")

SCHEMA_HEADER = "_schema_name"  # the header tenant-schemas-celery switches the worker's schema on
PUBLIC_SCHEMA = "public"


class MissingTenantContext(RuntimeError):
    """A tenant task was sent or run without a tenant schema."""


class TenantScopedTask(TenantTask):
    """Runs in the schema of the tenant that queued it, or not at all."""

    abstract = True

    def apply_async(self, args=None, kwargs=None, **options):
        options["headers"] = self._tenant_headers(options.get("headers"))
        return super().apply_async(args, kwargs, **options)

    def apply(self, args=None, kwargs=None, *arg, **options):
        options["headers"] = self._tenant_headers(options.get("headers"))
        return super().apply(args, kwargs, *arg, **options)

    def _tenant_headers(self, headers: dict | None) -> dict:
        headers = dict(headers or {})
        # An explicit header is honoured (a scheduler that already knows the schema);
        # otherwise the sender's current schema is the task's tenant.
        schema = headers.setdefault(SCHEMA_HEADER, connection.schema_name)
        if not schema or schema == PUBLIC_SCHEMA:
            raise MissingTenantContext(
                f"task {self.name} must be sent from a tenant's schema (use schema_context/tenant_context); "
                f"the current schema is {connection.schema_name!r}"
            )
        return headers

    def __call__(self, *args, **kwargs):
        if self.request.called_directly:
            # A plain function call: whatever schema the caller is in must be a tenant's.
            schema = connection.schema_name
        else:
            # From a message: the header decides, and the prerun signal must have switched to it.
            # A header naming an unknown schema makes the switch fail (Celery only logs signal
            # errors), so the connection is compared too rather than trusted.
            schema = get_schema_name_from_task(self, kwargs)
            if schema != connection.schema_name:
                raise MissingTenantContext(
                    f"task {self.name} was sent for schema {schema!r} but the worker is in {connection.schema_name!r}"
                )
        if not schema or schema == PUBLIC_SCHEMA:
            raise MissingTenantContext(f"task {self.name} arrived without a tenant schema; refusing to run on public")
        return super().__call__(*args, **kwargs)


class PublicTask(TenantTask):
    """A control-plane task: always runs on the public schema, even when queued from a shop's request."""

    abstract = True

    def apply_async(self, args=None, kwargs=None, **options):
        options["headers"] = {**(options.get("headers") or {}), SCHEMA_HEADER: PUBLIC_SCHEMA}
        return super().apply_async(args, kwargs, **options)

    def apply(self, args=None, kwargs=None, *arg, **options):
        options["headers"] = {**(options.get("headers") or {}), SCHEMA_HEADER: PUBLIC_SCHEMA}
        return super().apply(args, kwargs, *arg, **options)


app = CeleryApp("jxc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def tenant_task(*args, **kwargs):
    return app.task(*args, base=TenantScopedTask, **kwargs)


def public_task(*args, **kwargs):
    return app.task(*args, base=PublicTask, **kwargs)


@task_prerun.connect(dispatch_uid="jxc_task_log_context")
def _task_log_context(task_id=None, task=None, **_kwargs):
    # Connected after tenant-schemas-celery's switch_schema, so the schema is the task's own.
    from jxc import observability

    eager = bool(getattr(getattr(task, "request", None), "is_eager", False))
    observability.task_context_enter(task_id=task_id or "-", schema=connection.schema_name, eager=eager)


@task_postrun.connect(dispatch_uid="jxc_task_log_context_exit")
def _task_log_context_exit(**_kwargs):
    from jxc import observability

    observability.task_context_exit()


app.conf.beat_schedule = {
    "spare-schema-pool-refill": {
        "task": "tenants.tasks.spare_pool_refill",
        "schedule": 60.0,
    },
    "tenant-trials-expire": {
        "task": "tenants.tasks.trials_expire",
        "schedule": crontab(minute=5),
    },
    # Nightly (Asia/Shanghai, CELERY_TIMEZONE), after the evening's trading.
    "tenant-usage-record-all": {
        "task": "jxc.kernel.tasks.usage_record_all",
        "schedule": crontab(hour=2, minute=30),
    },
    # Idempotency records live 24 hours; purge-on-read keeps replies right, this keeps the tables small.
    "api-idempotency-records-purge-all": {
        "task": "jxc.api.tasks.idempotency_records_purge_all",
        "schedule": crontab(hour=3, minute=15),
    },
    # Early morning, before the shops open: what to reorder today, for each shop's dashboard.
    "reorder-low-stock-snapshot-refresh-all": {
        "task": "modules.reorder.tasks.low_stock_snapshot_refresh_all",
        "schedule": crontab(hour=5, minute=0),
    },
}
