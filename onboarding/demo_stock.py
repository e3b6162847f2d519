"""Stock for the demo shop: a store and a back warehouse, with locations, and about four months of
movements posted as real stock documents (其它入库 from suppliers, transfers to the store, store
issues, the odd damage adjustment) and reorder levels for the store's shelves, so that every page of
the stock module has something true to show.

`demo_stock_seed()` runs inside the demo tenant's schema after the catalog seed and writes only through
the inventory and stock-document services. It does nothing once the shop has stock documents.
A fixed random seed makes every run the same shop (dates follow today, so "four months" stays recent).
"""

import logging
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from jxc.kernel.errors import AppError
from modules.catalog.models import Item
from modules.inventory import services as inventory
from modules.inventory.models import Location, StockBalance, Warehouse
from modules.partners.models import SupplierItem
from modules.reorder import services as reorder
from modules.stockops import services as stockops
from modules.stockops.enums import AdjustmentReason, DocumentKind
from modules.stockops.models import StockDocument

logger = logging.getLogger(__name__)

SEED = 20260801
DAYS = 120
CENT = Decimal("0.01")
STORE_SHELVES = ["A1", "A2", "A3", "B1", "B2"]
BACK_SHELVES = ["R1", "R2", "R3", "R4"]


@dataclass
class StockSeedResult:
    documents: int = 0
    reorder_rules: int = 0


def _places() -> tuple[Warehouse, Warehouse, list[Location], list[Location]]:
    store = inventory.warehouse_default_ensure()
    if store.name != "门店":
        store = inventory.warehouse_update(warehouse=store, name="门店", address="上海市徐汇区漕溪北路 88 号")
    back = Warehouse.objects.filter(code="WH2").first() or inventory.warehouse_create(
        code="WH2", name="浦东仓库", address="上海市浦东新区金桥路 1200 号", max_warehouses=None
    )
    return store, back, _shelves(store, "A", "卖场", STORE_SHELVES), _shelves(back, "R", "货架区", BACK_SHELVES)


def _shelves(warehouse: Warehouse, zone_code: str, zone_name: str, codes: list[str]) -> list[Location]:
    zone = Location.objects.filter(warehouse=warehouse, code=zone_code).first() or inventory.location_create(
        warehouse=warehouse, code=zone_code, name=zone_name
    )
    shelves = []
    for code in codes:
        shelf = Location.objects.filter(warehouse=warehouse, code=zone_code + "-" + code).first()
        shelves.append(
            shelf or inventory.location_create(warehouse=warehouse, code=zone_code + "-" + code, parent=zone, name=code)
        )
    return shelves


def _receipt_line(item: Item, quantity: int, *, cost: Decimal, on: date, location: Location):
    lot_code, expiry = "", None
    if item.lot_tracked:  # a new lot with every delivery
        lot_code = f"L{on:%Y%m%d}"
        expiry = on + timedelta(days=item.shelf_life_days or 180)
    return stockops.LineInput(item, item.base_unit, Decimal(quantity), cost, location, None, lot_code, expiry)


def _outgoing_line(item: Item, wanted: int, *, location: Location, target: Location | None = None):
    """At most what the place holds, from its soonest-expiring lot (FEFO); None when it holds nothing."""
    row = (
        StockBalance.objects.filter(item=item, location=location, on_hand__gt=0)
        .select_related("lot")
        .order_by("lot__expiry_date", "lot__code")
        .first()
    )
    if row is None:
        return None
    quantity = min(Decimal(wanted), row.on_hand)
    lot_code = row.lot.code if row.lot else ""
    return stockops.LineInput(item, item.base_unit, quantity, None, location, target, lot_code, None)


def _post(kind: str, on: date, warehouse: Warehouse, lines, tz: str, **head) -> bool:
    document = stockops.stock_document_create(
        kind=kind, date=on, warehouse=warehouse, lines=lines, tz_name=tz, note="演示数据", **head
    )
    stockops.stock_document_confirm(document=document)
    try:
        stockops.stock_document_post(document=document, tz_name=tz)
    except AppError:
        # Not enough stock for a random issue: the demo keeps it as a confirmed document, as a shop would.
        return False
    return True


