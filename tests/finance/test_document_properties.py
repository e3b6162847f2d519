"""Property test: random sequences of real business documents — purchase receipts, bills, payments and
returns; sales deliveries, invoices, receipts of payment and returns; retail sales; stock receipts, issues,
adjustments and transfers; the reversal (红冲) of any of them — dated across four months (November to
January across a year end, and this month), many backdated into earlier open months (re-costing later
documents), interleaved with month closes (December's carrying the year's profit forward) and reopenings;
under the moving average (negative stock allowed or not) and FIFO.

After every step:
- the books reconcile (`assert_books_reconcile`: entries balance, 1405 = the stock ledger's value, AR/AP =
  the partner ledger, the trial balance and the balance sheet balance), and 1405 = the stock ledger's value
  at the end of every month too (each month's close checks it);
- a refused step is a clear AppError of the kinds the rules allow and writes nothing; a document dated in a
  closed month is always refused;
- nothing new is dated in a closed month: neither journal entries nor stock moves, and the month's stock
  at its end stays what it was when it closed;
- a close succeeds exactly when its checks find nothing, and a refused close names what its checks found.
At the end the trial balance of every month still closed is the one taken when it closed.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal as D
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import today_in
from modules.catalog import services as catalog
from modules.finance import selectors
from modules.finance import services as finance
from modules.finance.enums import EntryStatus
from modules.finance.models import Account, JournalEntry, JournalLine, Period, PeriodEvent
from modules.inventory import services as inventory
from modules.inventory.models import StockBalance, StockMove
from modules.partnerledger.models import PartnerEntry
from modules.purchasing import services as purchasing
from modules.purchasing.models import (
    PurchaseBill,
    PurchaseOrderLine,
    PurchasePayment,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseReturn,
)
from modules.sales import services as sales
from modules.sales.models import (
    RetailSale,
    SalesDelivery,
    SalesDeliveryLine,
    SalesInvoice,
    SalesOrderLine,
    SalesReceipt,
    SalesReturn,
)
from modules.stockops import services as stockops
from modules.stockops.models import StockDocument
from tests.finance.invariants import assert_books_reconcile, books_reconcile  # noqa: F401
from tests.stockops.conftest import TZ, Shop, shop_create

SHANGHAI = ZoneInfo(TZ)
INVENTORY = "1405"

# Repeated kinds come up more often: the trade itself, reversals and closes.
KINDS = (
    "buy", "buy", "buy", "bill", "bill", "pay", "return_to_supplier", "free_return",
    "sell", "sell", "sell", "invoice", "invoice", "collect", "give_back", "retail",
    "stock_in", "stock_out", "adjustment", "transfer", "draft", "settle_draft",
    "reverse", "reverse", "reverse", "reverse", "close", "close", "close", "reopen",
)  # fmt: skip
# (kind, which document / how many, a second choice, month 0..3 (3 = this month), day)
step = st.tuples(
    st.sampled_from(KINDS),
    st.integers(min_value=0, max_value=9),
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=1, max_value=31),
)
PRICES = ("2.26", "3.39", "1.13", "4.52", "0.00")  # a free receipt (赠品) is worth nothing: it posts no entry
SALE_PRICES = ("3.39", "5.65", "2.26")

# Refusals the rules call for, each a clear AppError that must leave everything as it was.
ALLOWED_REFUSALS = {
    "period_closed",  # a document (or reversal) dated in a closed month
    "insufficient_stock",  # not enough on hand at the document's time…
    "insufficient_stock_later",  # …or for a later document, once this one is backdated before it
    "has_dependents",  # a document whose later documents still stand: reverse those first
    "in_use",  # a receipt that has been billed or returned: reverse those first
    "already_paid",  # a bill that payments settle: reverse those first
    "already_reversed",
    "reversal_before_original",
    "invalid_date",  # a return dated before the delivery it returns
}


@dataclass
class Posting:
    """A step's posting call, the date its document carries (None: the step's date) and what a clerk does
    after a refusal."""

    call: Callable
    dated: date | None = None
    refused: Callable | None = None


@dataclass
class Closed:
    """What a month looked like when it closed."""

    entry_ids: frozenset
    lines: int
    stock: dict
    trial_balance: list


class World:
    def __init__(self, shop: Shop, tea, owner, today: date):
        self.shop, self.tea, self.owner, self.today = shop, tea, owner, today
        # November to January across the latest year end that is over (closing December carries the
        # year's profit forward), and this month, which cannot be closed yet.
        year = today.year if today.month > 1 else today.year - 1
        self.months = [date(year - 1, 11, 1), date(year - 1, 12, 1), date(year, 1, 1), today.replace(day=1)]
        self.closed: dict[tuple[int, int], Closed] = {}

    def on(self, month: int, day: int) -> date:
        start = self.months[month]
        end = finance.month_end(start)
        return min(start.replace(day=min(day, end.day)), self.today)

    def item(self, n: int):
        return self.shop.cola if n % 3 else self.tea

    def closed_through(self) -> date | None:
        latest = Period.objects.filter(status="closed").order_by("-year", "-month").first()
        return latest.end if latest else None


def moment(day: date) -> datetime:
    """The last moment of `day` in the shop's time zone: what a document dated that day posts at."""
    return datetime.combine(day, time(23, 59, 59, 999999), tzinfo=SHANGHAI)


