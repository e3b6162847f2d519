from django.core.management.base import BaseCommand

from tenants.services import spare_pool_refill


class Command(BaseCommand):
    help = "Top up the pool of pre-migrated spare schemas."

    def add_arguments(self, parser):
        parser.add_argument("--target", type=int, default=None)

    def handle(self, *args, target: int | None, **options):
        created = spare_pool_refill(target=target)
        self.stdout.write(f"Created {created} spare schema(s).")
