from datetime import date, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.inventory import selectors as inventory_selectors
from modules.inventory.models import StockBalance, StockMove
from modules.inventory.services import MoveLine, stock_moves_post
from modules.stockcount import selectors, services
from modules.stockcount.models import CountScope, CountStatus, StockCount, StockCountLine
from modules.stockcount.services import CountedEntry
from tests.stockcount.conftest import CHIPS_BARCODE, COLA_BARCODE, COLA_CASE_BARCODE, TZ


def today() -> date:
    return services.tenant_today(TZ)


def create(shop, scope=CountScope.WAREHOUSE, **kwargs) -> StockCount:
    return services.stock_count_create(warehouse=shop.wh, scope=scope, tz_name=TZ, **kwargs)


def started(shop, scope=CountScope.WAREHOUSE, **kwargs) -> StockCount:
    return services.stock_count_freeze(count=create(shop, scope, **kwargs))


def lines_of(count) -> list[tuple]:
    return [
        (line.item.code, line.location.code if line.location else None, line.expected, line.counted)
        for line in selectors.stock_count_lines(count=count)
    ]


def line(count, code, location_code=None) -> StockCountLine:
    qs = StockCountLine.objects.filter(count=count, item__code=code)
    return qs.get(location__code=location_code) if location_code else qs.get(location=None)


def balance(shop, item, location=None) -> D:
    return StockBalance.objects.get(item=item, warehouse=shop.wh, location=location, lot=None).on_hand


def sell(shop, item, quantity, location=None, source_id=99):
    stock_moves_post(
        lines=[MoveLine(item, shop.wh, -D(quantity), None, location)],
        posted_at=timezone.now(),
        source_type="test",
        source_id=source_id,
    )


# --- create --------------------------------------------------------------------------------------------


def test_create_numbers_counts_gap_free_per_year(shop):
    first = create(shop, note="月末盘点")
    second = create(shop, CountScope.LOCATION, location=shop.zone_a)
    year = today().year
    assert first.number.startswith(f"PD{year}") and len(first.number) == len(f"PD{year}00001")
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1
    assert (first.status, first.date, first.note, first.scope) == (CountStatus.DRAFT, today(), "月末盘点", "warehouse")
    assert StockCountLine.objects.filter(count=first).count() == 0


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"scope": "shelf"}, "invalid_scope", "scope"),
        ({"scope": CountScope.LOCATION}, "required", "location"),
        ({"scope": CountScope.CATEGORY}, "required", "category"),
        (
            {"scope": CountScope.WAREHOUSE, "include_zero_stock": True},
            "zero_stock_needs_category",
            "include_zero_stock",
        ),
        ({"scope": CountScope.WAREHOUSE, "note": "x" * 501}, "too_long", "note"),
        ({"scope": CountScope.WAREHOUSE, "on": "tomorrow"}, "future_date", "date"),
    ],
)
def test_create_refuses_bad_input_and_creates_nothing(shop, kwargs, code, field):
    if kwargs.get("on") == "tomorrow":
        kwargs["on"] = today() + timedelta(days=1)
    with pytest.raises(AppError) as error:
        services.stock_count_create(warehouse=shop.wh, tz_name=TZ, **kwargs)
    assert (error.value.code, error.value.field) == (code, field)
    assert StockCount.objects.count() == 0


def test_create_refuses_a_location_of_another_warehouse(shop):
    with pytest.raises(AppError) as error:
        services.stock_count_create(
            warehouse=shop.other_wh, scope=CountScope.LOCATION, location=shop.zone_a, tz_name=TZ
        )
    assert (error.value.code, error.value.field) == ("wrong_warehouse", "location")
    assert StockCount.objects.count() == 0


# --- freeze --------------------------------------------------------------------------------------------


def test_freeze_whole_warehouse_makes_a_line_per_item_location_lot_with_its_on_hand(shop):
    count = started(shop)
    assert count.status == CountStatus.COUNTING and count.frozen_at is not None
    # The other warehouse's cola is not in scope; lines run shelf by shelf.
    assert lines_of(count) == [
        ("TEA", None, D("10"), None),
        ("CHIPS", "A1", D("8"), None),
        ("COLA", "A1", D("30"), None),
        ("COLA", "B", D("5"), None),
    ]