COUNTED = (
    PurchaseReceipt, PurchaseBill, PurchasePayment, PurchaseReturn, SalesDelivery, SalesInvoice, SalesReceipt,
    SalesReturn, RetailSale, JournalEntry, JournalLine, PartnerEntry, PeriodEvent,
)  # fmt: skip
CHANGED_IN_PLACE = (
    (StockMove, "value"),  # a backdated posting re-values later moves
    (StockBalance, "on_hand, reserved"),
    (StockDocument, "status"),
    (Period, "status, last_number"),
    (PurchaseOrderLine, "received_quantity, billed_quantity, returned_quantity"),
    (SalesOrderLine, "delivered_quantity, invoiced_quantity, returned_quantity"),
    (PurchaseBill, "paid_amount"),
    (SalesInvoice, "paid_amount"),
)


def state() -> tuple:
    """Everything a refused step must leave unchanged: row counts, and the rows whose figures steps change
    in place. One query, as it runs before every step."""
    counts = [f"(SELECT count(*) FROM {model._meta.db_table})" for model in COUNTED]
    rows = [
        f"(SELECT string_agg(concat_ws(',', id, {columns}), ';' ORDER BY id) FROM {model._meta.db_table})"
        for model, columns in CHANGED_IN_PLACE
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(counts + rows)}")
        return cursor.fetchone()


def stock_at(*days: date) -> dict[date, dict]:
    """For each day: quantity and value per item and warehouse of every move posted up to its end."""
    sums = {}
    for n, day in enumerate(days):
        posted = Q(posted_at__lte=moment(day))
        sums[f"q{n}"], sums[f"v{n}"] = Sum("quantity", filter=posted), Sum("value", filter=posted)
    rows = list(StockMove.objects.values("item_id", "warehouse_id").annotate(**sums))
    return {
        day: {(r["item_id"], r["warehouse_id"]): (r[f"q{n}"], r[f"v{n}"]) for r in rows if r[f"q{n}"] is not None}
        for n, day in enumerate(days)
    }


def inventory_account(*days: date) -> list[D]:
    """The balance of 1405 at the end of each day."""
    lines = JournalLine.objects.filter(entry__status=EntryStatus.POSTED, account__code=INVENTORY)
    sums = {f"b{n}": Sum(F("debit") - F("credit"), filter=Q(entry__date__lte=day)) for n, day in enumerate(days)}
    totals = lines.aggregate(**sums)
    return [totals[f"b{n}"] or D(0) for n in range(len(days))]


def entries_in(until: date) -> dict[tuple[int, int], tuple[frozenset, int]]:
    """The entries dated up to `until`, by month, and how many lines they have."""
    found: dict = defaultdict(lambda: (frozenset(), 0))
    dated = JournalEntry.objects.filter(date__lte=until).annotate(n=Count("lines"))
    for pk, on, lines in dated.values_list("id", "date", "n"):
        ids, count = found[(on.year, on.month)]
        found[(on.year, on.month)] = (ids | {pk}, count + lines)
    return found


def trial_rows(period: Period) -> list:
    tb = selectors.trial_balance(date_from=period.start, date_to=period.end)
    return [(row.account.code, row.opening, row.debit, row.credit) for row in tb.rows]


def _standing(model, **filters) -> list:
    """Originals that are not reversed (documents with a `reverses` link)."""
    return list(model.objects.filter(reverses__isnull=True, reversal__isnull=True, **filters).order_by("pk"))


