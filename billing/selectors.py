from django.db.models import QuerySet

from billing.models import Plan


def plan_default() -> Plan | None:
    return Plan.objects.filter(is_default=True).first()


def plan_list() -> QuerySet[Plan]:
    return Plan.objects.all()
