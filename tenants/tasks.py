from django.utils import timezone

from jxc.celery import public_task
from tenants import services
from tenants.enums import TenantStatus
from tenants.models import Tenant


@public_task(name="tenants.tasks.spare_pool_refill")
def spare_pool_refill(target: int | None = None) -> int:
    return services.spare_pool_refill(target=target)


@public_task(name="tenants.tasks.trials_expire")
def trials_expire() -> int:
    """Trials that ran out without a subscription become read-only (data kept, nothing lost)."""
    return Tenant.objects.filter(status=TenantStatus.TRIAL, trial_ends_at__lt=timezone.now()).update(
        status=TenantStatus.READ_ONLY
    )