def even(b: int) -> D:
    """2, 4 or 6: small even quantities, so that what is left of an item often equals one document's."""
    return D(2 * (1 + b % 3))


def _pick(items: list, n: int):
    return items[n % len(items)] if items else None


# --- the steps -------------------------------------------------------------------------------------------
# Each step prepares what does not post (an order, a confirmation) and returns the posting call, or None
# when there is nothing to do; `_attempt` runs the call and checks what a refusal must leave behind.


def _buy(w: World, a: int, b: int, on: date):
    s = w.shop
    quantity = D(2 * b)
    order = purchasing.purchase_order_confirm(
        order=purchasing.purchase_order_create(
            supplier=s.supplier, warehouse=s.main, date=on,
            lines=[purchasing.OrderLineInput(w.item(a), s.bottle, quantity, PRICES[(a + b) % len(PRICES)])],
        )
    )  # fmt: skip
    line = order.lines.get()
    return lambda: purchasing.purchase_receive(
        order=order, lines=[purchasing.ReceiveLineInput(line.pk, quantity)], tz_name=TZ, on=on
    )


def _bill(w: World, a: int, b: int, on: date):
    receipts = [r for r in _standing(PurchaseReceipt) if any(rl.quantity > rl.billed_quantity for rl in r.lines.all())]
    receipt = _pick(receipts, a)
    if receipt is None:
        return None
    lines = [
        purchasing.BillLineInput(rl.pk, max(D(1), ((rl.quantity - rl.billed_quantity) * b / 6).to_integral_value()),
                                 None if b % 2 else "2.49")
        for rl in receipt.lines.order_by("pk") if rl.quantity > rl.billed_quantity
    ]  # fmt: skip
    return lambda: purchasing.purchase_bill_create(order=receipt.order, lines=lines, tz_name=TZ, on=on)


def _pay(w: World, a: int, b: int, on: date):
    bill = _pick([bill for bill in _standing(PurchaseBill) if bill.open_amount > 0], a)
    if bill is None:
        return None
    amount = max(D("0.01"), (bill.open_amount * b / 6).quantize(D("0.01")))
    return lambda: purchasing.purchase_payment_create(
        supplier=w.shop.supplier, allocations=[purchasing.AllocationInput(bill.pk, amount)],
        method=("cash", "bank", "wechat", "alipay")[a % 4], tz_name=TZ, on=on,
    )  # fmt: skip


def _return_to_supplier(w: World, a: int, b: int, on: date):
    lines = [
        rl for rl in PurchaseReceiptLine.objects.filter(
            receipt__reverses__isnull=True, receipt__reversal__isnull=True
        ).order_by("pk") if rl.quantity > rl.returned_quantity
    ]  # fmt: skip
    rl = _pick(lines, a)
    if rl is None:
        return None
    quantity = max(D(1), ((rl.quantity - rl.returned_quantity) * b / 6).to_integral_value())
    return lambda: purchasing.purchase_return_from_receipt(
        receipt=rl.receipt, lines=[purchasing.ReceiptReturnLineInput(rl.pk, quantity)], tz_name=TZ, on=on
    )


def _free_return(w: World, a: int, b: int, on: date):
    """Goods sent back to the supplier without a receipt to name: they leave at the ledger's cost then."""
    lines = [purchasing.ReturnLineInput(w.item(a), w.shop.bottle, even(b), PRICES[b % len(PRICES)])]
    return lambda: purchasing.purchase_return_create(
        supplier=w.shop.supplier, warehouse=w.shop.main, lines=lines, tz_name=TZ, on=on
    )


def _sell(w: World, a: int, b: int, on: date):
    s = w.shop
    quantity = even(b)
    order = sales.sales_order_create(
        customer=s.customer, warehouse=s.main, date=on,
        lines=[sales.OrderLineInput(w.item(a), s.bottle, quantity, SALE_PRICES[a % len(SALE_PRICES)])],
    )  # fmt: skip
    try:
        order = sales.sales_order_confirm(order=order)
    except AppError as error:  # too little available to reserve: no sale
        assert error.code == "insufficient_available", error.as_dict()
        return None
    line = order.lines.get()
    return Posting(
        lambda: sales.sales_deliver(order=order, lines=[sales.DeliverLineInput(line.pk, quantity)], tz_name=TZ, on=on),
        refused=lambda: sales.sales_order_cancel(order=order),  # let the reservation go, as a clerk would
    )


