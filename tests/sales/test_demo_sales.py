"""The demo shop's sales: months of orders, deliveries, invoices, receipts and returns whose status at a
glance agrees with the documents and whose receivables add up, seeded in under five seconds."""

from datetime import date, timedelta

from django.db.models import Sum
from django_tenants.utils import schema_context

from modules.inventory.models import StockBalance, StockReservation
from modules.partnerledger.selectors import partner_balance
from modules.sales import selectors
from modules.sales.models import SalesDelivery, SalesInvoice, SalesOrder, SalesReceipt, SalesReturn
from onboarding.demo import demo_tenant_ensure
from onboarding.demo_sales import demo_sales_seed
from onboarding.demo_stock import demo_stock_seed


def test_demo_shop_sales_are_months_deep_consistent(db):
    tenant = demo_tenant_ensure(with_stock=False)
    with schema_context(tenant.schema_name):
        demo_stock_seed(tz=tenant.timezone)
        result = demo_sales_seed(tz=tenant.timezone)
        orders = SalesOrder.objects.all()
        assert orders.count() == result.orders >= 25
        assert set(orders.values_list("status", flat=True)) >= {"quotation", "draft", "confirmed", "delivered"}
        assert orders.exclude(quotation_number="").exists()
        assert orders.order_by("date").first().date <= date.today() - timedelta(days=60)
        assert SalesDelivery.objects.count() == result.deliveries >= 20
        assert SalesInvoice.objects.count() == result.invoices >= 15
        assert SalesReceipt.objects.count() == result.receipts >= 10
        assert SalesReturn.objects.exists()
        for order in orders:
            assert selectors.order_figures(order) == selectors.order_figures_from_documents(order_id=order.pk)
        assert StockReservation.objects.filter(source_type="sales_order").exists()
        assert not StockBalance.objects.filter(on_hand__lt=0).exists()
        for customer_id in orders.values_list("customer_id", flat=True).distinct():
            owed = (
                (SalesInvoice.objects.filter(customer_id=customer_id).aggregate(t=Sum("total_gross"))["t"] or 0)
                - (SalesReceipt.objects.filter(customer_id=customer_id).aggregate(t=Sum("amount"))["t"] or 0)
                - (SalesReturn.objects.filter(customer_id=customer_id).aggregate(t=Sum("credit_amount"))["t"] or 0)
            )
            assert partner_balance(partner_id=customer_id, kind="receivable") == owed
        assert demo_sales_seed(tz=tenant.timezone).orders == 0  # a second run adds nothing
