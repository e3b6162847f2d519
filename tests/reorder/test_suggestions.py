"""Replenishment suggestions (库存补充建议): what each input contributes, the supplier chosen, and turning
accepted suggestions into draft purchase orders (grouped, priced, idempotent, all or nothing)."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone, translation

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import today_in
from modules.inventory.reservations import ReserveLine, stock_reserve
from modules.inventory.services import MoveLine, stock_moves_post
from modules.partners.models import SupplierItem
from modules.partners.services import partner_create, supplier_item_set
from modules.purchasing.enums import OrderStatus
from modules.purchasing.models import PurchaseOrder
from modules.purchasing.services import (
    OrderLineInput,
    ReceiveLineInput,
    purchase_order_cancel,
    purchase_order_confirm,
    purchase_order_create,
    purchase_receive,
)
from modules.reorder import demand
from modules.reorder.models import ReplenishmentBatch
from modules.reorder.selectors import replenishment_suggestions
from modules.reorder.services import AcceptedLine, reorder_rule_create, suggestion_orders_create
from tests.reorder.conftest import item, main_warehouse, receive, second_warehouse, supplier, supplies

pytestmark = pytest.mark.usefixtures("in_tenant_a")
TZ = "Asia/Shanghai"
_ids = iter(range(500_000, 10**6))


def rule(item_, warehouse, minimum="5", reorder_point="20", maximum="50", **kwargs):
    return reorder_rule_create(
        item_id=item_.pk,
        warehouse_id=warehouse.pk,
        minimum=minimum,
        reorder_point=reorder_point,
        maximum=maximum,
        **kwargs,
    )


def move(item_, warehouse, quantity, *, days_ago: float, source_type="retail_sale"):
    """A sale (negative) or a refund (positive) posted `days_ago` days back."""
    return stock_moves_post(
        lines=[MoveLine(item_, warehouse, D(str(quantity)), None if D(str(quantity)) < 0 else D("1"), None)],
        posted_at=timezone.now() - timedelta(days=days_ago),
        source_type=source_type,
        source_id=next(_ids),
    )


def line_of(lines, item_, warehouse=None):
    found = [
        line for line in lines if line.item.pk == item_.pk and (warehouse is None or line.warehouse.pk == warehouse.pk)
    ]
    assert len(found) == 1, found
    return found[0]


def order(supplier_, warehouse, item_, quantity, *, unit=None, confirm=True):
    po = purchase_order_create(
        supplier=supplier_,
        warehouse=warehouse,
        date=today_in(TZ),
        lines=[OrderLineInput(item=item_, unit=unit, quantity=D(str(quantity)), unit_price=D("1"))],
    )
    return purchase_order_confirm(order=po) if confirm else po


def test_sales_velocity_counts_sales_net_of_returns_inside_the_window_only():
    wh = main_warehouse()
    cola = item("SGV1")
    rule(cola, wh, maximum="500", reorder_point="400")
    receive(cola, wh, 200, cost="1.00")
    move(cola, wh, -10, days_ago=5)
    move(cola, wh, 3, days_ago=3)  # a refund
    move(cola, wh, -20, days_ago=20)
    move(cola, wh, -40, days_ago=60)
    move(cola, wh, -100, days_ago=100)  # outside every window
    move(cola, wh, -7, days_ago=1, source_type="stock_out")  # not a sale

    sold = {window: line_of(replenishment_suggestions(window_days=window), cola).sold for window in (7, 30, 90)}

    assert sold == {7: D("7"), 30: D("27"), 90: D("67")}
    line = line_of(replenishment_suggestions(window_days=30), cola)
    assert line.plan.daily_sales == D("0.9")


def test_a_registered_sales_document_type_counts_as_sales(monkeypatch):
    monkeypatch.setattr(demand, "_registered", set(demand.SALE_SOURCE_TYPES))
    wh = main_warehouse()
    cola = item("SGV2")
    rule(cola, wh)
    receive(cola, wh, 30)
    move(cola, wh, -14, days_ago=2, source_type="sales_delivery")

    assert line_of(replenishment_suggestions(window_days=7), cola).sold == 0
    demand.sale_source_register("sales_delivery")
    assert line_of(replenishment_suggestions(window_days=7), cola).sold == D("14")


def test_position_counts_open_purchase_orders_in_base_units_and_deducts_reservations():
    wh, other = main_warehouse(), second_warehouse("SGW2")
    acme = supplier("SGS1")
    cola = item("SGP1", packs=(("箱", 24),))
    box = cola.units.get().unit
    supplies(acme, cola, "2.00")
    rule(cola, wh, minimum="10", reorder_point="100", maximum="200")
    receive(cola, wh, 30)
    partial = order(acme, wh, cola, 2, unit=box)  # 48 bottles
    purchase_receive(order=partial, lines=[ReceiveLineInput(line_id=partial.lines.get().pk, quantity="1")], tz_name=TZ)
    order(acme, wh, cola, 10)  # confirmed, 10 bottles
    order(acme, wh, cola, 1, unit=box, confirm=False)  # a draft: shown, not counted
    purchase_order_cancel(order=order(acme, wh, cola, 5, confirm=False))
    order(acme, other, cola, 99)  # another warehouse's order
    stock_reserve(lines=[ReserveLine(cola, wh, D("8"))], source_type="sales_order", source_id=next(_ids))

    line = line_of(replenishment_suggestions(), cola, wh)

    # on hand 30 + 24 (received) = 54; on order 24 + 10 = 34; reserved 8; position 80; order 200 − 80 = 120.
    assert (line.on_hand, line.on_order, line.on_draft, line.reserved) == (D("54"), D("34"), D("24"), D("8"))
    assert (line.plan.position, line.plan.quantity) == (D("80"), D("120"))
    with translation.override("en"):
        assert any("24" in reason and "draft" in reason for reason in line.reasons)
    with translation.override("zh-hans"):
        assert any("24" in reason and "草稿" in reason for reason in line.reasons)


def test_the_supplier_with_the_latest_price_is_preferred_with_its_lead_time_and_purchase_unit():
    wh = main_warehouse()
    cola = item("SGS2", packs=(("箱", 24),))
    box = cola.units.get()
    old = partner_create(code="SGOLD", name="老供应商", is_supplier=True, lead_time_days=2)
    new = partner_create(code="SGNEW", name="新供应商", is_supplier=True, lead_time_days=9)
    unpriced = partner_create(code="SGNOP", name="无价", is_supplier=True)
    supplier_item_set(supplier_id=old.pk, item_id=cola.pk, last_purchase_price="2.00")
    supplier_item_set(supplier_id=new.pk, item_id=cola.pk, last_purchase_price="2.10", purchase_unit_id=box.pk)
    supplier_item_set(supplier_id=unpriced.pk, item_id=cola.pk)  # most recent, but without a price
    SupplierItem.objects.filter(supplier=old).update(updated_at=timezone.now() - timedelta(days=30))
    SupplierItem.objects.filter(supplier=new).update(updated_at=timezone.now() - timedelta(days=1))
    rule(cola, wh)  # 0 on hand: 50 needed

    line = line_of(replenishment_suggestions(window_days=30), cola)

    assert (line.supplier.code, line.choice.reason, line.lead_days) == ("SGNEW", "last_price", 9)
    assert (line.order_unit_name, line.order_quantity, line.plan.quantity) == ("箱", D("3"), D("72"))
    assert line.unit_price == D("50.400000")  # 2.10 × 24
    assert len(line.reasons) >= 4


def test_a_rule_preferred_supplier_wins_and_a_supplier_item_lead_time_overrides_the_suppliers():
    wh = main_warehouse()
    cola = item("SGS3")
    named = partner_create(code="SGRULE", name="指定", is_supplier=True, lead_time_days=20)
    latest = supplier("SGLATEST")
    supplier_item_set(supplier_id=named.pk, item_id=cola.pk, last_purchase_price="3", lead_time_days=4)
    supplier_item_set(supplier_id=latest.pk, item_id=cola.pk, last_purchase_price="1")
    rule(cola, wh, preferred_supplier_id=named.pk)

    line = line_of(replenishment_suggestions(), cola)

    assert (line.supplier.code, line.choice.reason, line.lead_days, line.choice.lead_source) == (
        "SGRULE",
        "rule",
        4,
        "item",
    )


def test_filters_and_lines_with_nothing_to_order():
    wh, other = main_warehouse(), second_warehouse("SGW3")
    acme, beta = supplier("SGF1"), supplier("SGF2")
    cola, tea = item("SGF-COLA"), item("SGF-TEA")
    supplies(acme, cola, "1"), supplies(beta, tea, "1")
    rule(cola, wh), rule(cola, other), rule(tea, wh)
    full = item("SGF-FULL")
    rule(full, wh)
    receive(full, wh, 40)

    assert {line.key for line in replenishment_suggestions(warehouse_id=other.pk)} == {f"{cola.pk}-{other.pk}"}
    assert {line.item.code for line in replenishment_suggestions(supplier_id=beta.pk)} == {"SGF-TEA"}
    assert "SGF-FULL" not in {line.item.code for line in replenishment_suggestions()}
    assert "SGF-FULL" in {line.item.code for line in replenishment_suggestions(due_only=False)}


def _world():
    wh, other = main_warehouse(), second_warehouse("SGO2")
    acme = partner_create(code="SGO-A", name="甲供应商", is_supplier=True, lead_time_days=3)
    beta = partner_create(code="SGO-B", name="乙供应商", is_supplier=True, lead_time_days=1)
    cola, tea, milk = item("SGO-COLA", packs=(("箱", 24),)), item("SGO-TEA"), item("SGO-MILK")
    supplier_item_set(
        supplier_id=acme.pk, item_id=cola.pk, last_purchase_price="2.5", purchase_unit_id=cola.units.get().pk
    )
    supplier_item_set(supplier_id=acme.pk, item_id=tea.pk, last_purchase_price="4", lead_time_days=6)
    supplier_item_set(supplier_id=beta.pk, item_id=milk.pk, last_purchase_price="3.2")
    return {"wh": wh, "other": other, "acme": acme, "beta": beta, "cola": cola, "tea": tea, "milk": milk}


def test_accepted_suggestions_become_draft_orders_per_supplier_and_warehouse():
    w = _world()
    lines = [
        AcceptedLine(item_id=w["cola"].pk, warehouse_id=w["wh"].pk, quantity="2"),  # 2 箱
        AcceptedLine(item_id=w["milk"].pk, warehouse_id=w["wh"].pk, quantity="12"),
        AcceptedLine(item_id=w["tea"].pk, warehouse_id=w["wh"].pk, quantity="5"),
        AcceptedLine(item_id=w["tea"].pk, warehouse_id=w["other"].pk, quantity="7"),
    ]

    result = suggestion_orders_create(token="t-1", lines=lines, tz_name=TZ, window_days=30)

    assert result.created
    shape = {
        (po.supplier.code, po.warehouse.pk): [
            (line.item.code, line.unit.name, line.quantity, line.unit_price) for line in po.lines.all()
        ]
        for po in result.orders
    }
    assert shape == {
        ("SGO-A", w["wh"].pk): [("SGO-COLA", "箱", D("2"), D("60")), ("SGO-TEA", "瓶", D("5"), D("4"))],
        ("SGO-A", w["other"].pk): [("SGO-TEA", "瓶", D("7"), D("4"))],
        ("SGO-B", w["wh"].pk): [("SGO-MILK", "瓶", D("12"), D("3.2"))],
    }
    today = today_in(TZ)
    assert {po.status for po in result.orders} == {OrderStatus.DRAFT}
    expected = {(po.supplier.code, po.warehouse.pk): po.expected_date - today for po in result.orders}
    assert expected[("SGO-A", w["wh"].pk)] == timedelta(days=6)  # the longest lead time of its lines
    assert expected[("SGO-B", w["wh"].pk)] == timedelta(days=1)
    assert set(result.batch.orders.all()) == set(result.orders)


def test_the_same_token_twice_creates_nothing_new():
    w = _world()
    lines = [AcceptedLine(item_id=w["milk"].pk, warehouse_id=w["wh"].pk, quantity="12")]
    first = suggestion_orders_create(token="same", lines=lines, tz_name=TZ)
    count = PurchaseOrder.objects.count()

    again = suggestion_orders_create(token="same", lines=lines, tz_name=TZ)

    assert (again.created, [po.pk for po in again.orders]) == (False, [po.pk for po in first.orders])
    assert PurchaseOrder.objects.count() == count
    assert ReplenishmentBatch.objects.filter(token="same").count() == 1


@pytest.mark.parametrize(
    ("bad", "field", "code"),
    [
        ({"quantity": "0"}, "lines.1.quantity", "non_positive_quantity"),
        ({"quantity": "abc"}, "lines.1.quantity", "invalid_number"),
        ({"quantity": "1.5", "item": "cola"}, "lines.1.quantity", "whole_purchase_units"),
        ({"item_id": 987654321}, "lines.1.item_id", "not_found"),
        ({"item_id": "x"}, "lines.1.item_id", "invalid_number"),
        ({"warehouse_id": None}, "lines.1.warehouse_id", "required"),
        ({"item": "orphan"}, "lines.1.supplier_id", "no_supplier"),
        ({"supplier_id": "customer"}, "lines.1.supplier_id", "partner_not_a_supplier"),
        ({"item": "milk"}, "lines.1.item_id", "duplicate_line"),
    ],
)
def test_bad_lines_are_refused_naming_the_line_and_nothing_is_written(bad, field, code):
    w = _world()
    w["orphan"] = item("SGO-ORPHAN")
    w["customer"] = partner_create(code="SGO-C", name="客户", is_customer=True)
    values = {"item_id": w[bad.pop("item", "tea")].pk, "warehouse_id": w["wh"].pk, "quantity": "3"}
    if "supplier_id" in bad:
        bad["supplier_id"] = w[bad["supplier_id"]].pk
    values.update(bad)
    lines = [AcceptedLine(item_id=w["milk"].pk, warehouse_id=w["wh"].pk, quantity="12"), AcceptedLine(**values)]
    before = PurchaseOrder.objects.count()

    with pytest.raises(AppError) as caught:
        suggestion_orders_create(token="bad", lines=lines, tz_name=TZ)

    assert (caught.value.field, caught.value.code) == (field, code)
    assert PurchaseOrder.objects.count() == before
    assert not ReplenishmentBatch.objects.filter(token="bad").exists()


def test_no_lines_or_no_token_is_refused():
    with pytest.raises(AppError) as no_lines:
        suggestion_orders_create(token="empty", lines=[], tz_name=TZ)
    with pytest.raises(AppError) as no_token:
        suggestion_orders_create(token=" ", lines=[], tz_name=TZ)

    assert (no_lines.value.field, no_token.value.field) == ("lines", "token")


def test_the_number_of_queries_does_not_grow_with_the_number_of_rules():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wh = main_warehouse()
    acme = supplier("SGQ")

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            lines = replenishment_suggestions()
            [line.reasons for line in lines]  # the reasons read nothing more
        return len(queries)

    for n in range(2):
        product = item(f"SGQ{n}", packs=(("箱", 6),))
        supplier_item_set(
            supplier_id=acme.pk, item_id=product.pk, last_purchase_price="1", purchase_unit_id=product.units.get().pk
        )
        rule(product, wh)
    few = counted()
    for n in range(2, 8):
        product = item(f"SGQ{n}")
        supplies(acme, product, "1")
        rule(product, wh)

    assert counted() == few <= 7