def _invoice(w: World, a: int, b: int, on: date):
    lines = [
        line for line in SalesDeliveryLine.objects.filter(
            delivery__reverses__isnull=True, delivery__reversal__isnull=True
        ).select_related("delivery__order").order_by("pk") if line.invoiceable > 0
    ]  # fmt: skip
    line = _pick(lines, a)
    if line is None:
        return None
    quantity = max(D(1), (line.invoiceable * b / 6).to_integral_value())
    return lambda: sales.sales_invoice_create(
        order=line.delivery.order, lines=[sales.DocumentLineInput(line.pk, quantity)], tz_name=TZ, on=on
    )


def _collect(w: World, a: int, b: int, on: date):
    invoice = _pick([invoice for invoice in _standing(SalesInvoice) if invoice.open_amount > 0], a)
    if invoice is None:
        return None
    share = max(D("0.01"), (invoice.open_amount * b / 6).quantize(D("0.01")))
    extra = D("5.00") if a % 3 == 0 else D(0)  # money on account
    return lambda: sales.sales_receipt_create(
        customer=w.shop.customer, amount=share + extra, method=("cash", "bank", "wechat", "alipay")[b % 4],
        tz_name=TZ, allocations=[sales.AllocationInput(invoice, share)], on=on,
    )  # fmt: skip


def _give_back(w: World, a: int, b: int, on: date):
    lines = [
        line for line in SalesDeliveryLine.objects.filter(
            delivery__reverses__isnull=True, delivery__reversal__isnull=True
        ).select_related("delivery").order_by("pk") if line.returnable > 0
    ]  # fmt: skip
    line = _pick(lines, a)
    if line is None:
        return None
    quantity = max(D(1), (line.returnable * b / 6).to_integral_value())
    return lambda: sales.sales_return_create(
        delivery=line.delivery, lines=[sales.DocumentLineInput(line.pk, quantity)], tz_name=TZ, on=on
    )


def _retail(w: World, a: int, b: int, on: date):
    lines = [sales.SaleLineInput(w.item(a), w.shop.bottle, even(b), SALE_PRICES[b % len(SALE_PRICES)])]
    return lambda: sales.retail_sale_post(
        lines=lines, payment_method=("cash", "wechat", "alipay", "card")[a % 4], tz_name=TZ
    )


def _stock_document(w: World, kind: str, a: int, b: int, on: date, *, post: bool = True):
    s = w.shop
    quantity = even(b)
    reason = ""
    line = stockops.LineInput(w.item(a), s.bottle, quantity)
    target = None
    if kind == "stock_in":
        line = stockops.LineInput(w.item(a), s.bottle, D(2 * b), PRICES[(a + b) % len(PRICES)])
    elif kind == "adjustment":
        reason = "found" if a % 2 else "damage"
        line = stockops.LineInput(w.item(a), s.bottle, quantity if a % 2 else -quantity, "1.50" if a % 4 == 1 else None)
    elif kind == "transfer":
        target = s.second
    document = stockops.stock_document_create(
        kind=kind, date=on, warehouse=s.main, target_warehouse=target, lines=[line], tz_name=TZ, reason=reason
    )
    document = stockops.stock_document_confirm(document=document)
    if not post:
        return None
    return lambda: stockops.stock_document_post(document=document, tz_name=TZ)


def _settle_draft(w: World, a: int, b: int, on: date):
    draft = _pick(list(StockDocument.objects.filter(status__in=("draft", "confirmed")).order_by("pk")), a)
    if draft is None:
        return None
    if b % 2:
        # Cancelling posts nothing, so it is fine in any month: checked as a step of today.
        return Posting(lambda: stockops.stock_document_cancel(document=draft), dated=w.today)
    return Posting(lambda: stockops.stock_document_post(document=draft, tz_name=TZ), dated=draft.date)


TODAY_REVERSALS = (0, 1, 2, 3, 8)  # purchasing documents and retail sales are reversed today


def _reversal_kind(a: int, b: int) -> int:
    return (a + b) % 10


def today_only(kind: str, a: int, b: int) -> bool:
    """Steps whose documents are dated today whatever the step's date: retail sales, some reversals."""
    return kind == "retail" or (kind == "reverse" and _reversal_kind(a, b) in TODAY_REVERSALS)


