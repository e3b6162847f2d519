from django.conf import settings
from django.db.models import QuerySet

from tenants.models import Tenant


def tenant_list() -> QuerySet[Tenant]:
    return Tenant.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).select_related("plan")
