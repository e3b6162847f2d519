"""The demo shop's purchases: months of orders at every stage, seeded fast, whose counters, payable and
status at a glance agree with the documents underneath."""

from django.db.models import Sum
from django_tenants.utils import schema_context

from modules.partnerledger.selectors import partner_balances
from modules.purchasing import selectors
from modules.purchasing.models import PurchaseBill, PurchaseOrder, PurchasePayment, PurchaseReturn
from onboarding.demo import demo_tenant_ensure
from onboarding.demo_purchasing import demo_purchasing_seed
from onboarding.demo_stock import demo_stock_seed


def _sum(queryset, field: str):
    return queryset.aggregate(total=Sum(field))["total"] or 0


def test_demo_purchases_are_seeded_and_add_up(db):
    tenant = demo_tenant_ensure(with_stock=False)
    with schema_context(tenant.schema_name):
        demo_stock_seed(tz=tenant.timezone)
        result = demo_purchasing_seed(tz=tenant.timezone)
        assert (result.orders, result.bills, result.returns) == (8, 8, 1) and result.payments >= 2
        orders = list(PurchaseOrder.objects.prefetch_related("lines"))
        stages = {selectors.order_glance(order).stage for order in orders}
        assert stages == {"ordered", "received", "billed", "paid"}
        assert {order.status for order in orders} == {"confirmed", "partial", "received"}
        assert PurchaseBill.objects.filter(has_differences=True).exists()
        assert PurchaseBill.objects.filter(reverses__isnull=False).count() == 1
        assert PurchasePayment.objects.filter(allocations__isnull=False).values("pk").distinct().count() >= 2
        for order in orders:
            glance = selectors.order_glance(order)
            assert glance.billed_amount == _sum(PurchaseBill.objects.filter(order=order), "total_gross")
            assert glance.paid_amount == _sum(order.bills.all(), "allocations__amount")
        payable = sum(partner_balances(kind="payable").values())
        assert payable == (
            _sum(PurchaseBill.objects.all(), "total_gross")
            - _sum(PurchasePayment.objects.all(), "amount")
            - _sum(PurchaseReturn.objects.all(), "total_gross")
        )
        assert demo_purchasing_seed(tz=tenant.timezone).orders == 0  # a second run adds nothing