def _reverse(w: World, a: int, b: int, on: date):
    """The 红冲 of any original, reversed already or not (a second reversal must be refused). Purchasing
    documents and retail sales are reversed today; the others on a date of their own."""
    kinds = [
        (PurchaseReceipt, lambda d: purchasing.purchase_receipt_reverse(receipt=d, tz_name=TZ)),
        (PurchaseBill, lambda d: purchasing.purchase_bill_reverse(bill=d, tz_name=TZ)),
        (PurchasePayment, lambda d: purchasing.purchase_payment_reverse(payment=d, tz_name=TZ)),
        (PurchaseReturn, lambda d: purchasing.purchase_return_reverse(purchase_return=d, tz_name=TZ)),
        (SalesDelivery, lambda d: sales.sales_delivery_reverse(delivery=d, tz_name=TZ, on=on)),
        (SalesInvoice, lambda d: sales.sales_invoice_reverse(invoice=d, tz_name=TZ, on=on)),
        (SalesReceipt, lambda d: sales.sales_receipt_reverse(receipt=d, tz_name=TZ, on=on)),
        (SalesReturn, lambda d: sales.sales_return_reverse(sales_return=d, tz_name=TZ, on=on)),
        (RetailSale, lambda d: sales.retail_sale_reverse(sale=d, tz_name=TZ)),
        (StockDocument, lambda d: stockops.stock_document_reverse(document=d, tz_name=TZ, on=on)),
    ]
    model, reverse = kinds[_reversal_kind(a, b)]
    originals = model.objects.filter(reverses__isnull=True)
    if model is StockDocument:
        originals = originals.filter(status="posted")
    document = _pick(list(originals.order_by("pk")), a)
    if document is None:
        return None
    return lambda: reverse(document)


def _attempt(call, dated: date, w: World) -> bool:
    """Run one posting call; a refusal must be an allowed AppError and change nothing. True if it posted."""
    before = state()
    closed_through = w.closed_through()
    moves_before = StockMove.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    entries_before = JournalEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        call()
    except AppError as error:
        assert error.code in ALLOWED_REFUSALS, (error.code, error.message, error.field)
        assert state() == before, f"refused ({error.code}) but something was written"
        if error.code == "period_closed":
            # Only a document dated in a closed month is refused for it, and the message names its date.
            assert closed_through is not None and dated <= closed_through, (dated, error.as_dict())
            assert error.field == "date" and dated.isoformat() in error.message, error.as_dict()
        return False
    if closed_through is not None:
        assert dated > closed_through, f"a document dated {dated} posted into a closed month"
        new_moves = StockMove.objects.filter(pk__gt=moves_before, posted_at__lte=moment(closed_through))
        assert not new_moves.exists(), "stock moved in a closed month"
        new_entries = JournalEntry.objects.filter(pk__gt=entries_before, date__lte=closed_through)
        assert not new_entries.exists(), "an entry was posted into a closed month"
    return True


def _close(w: World) -> None:
    """Close the earliest open month that is over (months are closed in order)."""
    period = next(
        (p for p in (finance.period_get(m) for m in w.months[:3]) if not p.is_closed), None
    )  # fmt: skip
    if period is None:
        return
    # What the checks must find, computed here from the ledgers.
    expected = []
    drafts = list(
        StockDocument.objects.filter(
            status__in=("draft", "confirmed"), date__gte=period.start, date__lte=period.end
        ).values_list("number", flat=True)
    )
    expected += drafts
    at_end = {}
    for (item_id, _warehouse), (quantity, _value) in stock_at(period.end)[period.end].items():
        at_end[item_id] = at_end.get(item_id, D(0)) + quantity
    short = {item_id for item_id, quantity in at_end.items() if quantity < 0}
    short |= set(StockBalance.objects.filter(on_hand__lt=0).values_list("item_id", flat=True))
    codes = sorted({w.shop.cola.code if pk == w.shop.cola.pk else w.tea.code for pk in short})
    expected += codes
    before = state()
    try:
        finance.period_close(period=period, acting_user=w.owner, today=w.today)
    except AppError as error:
        assert error.code == "close_checks_failed", (error.code, error.message)
        assert expected, f"the close was refused with nothing to find: {error.message}"
        for token in expected:  # the draft documents' numbers, the short items' codes
            assert token in error.message, (token, error.message)
        assert state() == before
        return
    assert not expected, f"{period} closed although the checks should find {expected}"
    entry_ids, lines = entries_in(period.end)[(period.year, period.month)]
    stock = stock_at(period.end)[period.end]
    w.closed[(period.year, period.month)] = Closed(entry_ids, lines, stock, trial_rows(period))


