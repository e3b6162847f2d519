"""Sales for the demo shop: about three months of wholesale orders to its customers out of the back
warehouse, delivered (some in parts), invoiced and paid (some partly, one receipt settling two invoices),
a few returns, open orders holding stock, quotations and a draft, so that every sales page and the
customers' balances have something true to show.

`demo_sales_seed()` runs inside the demo tenant's schema after the stock seed and writes only through the
sales services. It does nothing once the shop has sales orders, or when it has no stock to sell.
A fixed random seed makes every run the same shop (dates follow today).
"""

import logging
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import today_in
from modules.catalog.models import ItemUnit
from modules.inventory.models import StockBalance, Warehouse
from modules.partners.models import Partner
from modules.sales import services
from modules.sales.enums import ReceiptMethod
from modules.sales.models import SalesOrder
from modules.sales.services import AllocationInput, DeliverLineInput, DocumentLineInput, OrderLineInput

logger = logging.getLogger(__name__)

SEED = 20260901
DAYS = 90
ORDERS = 36
METHODS = [ReceiptMethod.BANK, ReceiptMethod.BANK, ReceiptMethod.WECHAT, ReceiptMethod.ALIPAY, ReceiptMethod.CASH]


@dataclass
class SalesSeedResult:
    orders: int = 0
    deliveries: int = 0
    invoices: int = 0
    receipts: int = 0
    returns: int = 0


def _stock(warehouse: Warehouse) -> dict[int, tuple]:
    """Per item with stock in the warehouse: (item, its fullest location, quantity there)."""
    places: dict[int, tuple] = {}
    rows = (
        StockBalance.objects.filter(warehouse=warehouse, on_hand__gt=0, location__isnull=False, lot__isnull=True)
        .select_related("item__base_unit", "location")
        .order_by("item_id", "-on_hand")
    )
    for row in rows:
        if row.item.is_active and row.item_id not in places:
            places[row.item_id] = (row.item, row.location, row.on_hand)
    return places


