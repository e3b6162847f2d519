"""Purchases for the demo shop: about four months of purchase orders to its suppliers, received (some in
two deliveries), billed, paid (one payment settling two bills, one paid in part), one bill corrected by a
reversal, one return of damaged goods, and the latest orders still open, so that the status at a glance
shows every stage.

`demo_purchasing_seed()` runs inside the demo tenant's schema after its stock seed and writes only through
the purchasing services. It does nothing once the shop has purchase orders. A fixed random seed makes
every run the same shop; dates follow today.
"""

import logging
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from jxc.kernel.numbers import today_in
from modules.inventory import services as inventory
from modules.inventory.models import Warehouse
from modules.partners.models import SupplierItem
from modules.purchasing import services
from modules.purchasing.models import PurchaseBill, PurchaseOrder, PurchaseReceipt
from modules.purchasing.services import (
    AllocationInput,
    BillLineInput,
    OrderLineInput,
    ReceiptReturnLineInput,
    ReceiveLineInput,
)

logger = logging.getLogger(__name__)

SEED = 20260901
ORDERS = 8
EVERY_DAYS = 14
CENT = Decimal("0.01")


@dataclass
class PurchasingSeedResult:
    orders: int = 0
    receipts: int = 0
    bills: int = 0
    payments: int = 0
    returns: int = 0


def _receive(order: PurchaseOrder, on: date, tz: str, share: Decimal = Decimal(1)) -> PurchaseReceipt:
    entries = []
    for line in order.lines.select_related("item"):
        quantity = line.outstanding if share == 1 else (line.quantity * share).quantize(Decimal(1))
        lot, expiry = "", None
        if line.item.lot_tracked:  # a new lot with every delivery
            lot, expiry = f"P{on:%Y%m%d}", on + timedelta(days=line.item.shelf_life_days or 180)
        entries.append(ReceiveLineInput(line.pk, quantity, lot, expiry))
    return services.purchase_receive(order=order, lines=entries, tz_name=tz, on=on)


def _bill(order: PurchaseOrder, on: date, tz: str, *, dearer: bool = False, number: int) -> PurchaseBill:
    """All of the order's received goods not yet billed; `dearer`: the supplier charged 0.50 more on one line."""
    entries = []
    for receipt in order.receipts.filter(reverses__isnull=True, reversal__isnull=True).order_by("pk"):
        for rl in receipt.lines.select_related("order_line").order_by("pk"):
            if rl.quantity > rl.billed_quantity:
                price = None
                if dearer and not entries:
                    price = services.order_price(rl.order_line) + Decimal("0.50")
                entries.append(BillLineInput(rl.pk, rl.quantity - rl.billed_quantity, price))
    return services.purchase_bill_create(
        order=order, lines=entries, tz_name=tz, on=on, invoice_number=f"No.{31000000 + number}", note="演示数据"
    )


def demo_purchasing_seed(*, tz: str = "Asia/Shanghai", today: date | None = None) -> PurchasingSeedResult:
    result = PurchasingSeedResult()
    if PurchaseOrder.objects.exists():
        return result
    links = list(SupplierItem.objects.select_related("item", "supplier").order_by("supplier_id", "item_id"))
    if not links:
        return result
    rng = random.Random(SEED)
    today = today or today_in(tz)
    by_supplier: dict[int, list[SupplierItem]] = {}
    for link in links:
        if link.supplier.is_active and link.item.is_active:
            by_supplier.setdefault(link.supplier_id, []).append(link)
    suppliers = [sid for sid in sorted(by_supplier) if len(by_supplier[sid]) >= 3][:4]
    if not suppliers:
        return result
    with transaction.atomic():
        warehouse = Warehouse.objects.filter(code="WH2").first() or inventory.warehouse_default_ensure()
        start = today - timedelta(days=EVERY_DAYS * ORDERS)
        bills_by_supplier: dict[int, list[PurchaseBill]] = {}
        for k in range(ORDERS):
            on = start + timedelta(days=EVERY_DAYS * k)
            supplier_links = rng.sample(by_supplier[suppliers[k % len(suppliers)]], k=3)
            lines = []
            for link in supplier_links:
                cost = link.last_purchase_price or link.item.purchase_price or Decimal("5.00")
                with_vat = (cost * (1 + link.item.vat_rate)).quantize(CENT, ROUND_HALF_UP)
                lines.append(
                    OrderLineInput(link.item, link.item.base_unit, Decimal(rng.choice([24, 48, 72])), with_vat)
                )
            order = services.purchase_order_create(
                supplier=supplier_links[0].supplier,
                warehouse=warehouse,
                date=on,
                expected_date=on + timedelta(days=3),
                lines=lines,
                note="演示数据",
            )
            services.purchase_order_confirm(order=order)
            result.orders += 1
            if k == ORDERS - 1:
                continue  # the latest order: confirmed, nothing has arrived yet
            if k % 3 == 1 or k == ORDERS - 2:  # two deliveries, or (the one before last) only the first so far
                _receive(order, on + timedelta(days=2), tz, share=Decimal("0.5"))
                result.receipts += 1
            if k != ORDERS - 2:
                _receive(order, min(on + timedelta(days=4), today), tz)
                result.receipts += 1
            if k >= ORDERS - 2:
                continue  # received lately: not billed yet
            if k == 1:  # damaged goods back to the supplier, from the first delivery
                receipt = order.receipts.order_by("pk").first()
                first = receipt.lines.order_by("pk").first()
                services.purchase_return_from_receipt(
                    receipt=receipt,
                    lines=[ReceiptReturnLineInput(first.pk, Decimal(6))],
                    tz_name=tz,
                    on=on + timedelta(days=5),
                    note="演示数据：外箱破损退回",
                )
                result.returns += 1
            bill = _bill(order, on + timedelta(days=6), tz, dearer=k == 2, number=k)
            result.bills += 1
            if k == 3:  # keyed in with the wrong invoice number: reversed and billed again
                services.purchase_bill_reverse(bill=bill, tz_name=tz)
                bill = _bill(order, on + timedelta(days=7), tz, number=k + 100)
                result.bills += 2
            bills_by_supplier.setdefault(order.supplier_id, []).append(bill)
        # Payments about three weeks after the bills: one payment per supplier settling what is due, the
        # newest bill of the first supplier paid only in part; the newest bills still open.
        methods = ["bank", "wechat", "alipay", "cash"]
        for index, (_supplier, bills) in enumerate(sorted(bills_by_supplier.items())):
            due = [bill for bill in bills if bill.date + timedelta(days=21) <= today]
            if not due:
                continue
            allocations = [AllocationInput(bill.pk, bill.open_amount) for bill in due]
            if index == 0:
                newest = due[-1]
                allocations[-1] = AllocationInput(newest.pk, (newest.open_amount / 2).quantize(CENT))
            services.purchase_payment_create(
                supplier=due[0].supplier,
                allocations=allocations,
                method=methods[index % len(methods)],
                account="6222 0210 0123 4567" if methods[index % len(methods)] == "bank" else "",
                tz_name=tz,
                on=max(bill.date for bill in due) + timedelta(days=21),
                note="演示数据",
            )
            result.payments += 1
    logger.info(
        "demo shop purchases seeded: %s orders, %s receipts, %s bills, %s payments, %s returns",
        result.orders,
        result.receipts,
        result.bills,
        result.payments,
        result.returns,
    )
    return result