def test_freeze_a_location_takes_the_locations_below_it(shop):
    count = started(shop, CountScope.LOCATION, location=shop.zone_a)
    assert lines_of(count) == [("CHIPS", "A1", D("8"), None), ("COLA", "A1", D("30"), None)]


def test_freeze_a_category_takes_its_subcategories_and_optionally_zero_stock_items(shop):
    sprite = catalog.item_create(code="SPRITE", name="雪碧", base_unit=shop.cola.base_unit, max_items=None,
                                 category=shop.cola.category)  # fmt: skip
    count = started(shop, CountScope.CATEGORY, category=shop.drinks)
    assert [row[:2] for row in lines_of(count)] == [("TEA", None), ("COLA", "A1"), ("COLA", "B")]
    with_zero = started(shop, CountScope.CATEGORY, category=shop.drinks, include_zero_stock=True)
    assert ("SPRITE", None, D("0"), None) in lines_of(with_zero)
    assert sprite.pk in {line.item_id for line in with_zero.lines.all()}


def test_freeze_twice_is_refused(shop):
    count = started(shop)
    with pytest.raises(AppError) as error:
        services.stock_count_freeze(count=count)
    assert (error.value.code, error.value.field, error.value.status_code) == ("invalid_status", "status", 409)
    assert count.lines.count() == 4


# --- counting ------------------------------------------------------------------------------------------


def test_counted_quantities_set_replace_and_convert_from_a_package_unit(shop):
    count = started(shop)
    tea, cola = line(count, "TEA"), line(count, "COLA", "A1")
    services.stock_count_counted_set(
        count=count, entries=[CountedEntry(tea.pk, "9"), CountedEntry(cola.pk, D("1"), unit=shop.case)]
    )
    services.stock_count_counted_set(count=count, entries=[CountedEntry(tea.pk, "0")])
    tea.refresh_from_db()
    cola.refresh_from_db()
    assert (tea.counted, tea.difference) == (D("0"), D("-10"))
    assert (cola.counted, cola.difference) == (D("24"), D("-6"))
    services.stock_count_counted_set(count=count, entries=[CountedEntry(tea.pk, None)])
    tea.refresh_from_db()
    assert (tea.counted, tea.counted_at) == (None, None)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("-1", "negative_quantity"),
        ("abc", "invalid_number"),
        ("1.0000001", "too_many_places"),
        ("NaN", "invalid_number"),
        ("1e30", "too_large"),
    ],
)
def test_bad_counted_quantity_names_the_entry_and_changes_nothing(shop, value, code):
    count = started(shop)
    tea, cola = line(count, "TEA"), line(count, "COLA", "A1")
    with pytest.raises(AppError) as error:
        services.stock_count_counted_set(count=count, entries=[CountedEntry(tea.pk, "9"), CountedEntry(cola.pk, value)])
    assert (error.value.code, error.value.field) == (code, "lines.1.counted")
    assert list(count.lines.values_list("counted", flat=True)) == [None] * 4


def test_counted_set_refuses_a_line_of_another_count_and_a_closed_count(shop):
    count, other = started(shop), started(shop)
    with pytest.raises(AppError) as error:
        services.stock_count_counted_set(count=count, entries=[CountedEntry(line(other, "TEA").pk, "1")])
    assert (error.value.code, error.value.field) == ("unknown_line", "lines.0.line")
    services.stock_count_cancel(count=count)
    with pytest.raises(AppError) as error:
        services.stock_count_counted_set(count=count, entries=[CountedEntry(line(count, "TEA").pk, "1")])
    assert (error.value.code, error.value.field) == ("invalid_status", "status")
    assert line(count, "TEA").counted is None and line(other, "TEA").counted is None