def demo_stock_seed(*, tz: str = "Asia/Shanghai", today: date | None = None) -> StockSeedResult:
    result = StockSeedResult()
    if StockDocument.objects.exists():
        return result
    rng = random.Random(SEED)
    today = today or date.today()
    links = list(SupplierItem.objects.select_related("item", "item__base_unit", "supplier").order_by("pk"))
    if not links:
        return result
    items = {link.item_id: link.item for link in links}
    by_supplier: dict[int, list[SupplierItem]] = {}
    for link in links:
        by_supplier.setdefault(link.supplier_id, []).append(link)
    with transaction.atomic():
        store, back, store_shelves, back_shelves = _places()
        # Where each item sits in either warehouse, so that locations stay tidy and transfers find stock.
        on_shelf: dict[int, Location] = {}
        in_back: dict[int, Location] = {}
        start = today - timedelta(days=DAYS)
        for offset in range(0, DAYS + 1, 3):
            on = start + timedelta(days=offset)
            # A delivery from one or two suppliers to the back warehouse.
            for supplier_id in rng.sample(sorted(by_supplier), k=min(2, len(by_supplier))):
                chosen = rng.sample(by_supplier[supplier_id], k=min(6, len(by_supplier[supplier_id])))
                lines = []
                for link in chosen:
                    base = link.last_purchase_price or link.item.purchase_price or Decimal("5.00")
                    cost = (base * Decimal(rng.uniform(0.95, 1.05))).quantize(CENT, ROUND_HALF_UP)
                    shelf = in_back.setdefault(link.item_id, rng.choice(back_shelves))
                    lines.append(_receipt_line(link.item, rng.randint(24, 96), cost=cost, on=on, location=shelf))
                result.documents += _post(DocumentKind.STOCK_IN, on, back, lines, tz, partner=chosen[0].supplier)
            # Restock the store's shelves from the back warehouse.
            received = [link for link in links if link.item_id in in_back]
            lines = []
            for link in {link.item_id: link for link in rng.sample(received, k=min(8, len(received)))}.values():
                shelf = on_shelf.setdefault(link.item_id, rng.choice(store_shelves))
                line = _outgoing_line(link.item, rng.randint(6, 24), location=in_back[link.item_id], target=shelf)
                lines += [line] if line else []
            if lines:
                result.documents += _post(DocumentKind.TRANSFER, on, back, lines, tz, target_warehouse=store)
            # What the store sold over the counter (retail sales arrive with the sales module).
            sold = sorted(on_shelf.items())
            if sold:
                lines = []
                for item_id, shelf in rng.sample(sold, k=min(6, len(sold))):
                    line = _outgoing_line(items[item_id], rng.randint(1, 6), location=shelf)
                    lines += [line] if line else []
                if lines:
                    result.documents += _post(DocumentKind.STOCK_OUT, on, store, lines, tz)
            if offset % 30 == 0 and sold:
                item_id, shelf = rng.choice(sold)
                line = _outgoing_line(items[item_id], 1, location=shelf)
                if line:
                    damaged = replace(line, quantity=-line.quantity)  # adjustment lines are signed
                    result.documents += _post(
                        DocumentKind.ADJUSTMENT, on, store, [damaged], tz, reason=AdjustmentReason.DAMAGE
                    )
        # Reorder levels for what the store sells, so the low-stock list and the dashboard have a story.
        for item_id in sorted(on_shelf):
            reorder.reorder_rule_create(
                item_id=item_id,
                warehouse_id=store.pk,
                minimum=Decimal(6),
                reorder_point=Decimal(12),
                maximum=Decimal(48),
            )
            result.reorder_rules += 1
        reorder.low_stock_snapshot_refresh()
    logger.info("demo shop stock seeded: %s documents posted, %s reorder rules", result.documents, result.reorder_rules)
    return result
