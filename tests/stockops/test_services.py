"""The stock document services: lifecycle, posting each kind, reversal, refusals that change nothing."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import translation

from jxc.kernel.errors import AppError
from modules.inventory.models import Lot, StockMove
from modules.stockops import services
from modules.stockops.enums import DocumentStatus
from modules.stockops.models import StockDocument
from modules.stockops.services import LineInput
from tests.stockops.conftest import TZ, backdated_receipt_confirmed, ledger_state, on_hand

TODAY = services.today_in(TZ)
EARLIER = TODAY - timedelta(days=3)


def create(shop, kind, lines, **head):
    head.setdefault("date", TODAY)
    head.setdefault("warehouse", shop.main)
    return services.stock_document_create(kind=kind, lines=lines, tz_name=TZ, **head)


def post(document):
    services.stock_document_confirm(document=document)
    return services.stock_document_post(document=document, tz_name=TZ)


def receive(shop, quantity="10", cost="5.00", *, item=None, unit=None, **line):
    document = create(
        shop, "stock_in", [LineInput(item or shop.cola, unit or shop.bottle, quantity, cost, **line)], date=EARLIER
    )
    return post(document).document


def refused(call, code: str, field: str) -> AppError:
    before = ledger_state()
    with pytest.raises(AppError) as error:
        call()
    assert (error.value.code, error.value.field) == (code, field)
    assert ledger_state() == before
    return error.value


# --- Drafts -------------------------------------------------------------------------------------------


def test_a_draft_gets_a_number_per_kind_and_its_lines_in_base_units(shop):
    receipt = create(shop, "stock_in", [LineInput(shop.cola, shop.case, "2", "48.00", shop.a)], partner=shop.supplier)
    issue = create(shop, "stock_out", [LineInput(shop.cola, shop.bottle, "1")], partner=shop.customer)
    second = create(shop, "stock_in", [LineInput(shop.cola, shop.bottle, "1", "2")])
    year = TODAY.year
    assert (receipt.number, second.number, issue.number) == (f"QTRK{year}00001", f"QTRK{year}00002", f"QTCK{year}00001")
    assert receipt.status == DocumentStatus.DRAFT
    [line] = receipt.lines.all()
    assert (line.quantity, line.base_quantity, line.unit_cost, line.location) == (D("2"), D("48"), D("48"), shop.a)
    assert StockMove.objects.count() == 0


def test_updating_a_draft_replaces_its_lines_and_keeps_its_number(shop):
    document = create(shop, "stock_out", [LineInput(shop.cola, shop.bottle, "1"), LineInput(shop.cola, shop.case, "1")])
    services.stock_document_update(
        document=document, tz_name=TZ, note=" 报损出库 ", lines=[LineInput(shop.cola, shop.case, "0.5", None, shop.b)]
    )
    document.refresh_from_db()
    assert document.note == "报损出库"
    assert [(x.position, x.quantity, x.base_quantity, x.location) for x in document.lines.all()] == [
        (0, D("0.5"), D("12"), shop.b)
    ]


def test_a_new_warehouse_must_still_hold_the_lines_locations(shop):
    document = create(shop, "stock_out", [LineInput(shop.cola, shop.bottle, "1", None, shop.a)])
    refused(
        lambda: services.stock_document_update(document=document, tz_name=TZ, warehouse=shop.second),
        "wrong_warehouse",
        "lines.0.location",
    )


@pytest.mark.parametrize(
    ("line", "code", "field"),
    [
        (dict(quantity="0"), "non_positive_quantity", "lines.0.quantity"),
        (dict(quantity="-1"), "non_positive_quantity", "lines.0.quantity"),
        (dict(quantity="abc"), "invalid_number", "lines.0.quantity"),
        (dict(quantity="1.0000001"), "too_many_places", "lines.0.quantity"),
        (dict(unit="case", quantity="0.0000001"), "too_many_places", "lines.0.quantity"),
        (dict(unit="case", quantity="0.333333"), None, None),
        (dict(cost=None), "required", "lines.0.unit_cost"),
        (dict(cost="-1"), "invalid_cost", "lines.0.unit_cost"),
        (dict(location="c"), "wrong_warehouse", "lines.0.location"),
        (dict(target_location="b"), "not_allowed", "lines.0.target_location"),
        (dict(lot_code="L1"), "not_allowed", "lines.0.lot_code"),
    ],
)
def test_bad_lines_are_refused_naming_the_field(shop, line, code, field):
    unit = shop.case if line.pop("unit", None) == "case" else shop.bottle
    values = {"quantity": "1", "cost": "2.00", **line}
    for name in ("location", "target_location"):
        if name in values:
            values[name] = getattr(shop, values[name])
    lines = [
        LineInput(shop.cola, unit, "1", "1"),
        LineInput(shop.cola, unit, values.pop("quantity"), values.pop("cost"), **values),
    ]
    if code is None:  # 0.333333 箱 × 24 = 7.999992 瓶: exact, accepted
        assert create(shop, "stock_in", lines).lines.get(position=1).base_quantity == D("7.999992")
        return
    refused(lambda: create(shop, "stock_in", lines), code, field.replace("lines.0", "lines.1"))


def test_an_inexact_conversion_is_refused(shop):
    from modules.catalog import services as catalog

    catalog.item_unit_set(item=shop.cola, unit=catalog.unit_create(name="托"), factor=D("0.333333"))
    tray = shop.cola.units.get(factor=D("0.333333")).unit
    refused(
        lambda: create(shop, "stock_out", [LineInput(shop.cola, tray, "0.5")]), "inexact_conversion", "lines.0.quantity"
    )


def test_a_unit_the_item_does_not_have_is_refused(shop):
    from modules.catalog import services as catalog

    crate = catalog.unit_create(name="筐")
    refused(lambda: create(shop, "stock_out", [LineInput(shop.cola, crate, "1")]), "unknown_unit", "lines.0.unit")


@pytest.mark.parametrize(
    ("kind", "head", "code", "field"),
    [
        ("stock_in", {"date": TODAY + timedelta(days=1)}, "future_date", "date"),
        ("stock_in", {"partner": "customer"}, "wrong_partner", "partner"),
        ("stock_out", {"partner": "supplier"}, "wrong_partner", "partner"),
        ("adjustment", {}, "reason_required", "reason"),
        ("adjustment", {"reason": "theft"}, "invalid_reason", "reason"),
        ("stock_in", {"reason": "damage"}, "not_allowed", "reason"),
        ("transfer", {}, "required", "target_warehouse"),
        ("stock_out", {"target_warehouse": "second"}, "not_allowed", "target_warehouse"),
        ("stock_out", {"note": "x" * 501}, "too_long", "note"),
        ("count", {}, "invalid_kind", "kind"),
    ],
)
def test_bad_heads_are_refused_naming_the_field(shop, kind, head, code, field):
    for name in ("partner", "target_warehouse"):
        if name in head:
            head[name] = getattr(shop, head[name])
    refused(lambda: create(shop, kind, [LineInput(shop.cola, shop.bottle, "1", "1")], **head), code, field)


def test_no_lines_is_refused(shop):
    refused(lambda: create(shop, "stock_out", []), "no_lines", "lines")


# --- The lifecycle ------------------------------------------------------------------------------------


def test_receipt_then_issue_takes_the_receipt_cost(shop):
    receipt = receive(shop, "10", "5.00", location=shop.a)
    assert receipt.status == DocumentStatus.POSTED
    assert receipt.posted_at is not None
    issue = create(shop, "stock_out", [LineInput(shop.cola, shop.bottle, "4", None, shop.a)])
    outcome = post(issue)
    assert outcome.revalued == []
    [move] = StockMove.objects.filter(source_type="stock_out", source_id=issue.pk)
    assert (move.quantity, move.unit_cost, move.value) == (D("-4"), D("5.000000"), D("-20.00"))
    assert on_hand(shop.cola, shop.main, shop.a) == D("6")


def test_a_receipt_in_cases_costs_per_bottle(shop):
    receipt = receive(shop, "2", "48.00", unit=shop.case)
    [move] = StockMove.objects.filter(source_type="stock_in", source_id=receipt.pk)
    assert (move.quantity, move.unit_cost, move.value) == (D("48"), D("2.000000"), D("96.00"))


def test_posting_needs_a_confirmed_document(shop):
    document = create(shop, "stock_in", [LineInput(shop.cola, shop.bottle, "1", "1")])
    error = refused(lambda: services.stock_document_post(document=document, tz_name=TZ), "wrong_status", "status")
    assert error.status_code == 409


@pytest.mark.parametrize("action", ["edit", "confirm", "post", "cancel"])
@pytest.mark.parametrize("closed", ["posted", "cancelled"])
def test_a_closed_document_cannot_be_changed(shop, action, closed):
    document = create(shop, "stock_in", [LineInput(shop.cola, shop.bottle, "1", "1")])
    if closed == "posted":
        post(document)
    else:
        services.stock_document_cancel(document=document)
    calls = {
        "edit": lambda: services.stock_document_update(document=document, tz_name=TZ, note="changed"),
        "confirm": lambda: services.stock_document_confirm(document=document),
        "post": lambda: services.stock_document_post(document=document, tz_name=TZ),
        "cancel": lambda: services.stock_document_cancel(document=document),
    }
    error = refused(calls[action], "document_closed", "status")
    assert error.status_code == 409


def test_a_confirmed_document_is_no_longer_editable_but_may_be_cancelled(shop):
    document = create(shop, "stock_in", [LineInput(shop.cola, shop.bottle, "1", "1")])
    services.stock_document_confirm(document=document)
    refused(lambda: services.stock_document_update(document=document, tz_name=TZ, note="x"), "wrong_status", "status")
    assert services.stock_document_cancel(document=document).status == DocumentStatus.CANCELLED


def test_insufficient_stock_names_the_line_and_leaves_the_document_confirmed(shop):
    receive(shop, "3", "5.00")
    document = create(
        shop, "stock_out", [LineInput(shop.cola, shop.bottle, "1"), LineInput(shop.cola, shop.bottle, "5")]
    )
    services.stock_document_confirm(document=document)
    error = refused(
        lambda: services.stock_document_post(document=document, tz_name=TZ), "insufficient_stock", "lines.1.quantity"
    )
    assert error.status_code == 409
    document.refresh_from_db()
    assert document.status == DocumentStatus.CONFIRMED


def test_a_backdated_document_posts_at_the_end_of_its_day(shop):
    receipt = receive(shop)
    local = receipt.posted_at.astimezone(__import__("zoneinfo").ZoneInfo(TZ))
    assert (local.date(), local.hour, local.minute) == (EARLIER, 23, 59)


def test_a_backdated_receipt_reports_the_later_issue_it_revalued(shop):
    issue, receipt = backdated_receipt_confirmed(shop)
    revalued = services.stock_document_post(document=receipt, tz_name=TZ).revalued
    assert [(r.source_type, r.source_id, r.reference, r.value_before, r.value_after) for r in revalued] == [
        ("stock_out", issue.pk, issue.number, D("-20.00"), D("-26.00"))
    ]


# --- Transfers and adjustments -------------------------------------------------------------------------


def test_a_transfer_moves_stock_between_warehouses_and_locations(shop):
    receive(shop, "10", "5.00", location=shop.a)
    transfer = create(
        shop,
        "transfer",
        [
            LineInput(shop.cola, shop.bottle, "4", None, shop.a, shop.c),
            LineInput(shop.cola, shop.bottle, "1", None, shop.a),
        ],
        target_warehouse=shop.second,
    )
    post(transfer)
    assert on_hand(shop.cola, shop.main, shop.a) == D("5")
    assert on_hand(shop.cola, shop.second, shop.c) == D("4")
    assert on_hand(shop.cola, shop.second) == D("1")
    moves = StockMove.objects.filter(source_type="transfer", source_id=transfer.pk).order_by("id")
    assert [m.quantity for m in moves] == [D("-4"), D("4"), D("-1"), D("1")]
    assert {m.unit_cost for m in moves} == {D("5.000000")}  # value-neutral: the goods keep their cost


def test_a_transfer_within_a_warehouse_between_locations(shop):
    receive(shop, "10", "5.00", location=shop.a)
    transfer = create(
        shop, "transfer", [LineInput(shop.cola, shop.bottle, "3", None, shop.a, shop.b)], target_warehouse=shop.main
    )
    post(transfer)
    assert (on_hand(shop.cola, shop.main, shop.a), on_hand(shop.cola, shop.main, shop.b)) == (D("7"), D("3"))


def test_a_transfer_to_the_same_place_is_refused(shop):
    line = LineInput(shop.cola, shop.bottle, "1", None, shop.a, shop.a)
    refused(
        lambda: create(shop, "transfer", [line], target_warehouse=shop.main), "same_place", "lines.0.target_location"
    )


def test_a_transfer_target_location_must_be_in_the_target_warehouse(shop):
    line = LineInput(shop.cola, shop.bottle, "1", None, shop.a, shop.b)
    refused(
        lambda: create(shop, "transfer", [line], target_warehouse=shop.second),
        "wrong_warehouse",
        "lines.0.target_location",
    )


def test_a_short_transfer_names_its_own_line(shop):
    receive(shop, "2", "5.00", location=shop.a)
    transfer = create(
        shop,
        "transfer",
        [
            LineInput(shop.cola, shop.bottle, "1", None, shop.a, shop.c),
            LineInput(shop.cola, shop.bottle, "5", None, shop.a),
        ],
        target_warehouse=shop.second,
    )
    services.stock_document_confirm(document=transfer)
    with translation.override("en"):
        error = refused(
            lambda: services.stock_document_post(document=transfer, tz_name=TZ),
            "insufficient_stock",
            "lines.1.quantity",
        )
    # The ledger counts two legs per transfer line; the message names the document's line 2, not leg 4.
    assert str(error.message) == "Line 2: not enough COLA 可口可乐 in stock at MAIN A."


def test_a_backdated_transfer_that_would_starve_a_later_issue_names_its_line(shop):
    receive(shop, "5", "5.00", location=shop.a)
    receive(shop, "5", "5.00", location=shop.b)
    post(create(shop, "stock_out", [LineInput(shop.cola, shop.bottle, "5", None, shop.a)]))
    transfer = create(
        shop,
        "transfer",
        [
            LineInput(shop.cola, shop.bottle, "1", None, shop.b, shop.c),
            LineInput(shop.cola, shop.bottle, "3", None, shop.a, shop.c),
        ],
        target_warehouse=shop.second,
        date=EARLIER + timedelta(days=1),
    )
    services.stock_document_confirm(document=transfer)
    with translation.override("en"):
        error = refused(
            lambda: services.stock_document_post(document=transfer, tz_name=TZ),
            "insufficient_stock_later",
            "lines.1.quantity",
        )
    assert str(error.message).startswith("Line 2: this would leave too little COLA 可口可乐 at MAIN A")


def test_an_adjustment_takes_signed_lines_and_the_average_cost(shop):
    receive(shop, "10", "5.00")
    adjustment = create(
        shop,
        "adjustment",
        [
            LineInput(shop.cola, shop.bottle, "-3"),
            LineInput(shop.cola, shop.bottle, "1"),
            LineInput(shop.cola, shop.bottle, "2", "6.50"),
        ],
        reason="found",
        note="盘点发现",
    )
    post(adjustment)
    moves = StockMove.objects.filter(source_type="adjustment", source_id=adjustment.pk).order_by("id")
    assert [(m.quantity, m.unit_cost) for m in moves] == [
        (D("-3"), D("5.000000")),
        (D("1"), D("5.000000")),
        (D("2"), D("6.500000")),
    ]
    assert on_hand(shop.cola, shop.main) == D("10")


def test_an_adjustment_refuses_zero_and_a_cost_on_a_negative_line(shop):
    refused(
        lambda: create(shop, "adjustment", [LineInput(shop.cola, shop.bottle, "0")], reason="loss"),
        "zero_quantity",
        "lines.0.quantity",
    )
    refused(
        lambda: create(shop, "adjustment", [LineInput(shop.cola, shop.bottle, "-1", "2")], reason="loss"),
        "not_allowed",
        "lines.0.unit_cost",
    )


# --- Lots ---------------------------------------------------------------------------------------------


def test_a_lot_is_created_on_first_receipt_and_reused_after(shop):
    expiry = TODAY + timedelta(days=30)
    first = receive(shop, "5", "3.00", item=shop.milk, lot_code="B01", expiry_date=expiry)
    second = receive(shop, "2", "3.00", item=shop.milk, lot_code="B01")
    [lot] = Lot.objects.filter(item=shop.milk)
    assert (lot.code, lot.expiry_date) == ("B01", expiry)
    assert first.lines.get().lot == second.lines.get().lot == lot
    issue = create(shop, "stock_out", [LineInput(shop.milk, shop.bottle, "6", lot_code="B01")])
    post(issue)
    assert on_hand(shop.milk, shop.main, lot=lot) == D("1")


def test_lot_rules(shop):
    refused(
        lambda: create(shop, "stock_in", [LineInput(shop.milk, shop.bottle, "1", "1")]),
        "lot_required",
        "lines.0.lot_code",
    )
    refused(
        lambda: create(shop, "stock_out", [LineInput(shop.milk, shop.bottle, "1", lot_code="NOPE")]),
        "unknown_lot",
        "lines.0.lot_code",
    )
    receive(shop, "1", "1", item=shop.milk, lot_code="B02", expiry_date=TODAY)
    refused(
        lambda: create(
            shop, "stock_in", [LineInput(shop.milk, shop.bottle, "1", "1", lot_code="B02", expiry_date=EARLIER)]
        ),
        "lot_expiry_mismatch",
        "lines.0.expiry_date",
    )


# --- Reversal -----------------------------------------------------------------------------------------


def test_a_reversal_mirrors_the_document_and_restores_the_balances(shop):
    receive(shop, "10", "5.00", location=shop.a)
    transfer = create(
        shop, "transfer", [LineInput(shop.cola, shop.bottle, "4", None, shop.a, shop.c)], target_warehouse=shop.second
    )
    post(transfer)
    outcome = services.stock_document_reverse(document=transfer, tz_name=TZ)
    reversal = outcome.document
    assert reversal.number == f"DB{TODAY.year}00002"
    assert (reversal.kind, reversal.status, reversal.reverses, reversal.date) == (
        "transfer",
        DocumentStatus.POSTED,
        transfer,
        TODAY,
    )
    transfer.refresh_from_db()
    assert transfer.status == DocumentStatus.POSTED and transfer.reversal == reversal
    assert [(x.item, x.quantity, x.location, x.target_location) for x in reversal.lines.all()] == [
        (shop.cola, D("4"), shop.a, shop.c)
    ]
    assert (on_hand(shop.cola, shop.main, shop.a), on_hand(shop.cola, shop.second, shop.c)) == (D("10"), D("0"))


def test_reversal_refusals(shop):
    receipt = receive(shop, "10", "5.00")
    issue = create(shop, "stock_out", [LineInput(shop.cola, shop.bottle, "8")])
    post(issue)
    # Taking the receipt back would leave -8 on hand.
    refused(
        lambda: services.stock_document_reverse(document=receipt, tz_name=TZ), "insufficient_stock", "lines.0.quantity"
    )
    refused(
        lambda: services.stock_document_reverse(document=issue, tz_name=TZ, on=EARLIER - timedelta(days=1)),
        "reversal_before_original",
        "date",
    )
    reversal = services.stock_document_reverse(document=issue, tz_name=TZ).document
    refused(lambda: services.stock_document_reverse(document=issue, tz_name=TZ), "already_reversed", "status")
    refused(lambda: services.stock_document_reverse(document=reversal, tz_name=TZ), "reversal_of_reversal", "status")
    draft = create(shop, "stock_out", [LineInput(shop.cola, shop.bottle, "1")])
    refused(lambda: services.stock_document_reverse(document=draft, tz_name=TZ), "wrong_status", "status")
    assert StockDocument.objects.filter(reverses__isnull=False).count() == 1
