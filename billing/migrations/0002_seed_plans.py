from decimal import Decimal

from django.db import migrations

PLANS = [
    # code, zh, en, monthly price, users, items, warehouses, api, default
    ("trial", "试用版", "Trial", Decimal("0.00"), 3, 500, 1, True, True),
    ("basic", "基础版", "Basic", Decimal("99.00"), 5, 5000, 2, False, False),
    ("pro", "专业版", "Professional", Decimal("299.00"), 50, None, 10, True, False),
]


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for code, zh, en, price, users, items, warehouses, api, default in PLANS:
        Plan.objects.update_or_create(
            code=code,
            defaults=dict(
                name_zh_hans=zh, name_en=en, monthly_price=price, max_users=users, max_items=items,
                max_warehouses=warehouses, api_access=api, is_default=default,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
