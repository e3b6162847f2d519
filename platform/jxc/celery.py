"""The one Celery app. Tenant tasks carry their schema in a message header.

`tenant_task` tasks refuse to run without a tenant header (fail closed), so a
caller cannot forget the tenant and silently run on the public schema.
`public_task` tasks belong to the control plane and always run on public.
"""

import os

from celery.schedules import crontab
from django.db import connection
from tenant_schemas_celery.app import CeleryApp
from tenant_schemas_celery.task import TenantTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jxc.settings")


class MissingTenantContext(RuntimeError):
    """A tenant task was sent or run without a tenant schema."""


class TenantScopedTask(TenantTask):
    abstract = True

    def _require_tenant(self, headers: dict | None) -> None:
        schema = (headers or {}).get("_schema_name")
        if not schema or schema == "public":
            raise MissingTenantContext(f"task {self.name} needs a tenant schema; none was active")

    def apply_async(self, args=None, kwargs=None, **options):
        headers = options.get("headers") or {}
        if "_schema_name" not in headers:
            headers = {**headers, "_schema_name": connection.schema_name}
        self._require_tenant(headers)
        options["headers"] = headers
        return super().apply_async(args, kwargs, **options)

    def __call__(self, *args, **kwargs):
        # The worker side: the header switched the schema before we get here.
        if connection.schema_name == "public":
            raise MissingTenantContext(f"task {self.name} arrived without a tenant schema")
        return super().__call__(*args, **kwargs)


app = CeleryApp("jxc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def tenant_task(*args, **kwargs):
    return app.task(*args, base=TenantScopedTask, **kwargs)


def public_task(*args, **kwargs):
    return app.task(*args, **kwargs)


app.conf.beat_schedule = {
    "spare-schema-pool-refill": {
        "task": "tenants.tasks.spare_pool_refill",
        "schedule": 60.0,
    },
    "tenant-trials-expire": {
        "task": "tenants.tasks.trials_expire",
        "schedule": crontab(minute=5),
    },
}
