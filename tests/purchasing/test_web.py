"""The purchasing pages: the list, a new order with a scanned line, the order with its receive form, and
who may do what."""

from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.purchasing.models import PurchaseOrder
from modules.purchasing.services import today_in
from tests.purchasing.conftest import TZ, confirmed, login, make_user, on_hand, order_create, shop_create

pytestmark = pytest.mark.usefixtures("roles_synced")


@pytest.fixture
def shop_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        return shop_create()


def in_a(tenant_a, call):
    with schema_context(tenant_a.schema_name):
        return call()


def test_list_and_new_order_in_both_languages(client_a, tenant_a, shop_a):
    buyer = login(client_a, tenant_a, make_user(tenant_a, "buyer@alpha.test", Role.PURCHASING))
    assert "采购订单" in buyer.get("/purchasing/").content.decode()
    assert "Purchase orders" in buyer.get("/purchasing/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # A scan fills the row at once.
    row = buyer.get("/purchasing/line", {"index": "0", "lines-0-search": "6901234567892"}, HTTP_HX_REQUEST="true")
    assert row["HX-Retarget"] == "#line-0" and f'value="{shop_a.cola.pk}"' in row.content.decode()
    form = {
        "supplier": shop_a.supplier.pk, "warehouse": shop_a.main.pk, "date": today_in(TZ).isoformat(),
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
        "lines-0-item": shop_a.cola.pk, "lines-0-unit": shop_a.case.pk, "lines-0-quantity": "0",
        "lines-0-unit_price": "48",
    }  # fmt: skip
    refused = buyer.post("/purchasing/new", form)
    assert refused.status_code == 400 and "大于零" in refused.content.decode()
    assert in_a(tenant_a, PurchaseOrder.objects.count) == 0
    saved = buyer.post("/purchasing/new", {**form, "lines-0-quantity": "2"})
    order = in_a(tenant_a, PurchaseOrder.objects.get)
    assert saved.status_code == 302 and saved["Location"] == f"/purchasing/{order.pk}"
    assert order.total_gross == D("96.00")
    assert buyer.post(f"/purchasing/{order.pk}/confirm").status_code == 302
    assert in_a(tenant_a, lambda: PurchaseOrder.objects.get().status) == "confirmed"


def test_warehouse_receives_on_the_order_page(client_a, tenant_a, shop_a):
    order = in_a(tenant_a, lambda: confirmed(shop_a))
    lines = {line.position: line.pk for line in in_a(tenant_a, lambda: list(order.lines.all()))}
    clerk = login(client_a, tenant_a, make_user(tenant_a, "clerk@alpha.test", Role.WAREHOUSE))
    page = clerk.get(f"/purchasing/{order.pk}").content.decode()
    assert 'id="receive-form"' in page and 'id="action-confirm"' not in page
    over = clerk.post(
        f"/purchasing/{order.pk}/receive", {"date": today_in(TZ).isoformat(), f"receive-{lines[0]}-quantity": "3"}
    )
    assert over.status_code == 400 and "可口可乐" in over.content.decode()
    done = clerk.post(
        f"/purchasing/{order.pk}/receive",
        {
            "date": today_in(TZ).isoformat(), "location": shop_a.a.pk, f"receive-{lines[0]}-quantity": "1",
            f"receive-{lines[1]}-quantity": "4", f"receive-{lines[1]}-lot_code": "L1",
        },
    )  # fmt: skip
    assert done.status_code == 302
    assert in_a(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main, shop_a.a)) == D(24)
    page = clerk.get(f"/purchasing/{order.pk}").content.decode()
    assert "部分入库" in page and "RK" in page
    assert clerk.post(f"/purchasing/{order.pk}/cancel").status_code == 403


def test_others_only_view(client_a, tenant_a, shop_a):
    order = in_a(tenant_a, lambda: order_create(shop_a))
    seller = login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    page = seller.get(f"/purchasing/{order.pk}")
    assert page.status_code == 200 and 'id="action-confirm"' not in page.content.decode()
    assert seller.get("/purchasing/new").status_code == 403
    assert seller.post(f"/purchasing/{order.pk}/confirm").status_code == 403
    assert in_a(tenant_a, lambda: PurchaseOrder.objects.get().status) == "draft"


def test_another_shop_gets_404(client_b, tenant_b, tenant_a, shop_a):
    order = in_a(tenant_a, lambda: order_create(shop_a))
    owner = login(client_b, tenant_b, make_user(tenant_b, "boss@beta.test", Role.OWNER))
    assert owner.get(f"/purchasing/{order.pk}").status_code == 404


def test_status_at_a_glance_on_the_list_and_the_order(client_a, tenant_a, shop_a):
    from modules.purchasing import services
    from tests.purchasing.conftest import billed, received

    def paid_half():
        bill = billed(shop_a, received(shop_a, milk=""))
        services.purchase_payment_create(
            supplier=shop_a.supplier, method="cash", tz_name=TZ, allocations=[services.AllocationInput(bill.pk, "48")]
        )
        return bill.order

    order = in_a(tenant_a, paid_half)
    viewer = login(client_a, tenant_a, make_user(tenant_a, "acc@alpha.test", Role.ACCOUNTANT))
    listed = viewer.get("/purchasing/").content.decode()
    assert "已收 48/58 · 已开票 96.00 · 已付 48.00" in listed
    assert 'data-stage="billed"' in listed
    page = viewer.get(f"/purchasing/{order.pk}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<td class="num" data-label="Billed" id="glance-billed">96.00</td>' in page
    assert '<td class="num" data-label="Paid" id="glance-paid">48.00</td>' in page
