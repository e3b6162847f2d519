"""Order to cash: sales order → confirm (reserve) → delivery → invoice → receipt of payment, through the
sales services vs hand-written psycopg 3.

Run after `make test` has installed things: `.venv/bin/python bench/order_to_cash.py`
(DATABASE_URL if set, else the embedded PostgreSQL). It works in a throwaway database of its own,
created and migrated first and dropped at the end.

One plan of sales (BENCH_O2C_ORDERS orders of 2-5 lines over BENCH_O2C_ITEMS items in two warehouses,
BENCH_O2C_CUSTOMERS customers, half of them with a credit limit; item or manual prices, discounts, VAT
rates, prices with or without VAT; a fifth delivered in part; receipts paying an invoice in full or in
half, settling the customer's earlier half-paid invoice too, some with money left on account) runs twice,
each in a fresh tenant schema of its own, on stock received there first (untimed, the same way):

  project  modules.sales.services: sales_order_create, sales_order_confirm, sales_deliver,
           sales_invoice_create, sales_receipt_create — one call (one transaction) per document
  raw      the same writes by hand on a plain psycopg 3 connection (prepared statements on), a
           transaction per document: the gap-free number, the order and its lines; the order's row
           lock, the customer's lock and credit check, the pools' and balance rows' locks (sorted),
           the availability check, balance.reserved and the reservation rows; the delivery releasing
           the reservation, costing its moves at the moving average with running balances, its lines
           and the delivered counters and status; the invoice pro rata with cumulative rounding, its
           lines, the invoiced counters and the receivable entry; the receipt locking its invoices,
           its allocations, paid amounts and the receivable entry; and for the delivery (Dr 5401 / Cr 1405
           at the moves' value), the invoice (Dr 1122 / Cr 5001 and 22210102) and the receipt (Dr the bank,
           cash or 1012 / Cr 1122) the journal entry: the month's period row created or locked and its number
           taken (refused when it or a later month is closed), the entry as a draft with its lines, then
           posted and added to the account period totals — and nothing else: no settings read, no selling
           checks at confirm (below cost, stock: reads only, which the plan never trips), no account checks
           (the chart's ids are read once), no units other than the base unit, no lots, backdating or
           reversals: the project's extra work

The two alternate in rounds so that drift on the machine hits both alike; each document's call is
timed on its own (the plan's bookkeeping between calls is not), and the first BENCH_O2C_WARMUP orders
are an untimed warm-up, during which the project's queries are counted per document. At the end both
schemas must hold the same orders, lines and counters, reservations, deliveries, moves, balances,
pools, invoices, partner ledger entries, receipts, allocations, number sequences, journal entries and lines,
account period totals and periods, figure for figure.
"""

import calendar
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import bootstrap  # noqa: F401  (path and Django set-up, before any project import)
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.harness import (
    catalog_create,
    places_create,
    raw_connection,
    say,
    target,
    tenant_create,
    tenant_drop,
    throwaway_database,
)
from modules.finance.chart import BANK, CASH, COST_OF_SALES, INVENTORY, OUTPUT_VAT, RECEIVABLE, REVENUE
from modules.finance.models import Account, AccountPeriodTotal, JournalEntry, JournalLine, Period
from modules.finance.posting_rules import OTHER_MONETARY_FUNDS as OTHER_MONEY
from modules.inventory.models import ItemValuation, StockBalance, StockMove, StockReservation
from modules.inventory.services import MoveLine, stock_moves_post
from modules.numbering.models import DocumentSequence
from modules.partnerledger.models import PartnerEntry
from modules.partners.models import Partner
from modules.sales.models import (
    SalesDelivery,
    SalesDeliveryLine,
    SalesInvoice,
    SalesInvoiceLine,
    SalesOrder,
    SalesOrderLine,
    SalesReceipt,
    SalesReceiptAllocation,
)
from modules.sales.services import (
    AllocationInput,
    DeliverLineInput,
    DocumentLineInput,
    OrderLineInput,
    sales_deliver,
    sales_invoice_create,
    sales_order_confirm,
    sales_order_create,
    sales_receipt_create,
)

ORDERS = int(os.environ.get("BENCH_O2C_ORDERS", "200"))
ITEMS = int(os.environ.get("BENCH_O2C_ITEMS", "60"))
CUSTOMERS = int(os.environ.get("BENCH_O2C_CUSTOMERS", "20"))
ROUND = int(os.environ.get("BENCH_O2C_ROUND", "25"))
WARMUP = int(os.environ.get("BENCH_O2C_WARMUP", "20"))
PROFILE = os.environ.get("BENCH_O2C_PROFILE", "") not in ("", "0")
GOAL = 0.5
TZ = "Asia/Shanghai"
START = date(2026, 1, 5)
PER_DAY = 20
STEPS = ("order", "confirm", "deliver", "invoice", "receipt")

CENT = Decimal("0.01")
MICRO = Decimal("0.000001")
HUNDRED = Decimal(100)
LIMIT = Decimal("100000000.00")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


# --- The plan ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanLine:
    item: int  # index into the catalog
    quantity: Decimal
    unit_price: Decimal | None  # None: the item's sale price
    discount: Decimal | None  # percent
    vat_rate: Decimal | None  # None: the item's


@dataclass(frozen=True)
class Sale:
    n: int
    on: date
    customer: int
    warehouse: int  # 0 the main warehouse, 1 the second
    include_vat: bool
    lines: list[PlanLine]
    deliver: list[Decimal]  # per order line: what the delivery takes (0: nothing)
    method: str
    pay_share: Decimal  # of this sale's invoice
    on_account: Decimal  # received beyond the allocations


