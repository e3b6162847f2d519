"""Give the roles that read reports their permission in shops that exist already.

A new shop gets it from roles_sync() after its migrations; an existing one would otherwise keep its
role groups as they were, and even its owner would be refused the reports until roles were re-synced.
"""

from django.db import migrations

from modules.identity.roles import ROLE_RULES


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    groups = list(Group.objects.filter(name__in=[r for r, rule in ROLE_RULES.items() if rule.grants("reports", "view_report")]))
    if not groups:
        return  # a new schema: roles_sync() creates the groups (and grants this) after the migrations
    content_type, _ = ContentType.objects.get_or_create(app_label="reports", model="report")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="view_report", defaults={"name": "Can read the trade reports"}
    )
    for group in groups:
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
