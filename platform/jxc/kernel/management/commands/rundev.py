"""`make run`: migrate, make sure the demo shop exists, then serve the web app and a Celery worker."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Set up the database and the demo shop, then run the web server (and a Celery worker with Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--setup-only", action="store_true", help="migrate and seed, then exit")

    def handle(self, *args, port: int, setup_only: bool, **options):
        from jxc.console.services import console_demo_staff_ensure
        from onboarding.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD, demo_tenant_ensure
        from tenants.services import public_tenant_ensure, spare_pool_refill

        call_command("migrate_schemas", interactive=False, verbosity=0)
        public_tenant_ensure()
        demo_tenant_ensure()
        staff_email, staff_password = console_demo_staff_ensure()
        # Without a beat (no Redis) nothing else fills the pool, and signups would wait for migrations.
        spare_pool_refill()
        if setup_only:
            return

        base = settings.BASE_DOMAIN
        self.stdout.write(
            self.style.SUCCESS("\nReady:\n")
            + f"  public site   http://{base}:{port}\n"
            + f"  demo shop     http://demo.{base}:{port}   (login {DEMO_OWNER_EMAIL} / {DEMO_OWNER_PASSWORD})\n"
            + f"  console       http://{base}:{port}/console/   (login {staff_email} / {staff_password})\n"
        )
        # Children reuse this process's database (the embedded one too) instead of starting their own.
        env = {**os.environ, "DATABASE_URL": settings.DATABASE_URL, "PUBLIC_PORT": str(port)}
        children = []
        if settings.REDIS_URL:
            children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "celery", "-A", "jxc", "worker", "-B", "--loglevel", "INFO", "-c", "2"],
                    env=env,
                )
            )
        else:
            self.stdout.write("  Celery: REDIS_URL is not set, tasks run in-process (no worker needed).\n")
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"0.0.0.0:{port}"], env=env)
        children.append(server)
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            for child in children:
                child.wait(timeout=15)
