"""Give an app's permissions to the role groups of a shop that exists already, from a data migration.

A new shop gets every permission from roles_sync() after its migrations; a shop made before an app joined
the roles (identity.roles) keeps its groups as they were until they are re-synced. An app's migration
`RunPython(app_permissions_grant("<app_label>"), RunPython.noop)` grants them as the rules say.
"""

from collections.abc import Callable

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from modules.identity.roles import ROLE_RULES


def app_permissions_grant(app_label: str) -> Callable:
    def grant(apps, schema_editor) -> None:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        groups = list(Group.objects.filter(name__in=list(ROLE_RULES)))
        if not groups:
            return  # a new schema: roles_sync() creates the groups (with these permissions) after the migrations
        # Permissions are made after migrations (post_migrate): make this app's now, to grant them.
        create_permissions(
            global_apps.get_app_config(app_label), verbosity=0, using=schema_editor.connection.alias, apps=apps
        )
        permissions = list(Permission.objects.filter(content_type__app_label=app_label))
        for group in groups:
            rule = ROLE_RULES[group.name]
            group.permissions.add(*[p for p in permissions if rule.grants(app_label, p.codename)])

    return grant
