"""Every tenant schema (the spare-schema pool included: it is migrated like any tenant) starts with the
小企业会计准则 chart of accounts."""

from django.db import migrations

from modules.finance.chart import TEMPLATE, parent_code


def chart_create(apps, schema_editor):
    Account = apps.get_model("finance", "Account")
    if Account.objects.exists():
        return
    codes = {row[0] for row in TEMPLATE}
    parents = {parent_code(code) for code in codes} - {None}
    created = {}
    # Parents come before their children in TEMPLATE.
    for code, name_zh, name_en, kind, side in TEMPLATE:
        created[code] = Account.objects.create(
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            type=kind,
            side=side,
            parent=created.get(parent_code(code) or ""),
            is_leaf=code not in parents,
            is_template=True,
        )


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(chart_create, migrations.RunPython.noop)]
