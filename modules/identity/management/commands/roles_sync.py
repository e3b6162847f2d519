from django.core.management.base import BaseCommand
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from modules.identity.services import roles_sync
from tenants.models import Tenant


class Command(BaseCommand):
    help = (
        "Give every shop's role groups exactly the permissions identity.roles grants: run after "
        "`migrate_schemas` when a release adds models or changes the roles."
    )

    def handle(self, *args, **options):
        connection.set_schema_to_public()
        schemas = list(
            Tenant.objects.exclude(schema_name=get_public_schema_name()).values_list("schema_name", flat=True)
        )
        for schema_name in schemas:
            with schema_context(schema_name):
                roles_sync()
        self.stdout.write(f"Synced the roles of {len(schemas)} shop(s).")
