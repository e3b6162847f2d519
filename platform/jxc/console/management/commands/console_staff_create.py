import getpass

from django.core.management.base import BaseCommand, CommandError

from jxc.console.services import console_staff_create
from jxc.kernel.errors import AppError


class Command(BaseCommand):
    help = "Create a vendor staff user (public schema) who can log in to the support console, or reset its password."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", help="asked interactively when omitted")

    def handle(self, *args, email: str, password: str | None, **options):
        if password is None:
            password = getpass.getpass("Password: ")
        try:
            user = console_staff_create(email=email, password=password)
        except AppError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"Console staff user {user.email} is ready (id {user.pk})."))
