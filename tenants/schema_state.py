"""Which migrations a tenant schema made by this code has: spares made by older code must not be handed out."""

import functools
import hashlib

from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import app_labels


@functools.cache
def tenant_migration_state() -> str:
    """A fingerprint of the tenant apps' latest migrations (the code does not change under a running process)."""
    labels = set(app_labels(settings.TENANT_APPS))
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = sorted(f"{app}.{name}" for app, name in loader.graph.leaf_nodes() if app in labels)
    return hashlib.sha1("\n".join(leaves).encode(), usedforsecurity=False).hexdigest()[:16]
