from django.core.management.base import BaseCommand, CommandError

from jxc.kernel.errors import AppError
from tenants.services import tenant_delete, tenant_get


class Command(BaseCommand):
    help = "Delete a tenant and drop its schema, after the shop address is typed again to confirm."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--confirm", help="the shop address again (otherwise asked interactively)")

    def handle(self, *args, slug: str, confirm: str | None, **options):
        try:
            tenant = tenant_get(slug=slug)
            if confirm is None:
                confirm = input(f"This drops every table of {tenant.name}. Type {slug} to confirm: ").strip()
            tenant_delete(tenant=tenant, confirmation=confirm)
        except AppError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"Deleted tenant {slug} and dropped schema {tenant.schema_name}."))