def test_scan_adds_one_or_the_package_factor_to_the_line_at_the_location(shop):
    count = started(shop)
    result = services.stock_count_scan(count=count, barcode=COLA_BARCODE, location=shop.shelf_a1)
    assert (result.added, result.created, result.line.counted) == (D("1"), False, D("1"))
    result = services.stock_count_scan(count=count, barcode=COLA_CASE_BARCODE, location=shop.shelf_a1)
    assert (result.added, result.line.counted) == (D("24"), D("25"))
    assert line(count, "COLA", "A1").counted == D("25") and line(count, "COLA", "B").counted is None


def test_scan_of_an_item_on_several_lines_names_them(shop):
    count = started(shop)
    with pytest.raises(AppError) as error:
        services.stock_count_scan(count=count, barcode=COLA_BARCODE)
    assert (error.value.code, error.value.field) == ("ambiguous_barcode", "barcode")
    assert "A1" in error.value.message and "B" in error.value.message
    assert set(count.lines.values_list("counted", flat=True)) == {None}


def test_scan_of_an_unexpected_item_adds_a_found_line(shop):
    count = started(shop)
    result = services.stock_count_scan(count=count, barcode=CHIPS_BARCODE, location=shop.zone_b)
    assert result.created and result.line.found
    assert (result.line.expected, result.line.counted, result.line.location) == (D("0"), D("1"), shop.zone_b)
    again = services.stock_count_scan(count=count, barcode=CHIPS_BARCODE, location=shop.zone_b)
    assert (again.created, again.line.pk, again.line.counted) == (False, result.line.pk, D("2"))


def test_scan_refusals_change_nothing(shop):
    count = started(shop, CountScope.LOCATION, location=shop.zone_a)
    cases = [
        ({"barcode": "0000"}, "unknown_barcode", "barcode"),
        ({"barcode": ""}, "required", "barcode"),
        # Cola at zone B is outside a count of zone A.
        ({"barcode": COLA_BARCODE, "location": shop.zone_b}, "location_not_in_scope", "location"),
    ]
    for kwargs, code, field in cases:
        with pytest.raises(AppError) as error:
            services.stock_count_scan(count=count, **kwargs)
        assert (error.value.code, error.value.field) == (code, field)
    drinks = started(shop, CountScope.CATEGORY, category=shop.drinks)
    with pytest.raises(AppError) as error:
        services.stock_count_scan(count=drinks, barcode=CHIPS_BARCODE, location=shop.zone_b)
    assert (error.value.code, error.value.field) == ("item_not_in_scope", "item")
    assert StockCountLine.objects.filter(counted__isnull=False).count() == 0
    assert StockCountLine.objects.filter(found=True).count() == 0


def test_scan_in_a_location_count_without_location_uses_the_counted_location(shop):
    count = started(shop, CountScope.LOCATION, location=shop.shelf_a1)
    assert services.stock_count_scan(count=count, barcode=COLA_BARCODE).line.location == shop.shelf_a1


def test_line_add_for_found_stock_and_its_refusals(shop):
    count = started(shop)
    found = services.stock_count_line_add(count=count, item=shop.tea, location=shop.zone_b, counted="2")
    assert (found.expected, found.counted, found.found) == (D("0"), D("2"), True)
    with pytest.raises(AppError) as error:
        services.stock_count_line_add(count=count, item=shop.tea, location=shop.zone_b, counted="1")
    assert (error.value.code, error.value.field) == ("duplicate_line", "item")
    with pytest.raises(AppError) as error:
        services.stock_count_line_add(count=count, item=shop.tea, location=shop.zone_b, counted="-1")
    assert (error.value.code, error.value.field) == ("negative_quantity", "counted")
    lotted = catalog.item_create(
        code="MILK", name="牛奶", base_unit=shop.cola.base_unit, max_items=None, lot_tracked=True
    )
    with pytest.raises(AppError) as error:
        services.stock_count_line_add(count=count, item=lotted, counted="1")
    assert (error.value.code, error.value.field) == ("lot_required", "lot")
    assert count.lines.count() == 5


# --- posting -------------------------------------------------------------------------------------------


