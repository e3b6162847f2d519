"""The demo shop's stock: two warehouses with locations and months of posted documents whose ledger adds up."""

from datetime import date, timedelta

from django.db.models import Sum
from django_tenants.utils import schema_context

from modules.inventory.models import ItemValuation, Location, StockBalance, StockMove, Warehouse
from modules.reorder.models import LowStockSnapshot, ReorderRule
from modules.stockops.models import StockDocument
from onboarding.demo import demo_tenant_ensure
from onboarding.demo_stock import demo_stock_seed


def test_demo_shop_has_two_warehouses_and_months_of_consistent_movements(db):
    tenant = demo_tenant_ensure()
    with schema_context(tenant.schema_name):
        assert set(Warehouse.objects.values_list("name", flat=True)) == {"门店", "浦东仓库"}
        assert Location.objects.count() >= 10
        posted = StockDocument.objects.filter(status="posted")
        assert posted.count() >= 100
        assert set(posted.values_list("kind", flat=True)) == {"stock_in", "stock_out", "transfer", "adjustment"}
        first = posted.order_by("date").first().date
        assert first <= date.today() - timedelta(days=90)
        # The ledger adds up: balances are the sums of moves, pools the sums of values, nothing negative.
        sums = dict(StockMove.objects.values_list("item_id").annotate(v=Sum("value")).values_list("item_id", "v"))
        for pool in ItemValuation.objects.all():
            assert sums[pool.item_id] == pool.value
        assert not StockBalance.objects.filter(on_hand__lt=0).exists()
        assert StockBalance.objects.filter(on_hand__gt=0).values("warehouse").distinct().count() == 2
        assert ReorderRule.objects.count() >= 20
        assert LowStockSnapshot.objects.get().alerts.exists()  # some shelves run low
        assert demo_stock_seed().documents == 0  # a second run adds nothing
