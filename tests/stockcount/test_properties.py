"""Property: whatever was on hand, moved meanwhile and counted, posting a count moves each key by exactly
counted − frozen expected (keeping the moves made since freezing), or refuses and changes nothing;
its reversal puts every key back."""

from decimal import Decimal as D

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.inventory import services as inventory
from modules.inventory.models import StockBalance
from modules.inventory.services import MoveLine, stock_moves_post
from modules.stockcount import services
from modules.stockcount.models import CountScope, CountStatus
from modules.stockcount.services import CountedEntry
from tests.stockcount.conftest import AT, TZ

KEYS = 4  # two items, each with and without a location
quantity = st.integers(min_value=0, max_value=20)


def on_hand(keys) -> list[D]:
    rows = {(b.item_id, b.location_id): b.on_hand for b in StockBalance.objects.all()}
    return [rows.get((item.pk, location.pk if location else None), D(0)) for item, location in keys]


def move(keys, quantities, warehouse, *, source_id: int, at) -> None:
    lines = [MoveLine(item, warehouse, D(q), D("2.00") if q > 0 else None, location)
             for (item, location), q in zip(keys, quantities, strict=True) if q]  # fmt: skip
    if lines:
        stock_moves_post(lines=lines, posted_at=at, source_type="test", source_id=source_id)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    opening=st.lists(quantity, min_size=KEYS, max_size=KEYS),
    meanwhile=st.lists(st.integers(min_value=-8, max_value=5), min_size=KEYS, max_size=KEYS),
    counted=st.lists(st.one_of(st.none(), quantity), min_size=KEYS, max_size=KEYS),
    policy=st.sampled_from(["zero", "ignore"]),
)
def test_posting_moves_each_key_by_counted_minus_frozen_expected(in_tenant_a, opening, meanwhile, counted, policy):
    with transaction.atomic():
        unit = catalog.unit_create(name="个")
        wh = inventory.warehouse_default_ensure()
        shelf = inventory.location_create(warehouse=wh, code="S")
        items = [catalog.item_create(code=f"P{n}", name="品", base_unit=unit, max_items=None) for n in range(2)]
        keys = [(items[0], None), (items[0], shelf), (items[1], None), (items[1], shelf)]
        move(keys, opening, wh, source_id=1, at=AT)
        count = services.stock_count_freeze(
            count=services.stock_count_create(warehouse=wh, scope=CountScope.WAREHOUSE, tz_name=TZ)
        )
        lines = {(line.item_id, line.location_id): line for line in count.lines.all()}
        assert sorted(line.expected for line in lines.values()) == sorted(D(q) for q in opening if q)
        # Moves after freezing: never more out than is there.
        frozen = on_hand(keys)
        sold = [max(delta, -int(q)) for delta, q in zip(meanwhile, frozen, strict=True)]
        move(keys, sold, wh, source_id=2, at=timezone.now())
        entries = []
        for (item, location), value in zip(keys, counted, strict=True):
            line = lines.get((item.pk, location.pk if location else None))
            if line is not None and value is not None:
                entries.append(CountedEntry(line.pk, value))
        if entries:
            services.stock_count_counted_set(count=count, entries=entries)
        before = on_hand(keys)
        wanted = []
        for (item, location), value, now in zip(keys, counted, before, strict=True):
            line = lines.get((item.pk, location.pk if location else None))
            if line is None or (value is None and policy == "ignore"):
                wanted.append(now)
            else:
                wanted.append(now + D(value or 0) - line.expected)

        try:
            services.stock_count_post(count=count, tz_name=TZ, uncounted=policy)
        except AppError as error:
            assert error.code == "insufficient_stock" and any(w < 0 for w in wanted)
            count.refresh_from_db()
            assert count.status == CountStatus.COUNTING and on_hand(keys) == before
        else:
            assert on_hand(keys) == wanted
            if wanted != before:
                services.stock_count_reverse(count=count, tz_name=TZ)
                assert on_hand(keys) == before
        transaction.set_rollback(True)