def count_all(count, quantities: dict[tuple, str]):
    entries = [CountedEntry(line(count, code, loc).pk, qty) for (code, loc), qty in quantities.items()]
    services.stock_count_counted_set(count=count, entries=entries)


def test_post_refuses_uncounted_lines_naming_them(shop):
    count = started(shop)
    count_all(count, {("TEA", None): "10", ("CHIPS", "A1"): "8"})
    with pytest.raises(AppError) as error:
        services.stock_count_post(count=count, tz_name=TZ)
    assert (error.value.code, error.value.field, error.value.status_code) == ("uncounted_lines", "uncounted", 409)
    assert "COLA 可乐 @ A1" in error.value.message and "COLA 可乐 @ B" in error.value.message
    assert "TEA" not in error.value.message
    count.refresh_from_db()
    assert count.status == CountStatus.COUNTING
    assert not StockMove.objects.filter(source_type="stock_count").exists()


def test_post_adjusts_by_counted_minus_frozen_expected_and_keeps_moves_made_meanwhile(shop):
    count = started(shop)
    # Sold after freezing: the count is of what was there when frozen.
    sell(shop, shop.cola, "3", shop.shelf_a1)
    count_all(count, {("TEA", None): "12", ("CHIPS", "A1"): "8", ("COLA", "A1"): "28", ("COLA", "B"): "5"})
    posting = services.stock_count_post(count=count, tz_name=TZ)
    count.refresh_from_db()
    assert count.status == CountStatus.POSTED and count.posted_at is not None and count.uncounted_policy == ""
    moves = list(StockMove.objects.filter(source_type="stock_count", source_id=count.pk).order_by("id"))
    # Unchanged lines (chips, cola at B) post nothing; the gain comes in at the average cost.
    assert [(m.item.code, m.location_id, m.quantity, m.unit_cost) for m in moves] == [
        ("TEA", None, D("2"), D("4")),
        ("COLA", shop.shelf_a1.pk, D("-2"), D("2")),
    ]
    assert {(m.source_type, m.reference) for m in moves} == {("stock_count", count.number)}
    assert posting.count == count and posting.revalued == []
    assert balance(shop, shop.cola, shop.shelf_a1) == D("25")
    assert balance(shop, shop.tea) == D("12")
    # 10 at 4.00 and a gain of 2 at the average: 12 worth 48.00.
    assert inventory_selectors.stock_on_hand(item_id=shop.tea.pk).get().value == D("48.00")


def test_post_treating_uncounted_as_zero(shop):
    count = started(shop)
    count_all(count, {("TEA", None): "10"})
    services.stock_count_post(count=count, tz_name=TZ, uncounted="zero")
    count.refresh_from_db()
    assert count.uncounted_policy == "zero"
    assert lines_of(count)[1:] == [
        ("CHIPS", "A1", D("8"), D("0")),
        ("COLA", "A1", D("30"), D("0")),
        ("COLA", "B", D("5"), D("0")),
    ]
    assert balance(shop, shop.cola, shop.shelf_a1) == D("0") and balance(shop, shop.chips, shop.shelf_a1) == D("0")


def test_post_ignoring_uncounted_lines(shop):
    count = started(shop)
    count_all(count, {("TEA", None): "11"})
    services.stock_count_post(count=count, tz_name=TZ, uncounted="ignore")
    count.refresh_from_db()
    assert count.uncounted_policy == "ignore"
    assert [m.quantity for m in selectors.stock_count_moves(count=count)] == [D("1")]
    assert line(count, "CHIPS", "A1").counted is None
    assert balance(shop, shop.cola, shop.shelf_a1) == D("30")


def test_post_refuses_a_loss_larger_than_what_is_left_naming_the_line_and_changes_nothing(shop):
    count = started(shop)
    sell(shop, shop.cola, "29", shop.shelf_a1)
    count_all(count, {("TEA", None): "11", ("CHIPS", "A1"): "8", ("COLA", "A1"): "0", ("COLA", "B"): "5"})
    with pytest.raises(AppError) as error:
        services.stock_count_post(count=count, tz_name=TZ)
    assert (error.value.code, error.value.field) == ("insufficient_stock", "lines.2.counted")
    assert "COLA" in error.value.message
    count.refresh_from_db()
    assert count.status == CountStatus.COUNTING
    assert balance(shop, shop.tea) == D("10")
    with pytest.raises(AppError) as error:
        services.stock_count_post(count=count, tz_name=TZ, uncounted="sometimes")
    assert error.value.field == "uncounted"