def _reopen(w: World) -> None:
    latest = Period.objects.filter(status="closed").order_by("-year", "-month").first()
    if latest is not None:
        finance.period_reopen(period=latest, reason="property test: a late document", acting_user=w.owner)
        del w.closed[(latest.year, latest.month)]


def _run(w: World, op: tuple) -> None:
    kind, a, b, month, day = op
    on = w.on(month, day)
    if kind == "close":
        _close(w)
        return
    if kind == "reopen":
        _reopen(w)
        return
    try:
        if kind in ("stock_in", "stock_out", "adjustment", "transfer"):
            call = _stock_document(w, kind, a, b, on)
        elif kind == "draft":
            call = _stock_document(w, "stock_out", a, b, on, post=False)
        else:
            call = {
                "buy": _buy, "bill": _bill, "pay": _pay, "return_to_supplier": _return_to_supplier,
                "free_return": _free_return,
                "sell": _sell, "invoice": _invoice, "collect": _collect, "give_back": _give_back,
                "retail": _retail, "settle_draft": _settle_draft, "reverse": _reverse,
            }[kind](w, a, b, on)  # fmt: skip
    except AppError as error:
        # Preparing (an order, a draft) posts nothing; only a refusal the rules allow is fine.
        assert error.code in ALLOWED_REFUSALS, (kind, error.code, error.message)
        return
    if call is None:
        return
    posting = call if isinstance(call, Posting) else Posting(call)
    dated = posting.dated or (w.today if today_only(kind, a, b) else on)
    if not _attempt(posting.call, dated, w) and posting.refused:
        posting.refused()


def _check(w: World) -> None:
    assert_books_reconcile()
    # 1405 = the stock ledger's value at the end of every month, not only overall.
    ends = [min(finance.month_end(start), w.today) for start in w.months]
    stock = stock_at(*ends)
    ledger = [sum((value for _q, value in stock[end].values()), D(0)) for end in ends]
    assert inventory_account(*ends) == ledger, (ends, ledger)
    # Nothing new in a closed month: no entry, no line, no stock moved; December carried its profit forward.
    closed = {(p.year, p.month): p for p in Period.objects.filter(status="closed")}
    assert set(closed) == set(w.closed)
    if not closed:
        return
    entries = entries_in(max(p.end for p in closed.values()))
    for key, snapshot in w.closed.items():
        period = closed[key]
        assert entries[key] == (snapshot.entry_ids, snapshot.lines), f"{period} changed after its close"
        assert stock[period.end] == snapshot.stock, f"{period}'s stock changed after its close"
        if period.month == 12:
            balances = selectors.account_net_balances(date_to=period.end)
            left = {a.code: balances[a.pk] for a in Account.objects.filter(type="profit_loss") if balances.get(a.pk)}
            assert not left, f"profit and loss left at the end of {period}: {left}"


@settings(max_examples=40, database=None, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ops=st.lists(step, min_size=8, max_size=24),
    costing=st.sampled_from(["average", "average+negative", "fifo"]),
)
def test_random_documents_backdating_and_closes_keep_the_books(books, owner_a, ops, costing):
    # Each example on the same tenant: everything it wrote is rolled back afterwards.
    with transaction.atomic():
        _example(owner_a, ops, costing)
        transaction.set_rollback(True)


def _example(owner, ops, costing: str) -> None:
    shop = shop_create()
    tea = catalog.item_create(code="TEA", name="绿茶", base_unit=shop.bottle, max_items=None)
    # FIFO needs negative stock refused; a shop on the average may allow it.
    inventory.inventory_settings_update(
        costing_method=costing.split("+")[0], allow_negative_stock=costing.endswith("+negative")
    )
    w = World(shop, tea, owner, today_in(TZ))
    # Some stock of each item from the first day on, bought as any receipt is (not a test helper's moves).
    for item in (shop.cola, tea):
        assert _attempt(_buy(w, 1 if item == shop.cola else 0, 4, w.months[0]), w.months[0], w)
    for op in ops:
        _run(w, op)
        _check(w)
    for key, snapshot in w.closed.items():
        period = Period.objects.get(year=key[0], month=key[1])
        assert trial_rows(period) == snapshot.trial_balance, f"{period}'s trial balance changed after its close"