def _line(rng: random.Random, item, cases: dict, on_hand: Decimal) -> OrderLineInput | None:
    """A wholesale quantity: whole cases when the item has them and stock allows, else a few units."""
    case = cases.get(item.pk)
    price = item.sale_price or Decimal("5.00")
    if case is not None and on_hand >= case.factor * 2:
        quantity = rng.randint(1, 2)
        unit, unit_price = case.unit, (price * case.factor * Decimal("0.92")).quantize(Decimal("0.01"))
        return OrderLineInput(item, unit, Decimal(quantity), unit_price, price_source="list: Wholesale")
    quantity = min(int(on_hand // 3), rng.randint(4, 12))
    if quantity <= 0:
        return None
    return OrderLineInput(item, item.base_unit, Decimal(quantity), price, discount_percent=rng.choice([0, 0, 5]))


def demo_sales_seed(*, tz: str = "Asia/Shanghai", today: date | None = None) -> SalesSeedResult:
    result = SalesSeedResult()
    if SalesOrder.objects.exists():
        return result
    warehouse = Warehouse.objects.filter(code="WH2").first()
    customers = list(Partner.objects.filter(is_customer=True, is_active=True).order_by("code"))
    if warehouse is None or not customers:
        return result
    rng = random.Random(SEED)
    today = today or today_in(tz)
    owner = get_user_model().objects.filter(is_active=True).order_by("id").first()
    stock = _stock(warehouse)
    if not stock:
        return result
    cases = {
        iu.item_id: iu for iu in ItemUnit.objects.filter(item_id__in=stock).select_related("unit").order_by("factor")
    }
    items = sorted(stock)
    with transaction.atomic():
        start = today - timedelta(days=DAYS)
        open_invoices: dict[int, list] = {}
        for number in range(ORDERS):
            on = start + timedelta(days=number * DAYS // ORDERS)
            customer = rng.choice(customers)
            lines = []
            for item_id in rng.sample(items, k=min(rng.randint(1, 3), len(items))):
                item, _location, on_hand = stock[item_id]
                line = _line(rng, item, cases, on_hand)
                lines += [line] if line else []
            if not lines:
                continue
            quotation = number % 12 == 5
            order = services.sales_order_create(
                customer=customer, warehouse=warehouse, date=on, lines=lines, salesperson=owner, quotation=quotation,
                delivery_date=on + timedelta(days=2), note="演示数据", created_by=owner,
            )  # fmt: skip
            result.orders += 1
            if quotation and number < ORDERS - 8:
                order = services.sales_quotation_convert(order=order)
            elif quotation or number == ORDERS - 1:
                continue  # an open quotation, and a draft
            try:
                order = services.sales_order_confirm(order=order, user=owner, override_credit_limit=True)
            except AppError:
                continue  # too little left to reserve: the order stays a draft, as a shop's would
            if number >= ORDERS - 4:
                continue  # the latest orders are still to be delivered: their stock is reserved
            result.deliveries += _deliver(rng, order, stock, on, today, tz, result, open_invoices, owner)
        _receive(rng, open_invoices, today, tz, result, owner)
    logger.info(
        "demo shop sales seeded: %s orders, %s deliveries, %s invoices, %s receipts, %s returns",
        result.orders, result.deliveries, result.invoices, result.receipts, result.returns,
    )  # fmt: skip
    return result


def _deliver(rng, order, stock, on: date, today: date, tz: str, result, open_invoices, owner) -> int:
    """Deliver the order (one delivery per location; now and then half first and the rest days later),
    invoice what went out and, once in a while, take something back."""
    deliveries = 0
    by_location: dict = {}
    for line in order.lines.select_related("item", "unit").order_by("position"):
        by_location.setdefault(stock[line.item_id][1], []).append(line)
    split = rng.random() < 0.25
    for location, lines in by_location.items():
        parts = [(on, 2 if split else 1)] + ([(min(on + timedelta(days=rng.randint(3, 9)), today), 2)] if split else [])
        for step, (day, halves) in enumerate(parts):
            entries = []
            for line in lines:
                quantity = line.quantity if halves == 1 or step == 1 else (line.quantity / 2).to_integral_value()
                if step == 1:
                    line.refresh_from_db()
                    quantity = line.outstanding
                if quantity > 0:
                    entries.append(DeliverLineInput(line.pk, quantity))
            if not entries:
                continue
            try:
                delivery = services.sales_deliver(
                    order=order, lines=entries, tz_name=tz, on=day, location=location, created_by=owner
                )
            except AppError:
                continue  # the shelf ran short at that time: left to deliver
            deliveries += 1
            invoice_day = min(day + timedelta(days=rng.randint(0, 3)), today)
            delivered = list(delivery.lines.all())
            if rng.random() < 0.85:
                invoice = services.sales_invoice_create(
                    order=order, lines=[DocumentLineInput(d.pk, d.quantity) for d in delivered], tz_name=tz,
                    on=invoice_day, created_by=owner,
                )  # fmt: skip
                result.invoices += 1
                open_invoices.setdefault(order.customer_id, []).append(invoice)
            if rng.random() < 0.08:
                back_day = min(day + timedelta(days=rng.randint(1, 5)), today)
                line = delivered[0]
                quantity = max(Decimal(1), (line.quantity / 4).to_integral_value())
                try:
                    services.sales_return_create(
                        delivery=delivery, lines=[DocumentLineInput(line.pk, min(quantity, line.quantity))],
                        tz_name=tz, on=back_day, reason="包装破损", created_by=owner,
                    )  # fmt: skip
                    result.returns += 1
                except AppError:
                    pass
    return deliveries


def _receive(rng, open_invoices: dict, today: date, tz: str, result, owner) -> None:
    """Customers pay their invoices 1 to 4 weeks later: most in full, some in part, two invoices with one
    transfer now and then; the newest invoices are still open."""
    for _customer, invoices in sorted(open_invoices.items()):
        queue = sorted(invoices, key=lambda invoice: (invoice.date, invoice.pk))
        while queue:
            batch = [queue.pop(0)]
            if queue and rng.random() < 0.3:
                batch.append(queue.pop(0))
            day = batch[-1].date + timedelta(days=rng.randint(7, 28))
            if day > today:
                break
            shares = []
            for invoice in batch:
                invoice.refresh_from_db()
                share = (
                    invoice.open_amount if rng.random() < 0.8 else (invoice.open_amount / 2).quantize(Decimal("0.01"))
                )
                if share > 0:
                    shares.append(AllocationInput(invoice, share))
            if not shares:
                continue
            services.sales_receipt_create(
                customer=batch[0].customer, amount=sum(a.amount for a in shares), method=rng.choice(METHODS),
                tz_name=tz, allocations=shares, on=day, reference=f"DEMO{result.receipts + 1:04d}", created_by=owner,
            )  # fmt: skip
            result.receipts += 1