def test_post_of_a_past_count_is_dated_the_end_of_that_day(shop):
    yesterday = today() - timedelta(days=1)
    count = started(shop, on=yesterday)
    count_all(count, {("TEA", None): "9", ("CHIPS", "A1"): "8", ("COLA", "A1"): "30", ("COLA", "B"): "5"})
    services.stock_count_post(count=count, tz_name=TZ)
    [move] = selectors.stock_count_moves(count=count)
    local = timezone.localtime(move.posted_at, timezone=ZoneInfo(TZ))
    assert (local.date(), local.hour, local.minute) == (yesterday, 23, 59)


def test_post_and_cancel_only_from_their_statuses(shop):
    draft = create(shop)
    with pytest.raises(AppError) as error:
        services.stock_count_post(count=draft, tz_name=TZ)
    assert error.value.code == "invalid_status"
    cancelled = services.stock_count_cancel(count=draft)
    assert cancelled.status == CountStatus.CANCELLED and cancelled.cancelled_at is not None
    with pytest.raises(AppError) as error:
        services.stock_count_cancel(count=draft)
    assert error.value.field == "status"
    posted = started(shop)
    services.stock_count_post(count=posted, tz_name=TZ, uncounted="ignore")
    with pytest.raises(AppError) as error:
        services.stock_count_cancel(count=posted)
    assert (error.value.code, error.value.status_code) == ("invalid_status", 409)


# --- reversal ------------------------------------------------------------------------------------------


def test_reverse_posts_a_numbered_reversal_that_mirrors_the_moves(shop):
    count = started(shop)
    count_all(count, {("TEA", None): "12", ("CHIPS", "A1"): "8", ("COLA", "A1"): "28", ("COLA", "B"): "5"})
    services.stock_count_post(count=count, tz_name=TZ)
    reversal = services.stock_count_reverse(count=count, tz_name=TZ).count
    assert reversal.reverses == count and reversal.status == CountStatus.POSTED
    assert int(reversal.number[-5:]) == int(count.number[-5:]) + 1
    assert selectors.reversal_of(StockCount.objects.get(pk=count.pk)) == reversal
    assert [(m.item.code, m.quantity) for m in selectors.stock_count_moves(count=reversal)] == [
        ("TEA", D("-2")),
        ("COLA", D("2")),
    ]
    assert balance(shop, shop.tea) == D("10") and balance(shop, shop.cola, shop.shelf_a1) == D("30")
    assert StockMove.objects.filter(source_id=reversal.pk, source_type="stock_count").count() == 2
    for target, code in ((count, "already_reversed"), (reversal, "reversal_of_reversal")):
        with pytest.raises(AppError) as error:
            services.stock_count_reverse(count=target, tz_name=TZ)
        assert (error.value.code, error.value.field) == (code, "status")
    assert StockCount.objects.count() == 2


def test_reverse_refusals(shop):
    counting = started(shop)
    with pytest.raises(AppError) as error:
        services.stock_count_reverse(count=counting, tz_name=TZ)
    assert error.value.code == "invalid_status"
    same = started(shop)
    count_all(same, {("TEA", None): "10", ("CHIPS", "A1"): "8", ("COLA", "A1"): "30", ("COLA", "B"): "5"})
    services.stock_count_post(count=same, tz_name=TZ)
    with pytest.raises(AppError) as error:
        services.stock_count_reverse(count=same, tz_name=TZ)
    assert error.value.code == "nothing_to_reverse"
    assert StockCount.objects.filter(reverses__isnull=False).count() == 0
    assert inventory_selectors.stock_on_hand_totals(inventory_selectors.stock_on_hand(warehouse_id=shop.wh.pk))[
        "on_hand"
    ] == D("53")
