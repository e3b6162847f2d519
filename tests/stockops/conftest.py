"""A small shop for stock document tests: units, items (one with a 箱 of 24, one lot-tracked), two
warehouses with locations, a supplier and a customer; and helpers to read the ledger."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.catalog import services as catalog
from modules.catalog.models import Item, Unit
from modules.identity.services import roles_sync
from modules.inventory import services as inventory
from modules.inventory.models import Location, StockBalance, StockMove, Warehouse
from modules.partners import services as partners
from modules.partners.models import Partner
from modules.stockops.models import StockDocument, StockDocumentLine
from tests.api.conftest import auth, login, make_key, make_user  # noqa: F401

TZ = "Asia/Shanghai"


@dataclass
class Shop:
    bottle: Unit
    case: Unit
    cola: Item  # 1 箱 = 24 瓶, barcode 6901234567892
    milk: Item  # lot-tracked
    main: Warehouse
    second: Warehouse
    a: Location  # in main
    b: Location  # in main
    c: Location  # in second
    supplier: Partner
    customer: Partner


def shop_create() -> Shop:
    # Tests on committed data may have left these units behind.
    bottle = Unit.objects.filter(name="瓶").first() or catalog.unit_create(name="瓶")
    case = Unit.objects.filter(name="箱").first() or catalog.unit_create(name="箱")
    cola = catalog.item_create(
        code="COLA", name="可口可乐", base_unit=bottle, max_items=None, barcodes=["6901234567892"],
        units=[(case, D("24"))],
    )  # fmt: skip
    milk = catalog.item_create(code="MILK", name="牛奶", base_unit=bottle, max_items=None, lot_tracked=True)
    main = inventory.warehouse_default_ensure()
    second = inventory.warehouse_create(code="WH2", name="二号仓", max_warehouses=None)
    return Shop(
        bottle=bottle,
        case=case,
        cola=cola,
        milk=milk,
        main=main,
        second=second,
        a=inventory.location_create(warehouse=main, code="A"),
        b=inventory.location_create(warehouse=main, code="B"),
        c=inventory.location_create(warehouse=second, code="C"),
        supplier=partners.partner_create(code="S1", name="供应商", is_supplier=True),
        customer=partners.partner_create(code="K1", name="客户", is_customer=True),
    )


@pytest.fixture
def shop(in_tenant_a) -> Shop:
    return shop_create()


@pytest.fixture
def roles_synced(tenant_a, tenant_b):
    # alpha and beta were provisioned before this app's permissions existed.
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            roles_sync()


def on_hand(item, warehouse, location=None, lot=None) -> D:
    row = StockBalance.objects.filter(item=item, warehouse=warehouse, location=location, lot=lot).first()
    return row.on_hand if row else D("0")


def ledger_state() -> tuple:
    """Everything a refused request must leave unchanged."""
    return (
        StockMove.objects.count(),
        sorted(StockBalance.objects.values_list("item_id", "warehouse_id", "location_id", "lot_id", "on_hand")),
        sorted(StockDocument.objects.values_list("id", "status", "number", "date", "note", "warehouse_id")),
        sorted(StockDocumentLine.objects.values_list("document_id", "position", "item_id", "quantity", "lot_id")),
    )


def backdated_receipt_confirmed(shop: Shop) -> tuple[StockDocument, StockDocument]:
    """10 received at 5.00 three days ago, 4 issued today (at 5.00), and a confirmed receipt of 10 at
    8.00 dated two days ago: posting it re-values the issue to the average 6.50 (-20.00 → -26.00)."""
    from modules.stockops import services
    from modules.stockops.services import LineInput

    today = services.today_in(TZ)

    def posted(kind, on, line):
        document = services.stock_document_create(kind=kind, date=on, warehouse=shop.main, lines=[line], tz_name=TZ)
        services.stock_document_confirm(document=document)
        return services.stock_document_post(document=document, tz_name=TZ).document

    posted("stock_in", today - timedelta(days=3), LineInput(shop.cola, shop.bottle, "10", "5.00"))
    issue = posted("stock_out", today, LineInput(shop.cola, shop.bottle, "4"))
    receipt = services.stock_document_create(
        kind="stock_in",
        date=today - timedelta(days=2),
        warehouse=shop.main,
        lines=[LineInput(shop.cola, shop.bottle, "10", "8.00")],
        tz_name=TZ,
    )
    return issue, services.stock_document_confirm(document=receipt)


from tests.finance.invariants import books_reconcile  # noqa: E402, F401  (the books reconcile after each test)
