"""A small ledger with known figures for the query tests (moving average, two warehouses, lots).

COLA (supplied by SUP1), Shanghai time:
  03-01 09:00  IN-1   +10 @ 2.00 into MAIN           pool 10 / 20.00
  03-02 09:00  IN-2   +10 @ 3.00 into W2             pool 20 / 50.00
  03-03 09:00  OUT-1   -4 from MAIN (avg 2.50)       pool 16 / 40.00
  03-04 09:00  TR-1     3 from W2 to MAIN            pool 16 / 40.00
  03-05 09:00  IN-3    +4 @ 5.00 into MAIN           pool 20 / 60.00
So MAIN holds 10, 6, 6, 9, 13 after each day and W2 0, 10, 10, 7, 7.
TEA (not supplied by SUP1): +5 @ 4.00 into MAIN on 03-01.
MILK (lot-tracked, in category 乳品) in MAIN: lots with expiry dates relative to `today`.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

from django_tenants.utils import schema_context

from modules.catalog import services as catalog
from modules.inventory import services
from modules.inventory.models import Lot
from modules.inventory.services import MoveLine, stock_moves_post
from modules.partners import services as partners

SHANGHAI = ZoneInfo("Asia/Shanghai")


def day(n: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, n, hour, 0, tzinfo=SHANGHAI)


@dataclass(frozen=True)
class World:
    cola: int
    tea: int
    milk: int
    main: int
    w2: int
    supplier: int
    dairy: int
    lots: dict[str, int]


def build(tenant, *, today: date) -> World:
    with schema_context(tenant.schema_name):
        unit = catalog.unit_create(name="瓶")
        dairy = catalog.category_create(name="乳品")
        cola = catalog.item_create(code="COLA", name="可乐", base_unit=unit, max_items=None)
        tea = catalog.item_create(code="TEA", name="茶", base_unit=unit, max_items=None)
        milk = catalog.item_create(
            code="MILK", name="牛奶", base_unit=unit, max_items=None, category=dairy, lot_tracked=True
        )
        main = services.warehouse_default_ensure()
        w2 = services.warehouse_create(code="W2", name="二号仓", max_warehouses=None)
        supplier = partners.partner_create(code="SUP1", name="可乐供应商", is_supplier=True)
        partners.supplier_item_set(supplier_id=supplier.pk, item_id=cola.pk, supplier_item_code="K-01")

        def post(n, lines, reference):
            stock_moves_post(lines=lines, posted_at=day(n), source_type="test", source_id=n, reference=reference)

        post(1, [MoveLine(cola, main, D("10"), D("2.00")), MoveLine(tea, main, D("5"), D("4.00"))], "IN-1")
        post(2, [MoveLine(cola, w2, D("10"), D("3.00"))], "IN-2")
        post(3, [MoveLine(cola, main, D("-4"))], "OUT-1")
        post(
            4,
            [MoveLine(cola, w2, D("-3"), transfer=True), MoveLine(cola, main, D("3"), transfer=True)],
            "TR-1",
        )
        post(5, [MoveLine(cola, main, D("4"), D("5.00"))], "IN-3")

        lots = {
            "SOON": Lot.objects.create(item=milk, code="SOON", expiry_date=today + timedelta(days=5)),
            "GONE": Lot.objects.create(item=milk, code="GONE", expiry_date=today - timedelta(days=1)),
            "LATE": Lot.objects.create(item=milk, code="LATE", expiry_date=today + timedelta(days=60)),
            "NONE": Lot.objects.create(item=milk, code="NONE", expiry_date=None),
        }
        stock_moves_post(
            lines=[MoveLine(milk, main, D("2"), D("6.00"), lot=lot) for lot in lots.values()],
            posted_at=day(1),
            source_type="test",
            source_id=9,
            reference="IN-MILK",
        )
        return World(
            cola=cola.pk,
            tea=tea.pk,
            milk=milk.pk,
            main=main.pk,
            w2=w2.pk,
            supplier=supplier.pk,
            dairy=dairy.pk,
            lots={code: lot.pk for code, lot in lots.items()},
        )