def plan_make(seed: int = 11) -> tuple[list[Sale], dict[tuple[int, int], Decimal]]:
    """The sales, and what each item × warehouse needs in stock for them."""
    rng = random.Random(seed)
    needed: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    sales = []
    for n in range(WARMUP + ORDERS):
        warehouse = 0 if rng.random() < 0.8 else 1
        lines = []
        for item in rng.sample(range(ITEMS), rng.randint(2, 5)):
            quantity = Decimal(rng.randint(1, 8))
            needed[(item, warehouse)] += quantity
            lines.append(
                PlanLine(
                    item,
                    quantity,
                    None if rng.random() < 0.5 else Decimal(rng.randint(300, 6000)) / 100,
                    None if rng.random() < 0.7 else rng.choice([Decimal(5), Decimal(10), Decimal("12.5")]),
                    None if rng.random() < 0.8 else rng.choice([Decimal("0.09"), Decimal("0.06"), Decimal("0.00")]),
                )
            )
        if rng.random() < 0.8:
            deliver = [line.quantity for line in lines]
        else:
            deliver = [Decimal(rng.randint(0, int(line.quantity))) for line in lines]
            if not any(deliver):
                deliver[0] = lines[0].quantity
        sales.append(
            Sale(
                n=n,
                on=START + timedelta(days=n // PER_DAY),
                customer=rng.randrange(CUSTOMERS),
                warehouse=warehouse,
                include_vat=rng.random() < 0.8,
                lines=lines,
                deliver=deliver,
                method=rng.choice(["bank", "cash", "wechat", "alipay"]),
                pay_share=Decimal(1) if rng.random() < 0.7 else Decimal("0.5"),
                on_account=Decimal("50.00") if rng.random() < 0.1 else Decimal(0),
            )
        )
    return sales, needed


def seed_cost(item: int, receipt: int) -> Decimal:
    return Decimal(150 + (item * 37 + receipt * 91) % 2000) / 100


def stock_seed(items, warehouses, needed) -> None:
    """Two receipts per warehouse (every item at two costs) before the first order: what the plan needs and more."""
    posted_at = datetime.combine(START - timedelta(days=1), clock(10), tzinfo=ZoneInfo(TZ))
    for w, warehouse in enumerate(warehouses):
        for receipt in range(2):
            lines = [
                MoveLine(item, warehouse, (needed[(i, w)] * (3 if receipt == 0 else 2) / 5).to_integral_value() + 5,
                         seed_cost(i, receipt))
                for i, item in enumerate(items)
            ]  # fmt: skip
            stock_moves_post(
                lines=lines, posted_at=posted_at + timedelta(minutes=receipt + 2 * w), source_type="bench",
                source_id=2 * w + receipt, reference=f"SEED{w}{receipt}",
            )  # fmt: skip


def customers_create() -> list[Partner]:
    return Partner.objects.bulk_create(
        [
            Partner(
                code=f"C{n:03d}", name=f"客户{n:03d}", is_customer=True,
                credit_limit=LIMIT if n % 2 else Decimal(0), payment_terms_days=30 if n % 3 == 0 else 0,
            )
            for n in range(CUSTOMERS)
        ]
    )  # fmt: skip


def shop_create() -> tuple:
    """A catalog, two warehouses, customers: the same in each schema (bulk, untimed)."""
    items = catalog_create(items=ITEMS, categories=10)
    places = places_create()
    warehouses = [places[0][0], places[3][0]]
    return items, warehouses, customers_create()


@dataclass
class Clock:
    """Seconds and documents per step of one path; statements counted per step when asked."""

    seconds: dict = field(default_factory=lambda: defaultdict(float))
    queries: dict = field(default_factory=lambda: defaultdict(list))

    def run(self, step: str, timed: bool, call, *args):
        if not timed:
            return call(*args)
        began = time.perf_counter()
        result = call(*args)
        self.seconds[step] += time.perf_counter() - began
        return result


class Receivables:
    """Per customer, the invoice a receipt paid in half (a reference, its open amount): the next receipt of
    that customer settles the rest too. Each path keeps its own; the plan makes them agree."""

    def __init__(self):
        self.open: dict[int, tuple[object, Decimal]] = {}

    def allocations(self, sale: Sale, invoice, gross: Decimal) -> tuple[list[tuple[object, Decimal]], Decimal]:
        share = cents(gross * sale.pay_share)
        allocations = [(invoice, share)]
        earlier = self.open.pop(sale.customer, None)
        if earlier is not None:
            allocations.append(earlier)
        if share < gross:
            self.open[sale.customer] = (invoice, gross - share)
        return allocations, sum((amount for _i, amount in allocations), Decimal(0)) + sale.on_account


# --- The project's path -------------------------------------------------------------------------------

# What the services spend their time in, measured in the warm-up (with the queries): the callees named
# here, wrapped where modules.sales.services finds them, and the ORM's bulk writes.
CALLEES = (
    "_order_locked", "document_number_next", "partner_lock", "credit_exposure", "stock_reserve", "stock_release",
    "stock_moves_post", "partner_entry_post", "_order_of_delivery_lines", "_order_status_follow",
)  # fmt: skip
spent: dict[tuple[str, str], float] = defaultdict(float)
current = {"step": None}


def callees_wrap() -> None:
    from django.db.models import Model
    from django.db.models.query import QuerySet

    from modules.sales import services

    def wrapped(name, call):
        def timed(*args, **kwargs):
            if current["step"] is None:
                return call(*args, **kwargs)
            began = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                spent[(current["step"], name)] += time.perf_counter() - began

        return timed

    for name in CALLEES:
        setattr(services, name, wrapped(name, getattr(services, name)))
    QuerySet.bulk_update = wrapped("QuerySet.bulk_update", QuerySet.bulk_update)
    QuerySet.bulk_create = wrapped("QuerySet.bulk_create", QuerySet.bulk_create)
    Model.save = wrapped("Model.save", Model.save)


class ProjectPath:
    def __init__(self, tenant, needed):
        self.tenant = tenant
        connection.set_tenant(tenant)
        self.items, self.warehouses, self.customers = shop_create()
        self.unit = self.items[0].base_unit
        stock_seed(self.items, self.warehouses, needed)
        self.receivables = Receivables()
        self.clock = Clock()

    def run(self, sale: Sale, timed: bool, count: bool = False) -> None:
        clock_ = self.clock
        customer = self.customers[sale.customer]
        lines = [
            OrderLineInput(self.items[line.item], self.unit, line.quantity, line.unit_price, line.discount,
                           line.vat_rate)
            for line in sale.lines
        ]  # fmt: skip

        def step(name, call, *args):
            if not count:
                return clock_.run(name, timed, call, *args)
            with CaptureQueriesContext(connection) as captured:
                current["step"], began = name, time.perf_counter()
                try:
                    result = call(*args)
                finally:
                    current["step"] = None
                    spent[(name, "the whole call")] += time.perf_counter() - began
            clock_.queries[name].append([query["sql"] for query in captured.captured_queries])
            return result

        order = step(
            "order",
            lambda: sales_order_create(
                customer=customer, warehouse=self.warehouses[sale.warehouse], date=sale.on, lines=lines,
                prices_include_vat=sale.include_vat,
            ),
        )  # fmt: skip
        # What the order page shows the clerk (not timed): its lines' ids.
        line_ids = list(SalesOrderLine.objects.filter(order=order).order_by("position").values_list("pk", flat=True))
        step("confirm", lambda: sales_order_confirm(order=order))
        delivery = step(
            "deliver",
            lambda: sales_deliver(
                order=order, tz_name=TZ, on=sale.on,
                lines=[DeliverLineInput(line_id, q) for line_id, q in zip(line_ids, sale.deliver, strict=True) if q],
            ),
        )  # fmt: skip
        delivered = list(delivery.lines.order_by("pk").values_list("pk", "quantity"))
        invoice = step(
            "invoice",
            lambda: sales_invoice_create(
                order=order, tz_name=TZ, on=sale.on, lines=[DocumentLineInput(pk, q) for pk, q in delivered]
            ),
        )
        allocations, amount = self.receivables.allocations(sale, invoice, invoice.total_gross)
        step(
            "receipt",
            lambda: sales_receipt_create(
                customer=customer, amount=amount, method=sale.method, tz_name=TZ, on=sale.on,
                allocations=[AllocationInput(invoice, share) for invoice, share in allocations],
            ),
        )  # fmt: skip


# --- The hand-written path ----------------------------------------------------------------------------


class Refused(Exception):
    """What the project answers with a 4xx; the plan never asks for it."""


@dataclass
class RawOrder:
    id: int
    line_ids: list[int]


class RawPath:
    """The same writes on a plain psycopg connection, written the way one would without the ORM."""

    def __init__(self, tenant, needed):
        connection.set_tenant(tenant)
        items, warehouses, customers = shop_create()
        stock_seed(items, warehouses, needed)
        self.items = [(item.pk, item.base_unit_id, item.sale_price, item.vat_rate, item.is_active) for item in items]
        self.warehouses = [warehouse.pk for warehouse in warehouses]
        self.customers = [customer.pk for customer in customers]
        self.accounts = dict(Account.objects.values_list("code", "pk"))
        connection.set_schema_to_public()
        self.conn = raw_connection(tenant.schema_name)
        self.cur = self.conn.cursor()
        self.receivables = Receivables()
        self.clock = Clock()
        self.statements: Counter = Counter()
        self.step = ""

    def x(self, sql: str, params=()):
        self.statements[self.step] += 1
        return self.cur.execute(sql, params)

    def number_next(self, doc_type: str, prefix: str, on: date) -> str:
        (last,) = self.x(
            "INSERT INTO numbering_documentsequence (doc_type, year, last) VALUES (%s, %s, 1)"
            " ON CONFLICT (doc_type, year) DO UPDATE SET last = numbering_documentsequence.last + 1 RETURNING last",
            [doc_type, on.year],
        ).fetchone()
        return f"{prefix}{on.year}{last:05d}"

    # 记账凭证: the period's row (created when first needed) locked and its number taken, refused when it or a
    # later month is closed; the entry as a draft with its lines, then posted and added to the period totals
    # (the journal's triggers refuse lines added to a posted entry, and check the balance at commit).
    def journal_post(
        self, on: date, lines: list[tuple[str, str, Decimal, int | None]], memo: str, source_type: str, source_id: int
    ) -> None:
        lines = [line for line in lines if line[2] != 0]
        if not lines:
            return
        period_id, status, last, closed_later = self.x(
            "INSERT INTO finance_period (year, month, start, \"end\", status, last_number, closed_at, closed_by_id)"
            " VALUES (%s, %s, %s, %s, 'open', 1, NULL, NULL) ON CONFLICT (year, month)"
            " DO UPDATE SET last_number = finance_period.last_number + 1"
            " RETURNING id, status, last_number,"
            " (SELECT count(*) FROM finance_period c WHERE c.status = 'closed' AND c.\"end\" >= %s)",
            [on.year, on.month, on.replace(day=1), on.replace(day=calendar.monthrange(on.year, on.month)[1]), on],
        ).fetchone()  # fmt: skip
        if status == "closed" or closed_later:
            raise Refused("period closed")
        accounts = [self.accounts[line[0]] for line in lines]
        debits = [line[2] if line[1] == "debit" else Decimal(0) for line in lines]
        credits = [line[2] if line[1] == "credit" else Decimal(0) for line in lines]
        total = sum(debits, Decimal(0))
        (entry_id,) = self.x(
            "WITH e AS (INSERT INTO finance_journalentry (period_id, number, date, memo, source_type, source_id,"
            " status, reverses_id, total, created_by_id, posted_by_id, created_at, posted_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, 'draft', NULL, %s, NULL, NULL, now(), NULL) RETURNING id)"
            " INSERT INTO finance_journalline (entry_id, position, account_id, debit, credit, partner_id, memo)"
            " SELECT e.id, u.n - 1, u.a, u.d, u.c, u.p, '' FROM e, unnest(%s::bigint[], %s::numeric[],"
            " %s::numeric[], %s::bigint[]) WITH ORDINALITY AS u(a, d, c, p, n) ORDER BY u.n RETURNING entry_id",
            [period_id, f"{on.year}{on.month:02d}-{last:04d}", on, memo, source_type, source_id, total, accounts,
             debits, credits, [line[3] for line in lines]],
        ).fetchall()[0]  # fmt: skip
        sums: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for account_id, debit, credit in zip(accounts, debits, credits, strict=True):
            sums[account_id][0] += debit
            sums[account_id][1] += credit
        ids = sorted(sums)
        self.x(
            "WITH t AS (INSERT INTO finance_accountperiodtotal (account_id, period_id, debit, credit)"
            " SELECT u.a, %s, u.d, u.c FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[]) AS u(a, d, c)"
            " ORDER BY u.a ON CONFLICT (period_id, account_id) DO UPDATE SET"
            " debit = finance_accountperiodtotal.debit + EXCLUDED.debit,"
            " credit = finance_accountperiodtotal.credit + EXCLUDED.credit)"
            " UPDATE finance_journalentry SET status = 'posted', posted_at = now() WHERE id = %s",
            [period_id, ids, [sums[i][0] for i in ids], [sums[i][1] for i in ids], entry_id],
        )  # fmt: skip

    def run(self, sale: Sale, timed: bool) -> None:
        def step(name, call, *args):
            self.step = name
            self.statements[name] += 2  # the transaction's BEGIN and COMMIT
            return self.clock.run(name, timed, call, *args)

        order = step("order", self.order_create, sale)
        step("confirm", self.order_confirm, order.id)
        delivered = step(
            "deliver",
            self.deliver,
            order.id,
            [(line_id, q) for line_id, q in zip(order.line_ids, sale.deliver, strict=True) if q],
            sale.on,
        )
        invoice_id, gross = step("invoice", self.invoice_create, order.id, delivered, sale.on)
        allocations, amount = self.receivables.allocations(sale, invoice_id, gross)
        step("receipt", self.receipt_create, self.customers[sale.customer], amount, sale.method, allocations, sale.on)

    # 销售订单: the number, the order with its totals, its lines.
    def order_create(self, sale: Sale) -> RawOrder:
        rows = []
        for position, line in enumerate(sale.lines):
            item_id, unit_id, sale_price, item_vat, active = self.items[line.item]
            if not active:
                raise Refused("inactive item")
            quantity = line.quantity.quantize(MICRO)
            if line.unit_price is None:
                price, source = sale_price.quantize(MICRO), "item"
            else:
                price, source = line.unit_price.quantize(MICRO), "manual"
            discount = (line.discount or Decimal(0)).quantize(CENT)
            vat = item_vat if line.vat_rate is None else line.vat_rate.quantize(CENT)
            amount = quantity * price * (HUNDRED - discount) / HUNDRED
            if sale.include_vat:
                gross = cents(amount)
                net = cents(gross / (1 + vat))
                tax = gross - net
            else:
                net = cents(amount)
                tax = cents(net * vat)
                gross = net + tax
            rows.append((position, item_id, unit_id, quantity, quantity, price, source, discount, vat, net, tax, gross))
        columns = [list(column) for column in zip(*rows, strict=True)]
        with self.conn.transaction():
            number = self.number_next("sales_order", "XS", sale.on)
            (order_id,) = self.x(
                "INSERT INTO sales_salesorder (number, quotation_number, status, customer_id, warehouse_id,"
                " salesperson_id, date, valid_until, delivery_date, note, prices_include_vat, total_net, total_tax,"
                " total_gross, credit_override_by_id, confirmed_at, created_by_id, created_at)"
                " VALUES (%s, '', 'draft', %s, %s, NULL, %s, NULL, NULL, '', %s, %s, %s, %s, NULL, NULL, NULL, now())"
                " RETURNING id",
                [number, self.customers[sale.customer], self.warehouses[sale.warehouse], sale.on, sale.include_vat,
                 sum(columns[9]), sum(columns[10]), sum(columns[11])],
            ).fetchone()  # fmt: skip
            line_ids = [
                row[0]
                for row in self.x(
                    "INSERT INTO sales_salesorderline (order_id, position, item_id, unit_id, quantity, base_quantity,"
                    " unit_price, price_source, discount_percent, vat_rate, net, tax, gross, delivered_quantity,"
                    " returned_quantity, invoiced_quantity, credited_quantity)"
                    " SELECT %s, u.p, u.i, u.u, u.q, u.b, u.pr, u.s, u.d, u.v, u.n, u.t, u.g, 0, 0, 0, 0"
                    " FROM unnest(%s::int[], %s::bigint[], %s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[],"
                    " %s::text[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[])"
                    " WITH ORDINALITY AS u(p, i, u, q, b, pr, s, d, v, n, t, g, o) ORDER BY u.o RETURNING id",
                    [order_id, *columns],
                ).fetchall()
            ]
        return RawOrder(order_id, line_ids)

    def _lock_pools(self, item_ids: list[int]) -> dict[int, list]:
        self.x(
            "INSERT INTO inventory_itemvaluation (item_id, quantity, value, cost)"
            " SELECT unnest(%s::bigint[]), 0, 0, 0 ON CONFLICT DO NOTHING",
            [item_ids],
        )
        rows = self.x(
            "SELECT item_id, quantity, value, cost, last_posted_at FROM inventory_itemvaluation"
            " WHERE item_id = ANY(%s) ORDER BY item_id FOR UPDATE",
            [item_ids],
        ).fetchall()
        return {row[0]: list(row[1:]) for row in rows}

    def _holders_ensure(self, item_ids: list[int], warehouse_id: int) -> None:
        self.x(
            "INSERT INTO inventory_stockbalance (item_id, warehouse_id, location_id, lot_id, on_hand, reserved,"
            " updated_at) SELECT i, %s, NULL, NULL, 0, 0, now() FROM unnest(%s::bigint[]) AS i ORDER BY 1"
            " ON CONFLICT DO NOTHING",
            [warehouse_id, item_ids],
        )

    # 审核: lock the order and the customer, check the credit limit, reserve under the stock locks.
    def order_confirm(self, order_id: int) -> None:
        with self.conn.transaction():
            status, total, number, warehouse_id, customer_id, customer_active, limit, warehouse_active = self.x(
                "SELECT o.status, o.total_gross, o.number, o.warehouse_id, o.customer_id, c.is_active,"
                " c.credit_limit, w.is_active FROM sales_salesorder o JOIN partners_partner c ON c.id = o.customer_id"
                " JOIN inventory_warehouse w ON w.id = o.warehouse_id WHERE o.id = %s FOR UPDATE OF o",
                [order_id],
            ).fetchone()
            if status != "draft" or not customer_active or not warehouse_active:
                raise Refused("not a draft, or inactive")
            self.x("SELECT 1 FROM partners_partner WHERE id = %s FOR UPDATE", [customer_id])
            if limit > 0:
                (balance,) = self.x(
                    "SELECT COALESCE(SUM(amount), 0) FROM partnerledger_partnerentry"
                    " WHERE partner_id = %s AND kind = 'receivable'",
                    [customer_id],
                ).fetchone()
                if balance + total > limit:
                    raise Refused("credit limit")
            wanted: dict[int, Decimal] = defaultdict(Decimal)
            for item_id, base in self.x(
                "SELECT item_id, base_quantity FROM sales_salesorderline WHERE order_id = %s ORDER BY position",
                [order_id],
            ).fetchall():
                wanted[item_id] += base
            item_ids = sorted(wanted)
            self._lock_pools(item_ids)
            self._holders_ensure(item_ids, warehouse_id)
            available: dict[int, Decimal] = defaultdict(Decimal)
            for item_id, on_hand, reserved in self.x(
                "SELECT b.item_id, b.on_hand, b.reserved FROM inventory_stockbalance b"
                " WHERE b.item_id = ANY(%s) AND b.warehouse_id = %s"
                " ORDER BY b.item_id, b.warehouse_id, COALESCE(b.location_id, 0), COALESCE(b.lot_id, 0) FOR UPDATE",
                [item_ids, warehouse_id],
            ).fetchall():
                available[item_id] += on_hand - reserved
            if any(available[item_id] < wanted[item_id] for item_id in item_ids):
                raise Refused("insufficient available")
            quantities = [wanted[item_id] for item_id in item_ids]
            self.x(
                "UPDATE inventory_stockbalance b SET reserved = b.reserved + u.q"
                " FROM unnest(%s::bigint[], %s::numeric[]) AS u(i, q)"
                " WHERE b.item_id = u.i AND b.warehouse_id = %s AND b.location_id IS NULL AND b.lot_id IS NULL",
                [item_ids, quantities, warehouse_id],
            )
            self.x(
                "INSERT INTO inventory_stockreservation (item_id, warehouse_id, quantity, source_type, source_id,"
                " reference, created_at, updated_at) SELECT u.i, %s, u.q, 'sales_order', %s, %s, now(), now()"
                " FROM unnest(%s::bigint[], %s::numeric[]) AS u(i, q) ORDER BY u.i"
                " ON CONFLICT (source_type, source_id, item_id, warehouse_id) DO UPDATE"
                " SET quantity = inventory_stockreservation.quantity + EXCLUDED.quantity, updated_at = now()",
                [warehouse_id, order_id, number, item_ids, quantities],
            )
            self.x(
                "UPDATE sales_salesorder SET status = 'confirmed', credit_override_by_id = NULL, confirmed_at = now()"
                " WHERE id = %s",
                [order_id],
            )

    # 销售出库: out of the order's warehouse (no location), releasing what the order held.
    def deliver(self, order_id: int, lines: list[tuple[int, Decimal]], on: date) -> list[tuple[int, Decimal]]:
        posted_at = datetime.combine(on, clock(23, 59, 59, 999999), tzinfo=ZoneInfo(TZ))
        with self.conn.transaction():
            status, warehouse_id = self.x(
                "SELECT status, warehouse_id FROM sales_salesorder WHERE id = %s FOR UPDATE", [order_id]
            ).fetchone()
            if status not in ("confirmed", "partial"):
                raise Refused("not open for delivery")
            order_lines = {
                row[0]: list(row[1:])
                for row in self.x(
                    "SELECT l.id, l.item_id, l.quantity, l.base_quantity, l.delivered_quantity,"
                    " l.unit_id = i.base_unit_id AND NOT i.lot_tracked"
                    " FROM sales_salesorderline l JOIN catalog_item i ON i.id = l.item_id WHERE l.order_id = %s",
                    [order_id],
                ).fetchall()
            }
            number = self.number_next("sales_delivery", "CK", on)
            (delivery_id,) = self.x(
                "INSERT INTO sales_salesdelivery (number, order_id, date, posted_at, location_id, reverses_id,"
                " created_by_id, created_at) VALUES (%s, %s, %s, %s, NULL, NULL, NULL, now()) RETURNING id",
                [number, order_id, on, posted_at],
            ).fetchone()
            taken = []  # (order line id, quantity, item id, base quantity), in the request's order
            released: dict[int, Decimal] = defaultdict(Decimal)
            for line_id, quantity in lines:
                line = order_lines.get(line_id)
                if line is None or not line[4]:
                    raise Refused("not a line of this order, or not in the base unit")
                item_id, ordered, base_ordered, delivered = line[:4]
                if quantity > ordered - delivered:
                    raise Refused("more than outstanding")
                base = base_ordered * quantity / ordered if delivered == 0 and quantity == ordered else quantity
                base = base.quantize(MICRO)
                taken.append((line_id, quantity, item_id, base))
                line[3] = delivered + quantity
                released[item_id] += base
            item_ids = sorted({row[2] for row in taken})
            pools = self._lock_pools(item_ids)
            self._holders_ensure(item_ids, warehouse_id)
            balances = {
                row[1]: list(row)
                for row in self.x(
                    "SELECT b.id, b.item_id, b.on_hand, b.reserved FROM inventory_stockbalance b"
                    " WHERE b.item_id = ANY(%s) AND b.warehouse_id = %s AND b.location_id IS NULL AND b.lot_id IS NULL"
                    " ORDER BY b.item_id FOR UPDATE",
                    [item_ids, warehouse_id],
                ).fetchall()
            }
            held = self.x(
                "SELECT id, item_id, quantity FROM inventory_stockreservation"
                " WHERE source_type = 'sales_order' AND source_id = %s AND item_id = ANY(%s)"
                " ORDER BY item_id, warehouse_id FOR UPDATE",
                [order_id, item_ids],
            ).fetchall()
            gone, less = [], []
            for reservation_id, item_id, reserved in held:
                release = min(released[item_id], reserved)
                balances[item_id][3] -= release
                if release == reserved:
                    gone.append(reservation_id)
                else:
                    less.append((reservation_id, release))
            if gone:
                self.x("DELETE FROM inventory_stockreservation WHERE id = ANY(%s)", [gone])
            if less:
                self.x(
                    "UPDATE inventory_stockreservation r SET quantity = r.quantity - u.q"
                    " FROM unnest(%s::bigint[], %s::numeric[]) AS u(id, q) WHERE r.id = u.id",
                    [[row[0] for row in less], [row[1] for row in less]],
                )
            for pool in pools.values():
                if pool[3] is not None and posted_at < pool[3]:
                    raise RuntimeError("backdated delivery: not in the raw path")
            moves = []
            for _line_id, _quantity, item_id, base in taken:
                balance = balances[item_id]
                balance[2] -= base
                if balance[2] < 0:
                    raise Refused("insufficient stock")
                pool = pools[item_id]
                pool_q, pool_v = pool[0], pool[1]
                if pool_q > 0 and base == pool_q:
                    value = pool_v
                elif pool_q > 0:
                    value = cents(base * pool_v / pool_q)
                else:
                    value = cents(base * pool[2])
                line_cost = (value / base).quantize(MICRO, ROUND_HALF_UP)
                pool_q -= base
                pool_v -= value
                pool_c = (pool_v / pool_q).quantize(MICRO, ROUND_HALF_UP) if pool_q > 0 else line_cost
                pool[:3] = pool_q, pool_v, pool_c
                moves.append((item_id, -base, line_cost, -value, pool_q, pool_v, pool_c))
            self.x(
                "UPDATE inventory_stockbalance b SET on_hand = u.q, reserved = u.r, updated_at = now()"
                " FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[]) AS u(id, q, r) WHERE b.id = u.id",
                [[b[i] for b in balances.values()] for i in (0, 2, 3)],
            )
            self.x(
                "UPDATE inventory_itemvaluation v SET quantity = u.q, value = u.v, cost = u.c,"
                " last_posted_at = GREATEST(v.last_posted_at, %s)"
                " FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[]) AS u(id, q, v, c)"
                " WHERE v.item_id = u.id",
                [posted_at, list(pools), *([p[i] for p in pools.values()] for i in range(3))],
            )
            m = [list(column) for column in zip(*moves, strict=True)]
            move_ids = [
                row[0]
                for row in self.x(
                    "INSERT INTO inventory_stockmove (item_id, warehouse_id, location_id, lot_id, quantity, role,"
                    " reverses_id, unit_cost, value, balance_quantity, balance_value, balance_cost, fifo_layers,"
                    " posted_at, source_type, source_id, reference, created_at)"
                    " SELECT u.i, %s, NULL, NULL, u.q, 'out', NULL, u.c, u.v, u.bq, u.bv, u.bc, NULL,"
                    " %s, 'sales_delivery', %s, %s, now()"
                    " FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[],"
                    " %s::numeric[], %s::numeric[]) WITH ORDINALITY AS u(i, q, c, v, bq, bv, bc, n)"
                    " ORDER BY u.n RETURNING id",
                    [warehouse_id, posted_at, delivery_id, number, *m],
                ).fetchall()
            ]
            delivery_line_ids = [
                row[0]
                for row in self.x(
                    "INSERT INTO sales_salesdeliveryline (delivery_id, order_line_id, quantity, base_quantity, lot_id,"
                    " move_id, invoiced_quantity, returned_quantity, credited_quantity)"
                    " SELECT %s, u.l, u.q, u.b, NULL, u.m, 0, 0, 0"
                    " FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::bigint[]) WITH ORDINALITY"
                    " AS u(l, q, b, m, n) ORDER BY u.n RETURNING id",
                    [delivery_id, [t[0] for t in taken], [t[1] for t in taken], [t[3] for t in taken], move_ids],
                ).fetchall()
            ]
            touched = list(dict.fromkeys(t[0] for t in taken))
            self.x(
                "UPDATE sales_salesorderline l SET delivered_quantity = u.d"
                " FROM unnest(%s::bigint[], %s::numeric[]) AS u(id, d) WHERE l.id = u.id",
                [touched, [order_lines[line_id][3] for line_id in touched]],
            )
            if all(line[3] == line[1] for line in order_lines.values()):
                new_status = "delivered"
            elif any(line[3] != 0 for line in order_lines.values()):
                new_status = "partial"
            else:
                new_status = "confirmed"
            if new_status != status:
                self.x("UPDATE sales_salesorder SET status = %s WHERE id = %s", [new_status, order_id])
            cost = -sum((move[3] for move in moves), Decimal(0))
            self.journal_post(on, [(COST_OF_SALES, "debit", cost, None), (INVENTORY, "credit", cost, None)],
                              f"销售出库 {number}", "sales_delivery", delivery_id)  # fmt: skip
        return [(line_id, t[1]) for line_id, t in zip(delivery_line_ids, taken, strict=True)]

    # 销售发票: delivered goods at the order lines' amounts, pro rata; the customer owes the total more.
    def invoice_create(self, order_id: int, lines: list[tuple[int, Decimal]], on: date) -> tuple[int, Decimal]:
        with self.conn.transaction():
            order_number, customer_id, terms, is_customer = self.x(
                "SELECT o.number, o.customer_id, c.payment_terms_days, c.is_customer FROM sales_salesorder o"
                " JOIN partners_partner c ON c.id = o.customer_id WHERE o.id = %s FOR UPDATE OF o",
                [order_id],
            ).fetchone()
            found = {
                row[0]: list(row[1:])
                for row in self.x(
                    "SELECT dl.id, dl.order_line_id, dl.quantity, dl.returned_quantity, dl.credited_quantity,"
                    " dl.invoiced_quantity, ol.quantity, ol.net, ol.gross, ol.invoiced_quantity, d.date"
                    " FROM sales_salesdeliveryline dl JOIN sales_salesdelivery d ON d.id = dl.delivery_id"
                    " JOIN sales_salesorderline ol ON ol.id = dl.order_line_id"
                    " WHERE dl.id = ANY(%s) AND d.order_id = %s AND d.reverses_id IS NULL AND dl.quantity > 0",
                    [[line_id for line_id, _q in lines], order_id],
                ).fetchall()
            }
            rows, order_invoiced = [], {}
            for line_id, quantity in lines:
                line = found.get(line_id)
                if line is None or quantity <= 0:
                    raise Refused("not a delivered line of this order")
                order_line_id, delivered, returned, credited, invoiced, ordered, net_all, gross_all, before, day = line
                if on < day:
                    raise Refused("dated before its delivery")
                if quantity > delivered - (returned - credited) - invoiced:
                    raise Refused("more than is left to invoice")
                before = order_invoiced.get(order_line_id, before)
                gross = cents(gross_all * (before + quantity) / ordered) - cents(gross_all * before / ordered)
                net = cents(net_all * (before + quantity) / ordered) - cents(net_all * before / ordered)
                rows.append((line_id, quantity, net, gross - net, gross, invoiced + quantity))
                order_invoiced[order_line_id] = before + quantity
            due = on + timedelta(days=terms) if terms else None
            total_net, total_tax, total_gross = (sum(row[i] for row in rows) for i in (2, 3, 4))
            number = self.number_next("sales_invoice", "XSFP", on)
            (invoice_id,) = self.x(
                "INSERT INTO sales_salesinvoice (number, customer_id, order_id, date, due_date, total_net, total_tax,"
                " total_gross, paid_amount, reverses_id, created_by_id, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 0, NULL, NULL, now()) RETURNING id",
                [number, customer_id, order_id, on, due, total_net, total_tax, total_gross],
            ).fetchone()
            c = [list(column) for column in zip(*rows, strict=True)]
            self.x(
                "INSERT INTO sales_salesinvoiceline (invoice_id, delivery_line_id, quantity, net, tax, gross)"
                " SELECT %s, u.l, u.q, u.n, u.t, u.g FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[],"
                " %s::numeric[], %s::numeric[]) WITH ORDINALITY AS u(l, q, n, t, g, o) ORDER BY u.o",
                [invoice_id, *c[:5]],
            )
            self.x(
                "UPDATE sales_salesdeliveryline l SET invoiced_quantity = u.q"
                " FROM unnest(%s::bigint[], %s::numeric[]) AS u(id, q) WHERE l.id = u.id",
                [c[0], c[5]],
            )
            self.x(
                "UPDATE sales_salesorderline l SET invoiced_quantity = u.q"
                " FROM unnest(%s::bigint[], %s::numeric[]) AS u(id, q) WHERE l.id = u.id",
                [list(order_invoiced), list(order_invoiced.values())],
            )
            if total_gross != 0:
                if not is_customer:
                    raise Refused("not a customer")
                self.x(
                    "INSERT INTO partnerledger_partnerentry (partner_id, kind, date, source_type, source_id, number,"
                    " memo, amount, reverses_id, created_at)"
                    " VALUES (%s, 'receivable', %s, 'sales_invoice', %s, %s, %s, %s, NULL, now())",
                    [customer_id, on, invoice_id, number, order_number, total_gross],
                )
            self.journal_post(
                on,
                [(RECEIVABLE, "debit", total_gross, customer_id), (REVENUE, "credit", total_net, None),
                 (OUTPUT_VAT, "credit", total_tax, None)],
                f"销售发票 {number}", "sales_invoice", invoice_id,
            )  # fmt: skip
        return invoice_id, total_gross

    # 收款单: lock the invoices it settles (id order), allocate, lower what the customer owes.
    def receipt_create(
        self, customer_id: int, amount: Decimal, method: str, allocations: list[tuple[int, Decimal]], on: date
    ) -> None:
        with self.conn.transaction():
            invoices = {
                row[0]: row[1:]
                for row in self.x(
                    "SELECT i.id, i.customer_id, i.reverses_id, i.total_gross - i.paid_amount,"
                    " EXISTS (SELECT 1 FROM sales_salesinvoice r WHERE r.reverses_id = i.id)"
                    " FROM sales_salesinvoice i WHERE i.id = ANY(%s) ORDER BY i.id FOR UPDATE",
                    [[invoice_id for invoice_id, _a in allocations]],
                ).fetchall()
            }
            number = self.number_next("sales_receipt", "SK", on)
            (receipt_id,) = self.x(
                "INSERT INTO sales_salesreceipt (number, customer_id, date, method, amount, reference, note,"
                " reverses_id, created_by_id, created_at) VALUES (%s, %s, %s, %s, %s, '', '', NULL, NULL, now())"
                " RETURNING id",
                [number, customer_id, on, method, amount],
            ).fetchone()
            for invoice_id, share in allocations:
                invoice_customer, reverses_id, open_amount, reversed_ = invoices[invoice_id]
                if invoice_customer != customer_id or reverses_id is not None or reversed_:
                    raise Refused("not an open invoice of this customer")
                if share > open_amount:
                    raise Refused("more than is open")
            ids, shares = [a[0] for a in allocations], [a[1] for a in allocations]
            self.x(
                "INSERT INTO sales_salesreceiptallocation (receipt_id, invoice_id, amount)"
                " SELECT %s, u.i, u.a FROM unnest(%s::bigint[], %s::numeric[]) WITH ORDINALITY AS u(i, a, n)"
                " ORDER BY u.n",
                [receipt_id, ids, shares],
            )
            self.x(
                "UPDATE sales_salesinvoice i SET paid_amount = i.paid_amount + u.a"
                " FROM unnest(%s::bigint[], %s::numeric[]) AS u(id, a) WHERE i.id = u.id",
                [ids, shares],
            )
            self.x(
                "INSERT INTO partnerledger_partnerentry (partner_id, kind, date, source_type, source_id, number,"
                " memo, amount, reverses_id, created_at)"
                " VALUES (%s, 'receivable', %s, 'sales_receipt', %s, %s, '', %s, NULL, now())",
                [customer_id, on, receipt_id, number, -amount],
            )
            money = {"cash": CASH, "wechat": OTHER_MONEY, "alipay": OTHER_MONEY}.get(method, BANK)
            self.journal_post(on, [(money, "debit", amount, None), (RECEIVABLE, "credit", amount, customer_id)],
                              f"销售收款 {number}", "sales_receipt", receipt_id)  # fmt: skip


# --- Run and compare ----------------------------------------------------------------------------------


def books_of(tenant) -> dict[str, list]:
    """Everything the two paths must agree on, by numbers and codes (ids may differ between schemas)."""
    connection.set_tenant(tenant)
    numbers = {
        source: dict(model.objects.values_list("pk", "number"))
        for source, model in (("sales_order", SalesOrder), ("sales_delivery", SalesDelivery),
                              ("sales_invoice", SalesInvoice), ("sales_receipt", SalesReceipt))
    }  # fmt: skip
    books = {
        "orders": list(
            SalesOrder.objects.order_by("number").values_list(
                "number", "status", "customer__code", "warehouse__code", "date", "prices_include_vat",
                "total_net", "total_tax", "total_gross", "credit_override_by", "confirmed_at",
            )
        ),
        "order lines": list(
            SalesOrderLine.objects.order_by("order__number", "position").values_list(
                "order__number", "position", "item__code", "unit__name", "quantity", "base_quantity", "unit_price",
                "price_source", "discount_percent", "vat_rate", "net", "tax", "gross", "delivered_quantity",
                "returned_quantity", "invoiced_quantity", "credited_quantity",
            )
        ),
        "reservations": list(
            StockReservation.objects.order_by("source_id", "item__code").values_list(
                "source_type", "source_id", "item__code", "warehouse__code", "quantity", "reference"
            )
        ),
        "deliveries": list(
            SalesDelivery.objects.order_by("number").values_list(
                "number", "order__number", "date", "posted_at", "location", "reverses"
            )
        ),
        "delivery lines": list(
            SalesDeliveryLine.objects.order_by("delivery__number", "order_line__position").values_list(
                "delivery__number", "order_line__order__number", "order_line__position", "quantity", "base_quantity",
                "lot", "move__reference", "move__item__code", "move__quantity", "move__value", "invoiced_quantity",
                "returned_quantity", "credited_quantity",
            )
        ),
        "moves": list(
            StockMove.objects.order_by("posted_at", "id").values_list(
                "item__code", "warehouse__code", "location__code", "lot", "quantity", "role", "unit_cost", "value",
                "balance_quantity", "balance_value", "balance_cost", "fifo_layers", "posted_at", "source_type",
                "source_id", "reference", "reverses",
            )
        ),
        "balances": list(
            StockBalance.objects.order_by("item__code", "warehouse__code", "location__code").values_list(
                "item__code", "warehouse__code", "location__code", "lot", "on_hand", "reserved"
            )
        ),
        "pools": list(
            ItemValuation.objects.order_by("item__code").values_list(
                "item__code", "quantity", "value", "cost", "fifo_layers", "last_posted_at"
            )
        ),
        "invoices": list(
            SalesInvoice.objects.order_by("number").values_list(
                "number", "customer__code", "order__number", "date", "due_date", "total_net", "total_tax",
                "total_gross", "paid_amount", "reverses",
            )
        ),
        "invoice lines": list(
            SalesInvoiceLine.objects.order_by("invoice__number", "delivery_line__order_line__position").values_list(
                "invoice__number", "delivery_line__delivery__number", "delivery_line__order_line__position",
                "quantity", "net", "tax", "gross",
            )
        ),
        "partner entries": list(
            PartnerEntry.objects.order_by("date", "id").values_list(
                "partner__code", "kind", "date", "source_type", "source_id", "number", "memo", "amount", "reverses"
            )
        ),
        "receipts": list(
            SalesReceipt.objects.order_by("number").values_list(
                "number", "customer__code", "date", "method", "amount", "reference", "note", "reverses"
            )
        ),
        "allocations": list(
            SalesReceiptAllocation.objects.order_by("receipt__number", "id").values_list(
                "receipt__number", "invoice__number", "amount"
            )
        ),
        "journal entries": list(
            JournalEntry.objects.order_by("period__year", "period__month", "number").values_list(
                "period__year", "period__month", "number", "date", "memo", "source_type", "source_id", "status",
                "reverses__number", "total", "created_by", "posted_by", "posted_at",
            )
        ),
        "journal lines": list(
            JournalLine.objects.order_by("entry__period__year", "entry__period__month", "entry__number",
                                         "position").values_list(
                "entry__number", "position", "account__code", "debit", "credit", "partner__code", "memo"
            )
        ),
        "account period totals": list(
            AccountPeriodTotal.objects.order_by("period__year", "period__month", "account__code").values_list(
                "period__year", "period__month", "account__code", "debit", "credit"
            )
        ),
        "periods": list(
            Period.objects.order_by("year", "month").values_list(
                "year", "month", "start", "end", "status", "last_number", "closed_at", "closed_by"
            )
        ),
        "number sequences": list(DocumentSequence.objects.order_by("doc_type", "year").values_list("doc_type", "year",
                                                                                                   "last")),
    }  # fmt: skip
    # Source ids point at documents: compare the documents' numbers instead; confirmed is when it ran.
    books["orders"] = [(*row[:-1], row[-1] is not None) for row in books["orders"]]
    books["reservations"] = [(t, numbers[t][i], *rest) for t, i, *rest in books["reservations"]]
    books["moves"] = [
        (*row[:14], numbers[row[13]][row[14]] if row[13] in numbers else row[14], *row[15:]) for row in books["moves"]
    ]
    books["partner entries"] = [(*row[:4], numbers[row[3]][row[4]], *row[5:]) for row in books["partner entries"]]
    books["journal entries"] = [
        (*row[:6], numbers[row[5]][row[6]], *row[7:-1], row[-1] is not None) for row in books["journal entries"]
    ]
    connection.set_schema_to_public()
    return books


def differences(a: dict, b: dict) -> list[str]:
    out = []
    for name in a:
        if a[name] != b[name]:
            first = next((i for i, (x, y) in enumerate(zip(a[name], b[name], strict=False)) if x != y), None)
            detail = f"row {first}: {a[name][first]} vs {b[name][first]}" if first is not None else "row counts"
            out.append(f"{name} ({len(a[name])} vs {len(b[name])} rows; {detail})")
    return out


def query_shape(sql: str) -> str:
    """A query without its values, short enough to group by."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r'"[a-z_]+"\."([a-z_]+)"', r"\1", sql)
    sql = re.sub(r'"s\d+_x\d+"', "?", sql)
    sql = re.sub(r"(WHEN \(id = \?\) THEN \? )+", "WHEN … ", sql)
    sql = re.sub(r"\((\?, )+\?\)", "(…)", sql)
    return sql[:120]


def main() -> int:
    sales, needed = plan_make()
    with throwaway_database():
        project_tenant = tenant_create("bop")
        raw_tenant = tenant_create("bor")
        project = ProjectPath(project_tenant, needed)
        raw = RawPath(raw_tenant, needed)
        say(
            f"Order to cash: {ORDERS} orders of 2-5 lines ({ITEMS} items, 2 warehouses, {CUSTOMERS} customers),"
            f" 5 documents each, both ways in rounds of {ROUND}, after {WARMUP} untimed ..."
        )
        skip = min(5, max(WARMUP - 1, 0))  # the first documents create the number sequences' rows
        callees_wrap()
        connection.set_tenant(project_tenant)
        for sale in sales[:WARMUP]:
            if sale.n == skip:
                spent.clear()
            project.run(sale, timed=False, count=True)
            raw.run(sale, timed=False)
        raw.statements.clear()
        for start in range(WARMUP, WARMUP + ORDERS, ROUND):
            batch = sales[start : start + ROUND]
            connection.set_tenant(project_tenant)
            for sale in batch:
                project.run(sale, timed=True)
            for sale in batch:
                raw.run(sale, timed=True)
        raw.conn.close()
        project_books = books_of(project_tenant)
        raw_books = books_of(raw_tenant)
        different = differences(project_books, raw_books)
        tenant_drop(project_tenant)
        tenant_drop(raw_tenant)

    queries = {step: project.clock.queries[step][skip:] for step in STEPS}
    say("")
    say("document     project ms  queries      raw ms  statements   project/raw time")
    for step in STEPS:
        p = 1000 * project.clock.seconds[step] / ORDERS
        r = 1000 * raw.clock.seconds[step] / ORDERS
        q = sum(len(sqls) for sqls in queries[step]) / max(len(queries[step]), 1)
        say(f"{step:<10} {p:>12.2f} {q:>8.1f} {r:>11.2f} {raw.statements[step] / ORDERS:>11.1f} {p / r:>14.2f}x")
    project_total = sum(project.clock.seconds.values())
    raw_total = sum(raw.clock.seconds.values())
    q_total = sum(sum(len(s) for s in queries[step]) / max(len(queries[step]), 1) for step in STEPS)
    say(
        f"{'all five':<10} {1000 * project_total / ORDERS:>12.2f} {q_total:>8.1f} {1000 * raw_total / ORDERS:>11.2f}"
        f" {sum(raw.statements.values()) / ORDERS:>11.1f} {project_total / raw_total:>14.2f}x"
    )
    project_rate, raw_rate = ORDERS / project_total, ORDERS / raw_total
    ratio = project_rate / raw_rate
    say(
        f"\norders to cash per second: project {project_rate:.1f}, raw psycopg {raw_rate:.1f};"
        f" the project runs at {ratio:.2f}x the raw rate"
    )
    rows = {name: len(rows) for name, rows in project_books.items()}
    say(
        f"both schemas hold the same books: {'yes' if not different else 'NO'} ({rows['orders']} orders,"
        f" {rows['order lines']} lines, {rows['moves']} moves, {rows['reservations']} open reservations,"
        f" {rows['invoices']} invoices, {rows['partner entries']} partner entries, {rows['receipts']} receipts,"
        f" {rows['journal entries']} journal entries)"
    )
    for line in different:
        say(f"  differs: {line}")
    if PROFILE or ratio < GOAL:
        say("\nwhere the project's time goes, ms per document (warm-up, with queries captured; nested calls overlap):")
        for step in STEPS:
            parts = sorted(((n, t) for (s_, n), t in spent.items() if s_ == step), key=lambda part: -part[1])
            say(f"  {step:<8} " + ", ".join(f"{n} {1000 * t / (WARMUP - skip):.1f}" for n, t in parts))
        say("\nthe project's queries per document (mean over the warm-up), by shape:")
        for step in STEPS:
            shapes = Counter(query_shape(sql) for sqls in queries[step] for sql in sqls)
            say(f"  {step}:")
            for shape, count in shapes.most_common():
                say(f"    {count / len(queries[step]):>5.1f}  {shape}")
    say("")
    ok = target("order_to_cash_vs_raw", f"{ratio:.2f}x", f"{GOAL}x", ratio >= GOAL and not different)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
