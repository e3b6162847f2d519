"""For support staff: which shops' books lack what their stock or partner ledgers hold (no opening entry yet,
or entries missing), per tenant schema. Read-only: posting the opening balances stays the owner's or the
accountant's action, on /finance/opening/."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django_tenants.utils import get_public_schema_name, tenant_context

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import today_in
from modules.finance.opening import OpeningProposal, opening_balances_proposal
from tenants.models import Tenant


def _summary(proposal: OpeningProposal) -> str:
    parts = []
    stock = proposal.stock
    if stock.amount:
        parts.append(f"stock {stock.amount} (ledger {stock.ledger}, 1405 {stock.books})")
    for label, lines in (("customers", proposal.receivables), ("suppliers", proposal.payables)):
        off = [line for line in lines if line.amount]
        if off:
            parts.append(f"{label} {len(off)} ({sum(line.amount for line in off)})")
    return "; ".join(parts)


class Command(BaseCommand):
    help = (
        "List the shops whose books differ from their stock ledger (1405) or partner ledger (1122 per customer, "
        "2202 per supplier) at the end of a day: they need an opening entry (期初余额) or missing documents. "
        "Reads only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="YYYY-MM-DD (default: today in each shop's time zone)")
        parser.add_argument("--shop", action="append", help="a shop address (slug); repeat for several")
        parser.add_argument(
            "--all", action="store_true", dest="show_all", help="also list the shops whose books reconcile"
        )

    def handle(self, *args, as_of: str | None, shop: list[str] | None, show_all: bool, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError as exc:
            raise CommandError("--as-of: enter a date as YYYY-MM-DD") from exc
        connection.set_schema_to_public()
        tenants = Tenant.objects.exclude(schema_name=get_public_schema_name()).order_by("slug")
        if shop:
            tenants = tenants.filter(slug__in=shop)
            unknown = sorted(set(shop) - set(tenants.values_list("slug", flat=True)))
            if unknown:
                raise CommandError(f"no shop {', '.join(unknown)}")
        differing = 0
        for tenant in tenants:
            with tenant_context(tenant):
                try:
                    today = today_in(tenant.timezone)
                    proposal = opening_balances_proposal(as_of=day or today, today=today)
                except AppError as exc:
                    self.stdout.write(f"{tenant.slug}: {exc.message}")
                    continue
                summary = _summary(proposal)
            if summary:
                differing += 1
                self.stdout.write(f"{tenant.slug} ({tenant.schema_name}) at {proposal.as_of}: {summary}")
            elif show_all:
                self.stdout.write(f"{tenant.slug} ({tenant.schema_name}) at {proposal.as_of}: reconciles")
        self.stdout.write(f"{differing} of {len(tenants)} shop(s) differ from their ledgers.")
