"""Write paths for merchant users and roles in the current tenant schema."""

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from modules.identity.roles import ROLE_RULES, Role


@transaction.atomic
def roles_sync() -> None:
    """Create the role groups and give each exactly the permissions its rule grants."""
    permissions = list(Permission.objects.select_related("content_type"))
    for role, rule in ROLE_RULES.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([p for p in permissions if rule.grants(p.content_type.app_label, p.codename)])


def user_create_owner(*, email: str, password_hash: str, language: str = "zh-hans") -> User:
    """The shop's first user. `password_hash` is already hashed (signup hashes before provisioning)."""
    email = email.strip().lower()
    user = User(username=email, email=email, password=password_hash, is_active=True)
    user.save()
    user.groups.add(Group.objects.get(name=Role.OWNER))
    return user
