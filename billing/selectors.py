from billing.models import Plan


def plan_default() -> Plan | None:
    return Plan.objects.filter(is_default=True).first()


def plan_list():
    return Plan.objects.all()
