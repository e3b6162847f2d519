"""/api/v1/purchasing/ receipts, bills, payments and returns: procure-to-pay through the API, reversal,
Idempotency-Key replays, isolation between shops, bad input naming the field and changing nothing."""

import json
from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.purchasing import services
from modules.purchasing.models import PurchaseBill, PurchasePayment, PurchaseReturn
from modules.purchasing.services import AllocationInput
from tests.purchasing.conftest import (
    TZ,
    auth,
    login,
    make_key,
    make_user,
    on_hand,
    payable,
    purchasing_state,
    received,
    shop_create,
)

pytestmark = pytest.mark.usefixtures("roles_synced")

API = "/api/v1/purchasing"


def post(client, url, body=None, **headers):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **headers)


def in_tenant(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


@pytest.fixture
def shop_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        return shop_create()


@pytest.fixture
def writer_a(tenant_a):
    return auth(make_key(tenant_a, scopes=("read", "write"))[1])


@pytest.fixture
def writer_b(tenant_b):
    return auth(make_key(tenant_b, scopes=("read", "write"))[1])


@pytest.fixture
def receipt_a(tenant_a, shop_a):
    """2 箱 cola and 10 milk received (152.50 with VAT)."""
    return in_tenant(tenant_a, lambda: received(shop_a))


def receipt_lines(tenant, receipt) -> list[int]:
    return in_tenant(tenant, lambda: list(receipt.lines.order_by("id").values_list("pk", flat=True)))


def bill_body(tenant, receipt, **overrides):
    cola, milk = receipt_lines(tenant, receipt)
    return {
        "order": receipt.order_id,
        "invoice_number": "No.8",
        "lines": [
            {"receipt_line": cola, "quantity": "2"},
            {"receipt_line": milk, "quantity": "10", "unit_price": "6.00"},
        ],
        **overrides,
    }


def test_procure_to_pay_and_back(client_a, tenant_a, shop_a, writer_a, receipt_a):
    response = post(client_a, f"{API}/bills", bill_body(tenant_a, receipt_a), **writer_a)
    assert response.status_code == 201, response.content
    bill = response.json()
    assert bill["number"].startswith("CGFP") and bill["total_gross"] == "156.00" and bill["has_differences"]
    assert [line["price_difference"] for line in bill["lines"]] == ["0.000000", "0.350000"]
    order = client_a.get(f"{API}/orders/{receipt_a.order_id}", **writer_a).json()
    assert (order["glance"]["billed_amount"], order["glance"]["stage"]) == ("156.00", "billed")
    open_bills = client_a.get(f"{API}/bills", {"supplier": shop_a.supplier.pk, "open": "true"}, **writer_a).json()
    assert [row["id"] for row in open_bills["results"]] == [bill["id"]]
    payment = post(
        client_a, f"{API}/payments",
        {"supplier": shop_a.supplier.pk, "method": "alipay", "allocations": [{"bill": bill["id"], "amount": "100"}]},
        **writer_a,
    )  # fmt: skip
    assert payment.status_code == 201, payment.content
    assert payment.json()["number"].startswith("FK") and payment.json()["allocations"][0]["amount"] == "100.00"
    assert client_a.get(f"{API}/bills/{bill['id']}", **writer_a).json()["open_amount"] == "56.00"
    cola = receipt_lines(tenant_a, receipt_a)[0]
    ret = post(
        client_a, f"{API}/returns", {"receipt": receipt_a.pk, "lines": [{"receipt_line": cola, "quantity": "1"}]},
        **writer_a,
    )  # fmt: skip
    assert ret.status_code == 201, ret.content
    assert ret.json()["number"].startswith("CGTH") and ret.json()["total_gross"] == "48.00"
    assert in_tenant(tenant_a, lambda: payable(shop_a)) == D("8.00")
    # Back again: the return, the payment, the bill, the receipt.
    for kind, doc in [("returns", ret.json()), ("payments", payment.json()), ("bills", bill)]:
        reversal = post(client_a, f"{API}/{kind}/{doc['id']}/reverse", **writer_a)
        assert reversal.status_code == 201 and reversal.json()["reverses"] == doc["id"], reversal.content
    assert post(client_a, f"{API}/bills/{bill['id']}/reverse", **writer_a).status_code == 409
    reversal = post(client_a, f"{API}/receipts/{receipt_a.pk}/reverse", **writer_a)
    assert reversal.status_code == 201 and reversal.json()["lines"][0]["quantity"] == "-2.000000"
    assert client_a.get(f"{API}/receipts/{receipt_a.pk}", **writer_a).json()["reversed_by"] == reversal.json()["id"]
    assert in_tenant(tenant_a, lambda: (payable(shop_a), on_hand(shop_a.cola, shop_a.main))) == (0, 0)


def test_a_free_standing_return(client_a, tenant_a, shop_a, writer_a, receipt_a):
    body = {
        "supplier": shop_a.supplier.pk, "warehouse": shop_a.main.pk,
        "lines": [{"item": shop_a.cola.pk, "quantity": "6", "unit_price": "2"}],
    }  # fmt: skip
    response = post(client_a, f"{API}/returns", body, **writer_a)
    assert response.status_code == 201, response.content
    assert response.json()["order"] is None and response.json()["total_gross"] == "12.00"
    assert in_tenant(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main)) == D(42)


def test_retried_posts_never_make_a_second_document(client_a, tenant_a, shop_a, writer_a, receipt_a):
    body = bill_body(tenant_a, receipt_a)
    first = post(client_a, f"{API}/bills", body, HTTP_IDEMPOTENCY_KEY="bill-1", **writer_a)
    again = post(client_a, f"{API}/bills", body, HTTP_IDEMPOTENCY_KEY="bill-1", **writer_a)
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert again.json()["number"] == first.json()["number"]
    pay = {
        "supplier": shop_a.supplier.pk,
        "method": "cash",
        "allocations": [{"bill": first.json()["id"], "amount": "1"}],
    }
    for _ in range(2):
        assert post(client_a, f"{API}/payments", pay, HTTP_IDEMPOTENCY_KEY="pay-1", **writer_a).status_code == 201
    cola = receipt_lines(tenant_a, receipt_a)[0]
    ret = {"receipt": receipt_a.pk, "lines": [{"receipt_line": cola, "quantity": "1"}]}
    for _ in range(2):
        assert post(client_a, f"{API}/returns", ret, HTTP_IDEMPOTENCY_KEY="ret-1", **writer_a).status_code == 201
    payment_id = in_tenant(tenant_a, lambda: PurchasePayment.objects.get().pk)
    for _ in range(2):
        response = post(client_a, f"{API}/payments/{payment_id}/reverse", HTTP_IDEMPOTENCY_KEY="rev-1", **writer_a)
        assert response.status_code == 201
    counts = in_tenant(
        tenant_a,
        lambda: (PurchaseBill.objects.count(), PurchasePayment.objects.count(), PurchaseReturn.objects.count()),
    )
    assert counts == (1, 2, 1)


def test_bad_input_names_the_field_and_changes_nothing(client_a, tenant_a, shop_a, writer_a, receipt_a):
    cola, milk = receipt_lines(tenant_a, receipt_a)
    bill = post(
        client_a,
        f"{API}/bills",
        bill_body(tenant_a, receipt_a, lines=[{"receipt_line": cola, "quantity": "1"}]),
        **writer_a,
    ).json()
    before = in_tenant(tenant_a, purchasing_state)
    supplier = shop_a.supplier.pk

    def pay(amount="1", method="cash"):
        allocations = [{"bill": bill["id"], "amount": amount}] if amount else []
        return {"supplier": supplier, "method": method, "allocations": allocations}

    def bill_lines(*lines):
        return bill_body(tenant_a, receipt_a, lines=list(lines))

    def from_receipt(*lines):
        return {"receipt": receipt_a.pk, "lines": list(lines)}

    milk_free = {"item": shop_a.milk.pk, "quantity": "1", "unit_price": "1"}
    cases = [
        ("bills", bill_body(tenant_a, receipt_a, order=999999), 400, "order"),
        ("bills", bill_lines(), 400, "lines"),
        ("bills", bill_lines({"receipt_line": cola, "quantity": "2"}), 409, "lines.0.quantity"),
        ("bills", bill_lines({"receipt_line": milk, "quantity": "1", "vat_rate": "0.5"}), 400, "lines.0.vat_rate"),
        ("bills", bill_body(tenant_a, receipt_a, date="2999-01-01"), 400, "date"),
        ("payments", pay(method="iou"), 400, "method"),
        ("payments", pay("99"), 409, "allocations.0.amount"),
        ("payments", pay("-1"), 400, "allocations.0.amount"),
        ("payments", pay(""), 400, "allocations"),
        ("returns", {"lines": [{"receipt_line": cola, "quantity": "1"}]}, 400, "receipt"),
        ("returns", from_receipt({"receipt_line": cola, "quantity": "3"}), 409, "lines.0.quantity"),
        ("returns", from_receipt({"quantity": "1"}), 400, "lines.0.receipt_line"),
        ("returns", {"supplier": supplier, "warehouse": shop_a.main.pk, "lines": [milk_free]}, 400, "lines.0.lot_code"),
    ]
    for kind, payload, code, field in cases:
        response = post(client_a, f"{API}/{kind}", payload, **writer_a)
        assert (response.status_code, response.json().get("field")) == (code, field), (kind, response.content)
    assert in_tenant(tenant_a, purchasing_state) == before


def test_another_shop_cannot_see_or_act_on_the_documents(
    client_a, client_b, tenant_a, shop_a, writer_a, writer_b, receipt_a
):
    bill = post(client_a, f"{API}/bills", bill_body(tenant_a, receipt_a), **writer_a).json()
    payment = post(
        client_a, f"{API}/payments",
        {"supplier": shop_a.supplier.pk, "method": "cash", "allocations": [{"bill": bill["id"], "amount": "1"}]},
        **writer_a,
    ).json()  # fmt: skip
    cola = receipt_lines(tenant_a, receipt_a)[0]
    ret = post(
        client_a,
        f"{API}/returns",
        {"receipt": receipt_a.pk, "lines": [{"receipt_line": cola, "quantity": "1"}]},
        **writer_a,
    ).json()
    before = in_tenant(tenant_a, purchasing_state)
    for kind, doc_id in [
        ("receipts", receipt_a.pk),
        ("bills", bill["id"]),
        ("payments", payment["id"]),
        ("returns", ret["id"]),
    ]:
        assert client_b.get(f"{API}/{kind}", **writer_b).json()["results"] == []
        assert client_b.get(f"{API}/{kind}/{doc_id}", **writer_b).status_code == 404
        assert post(client_b, f"{API}/{kind}/{doc_id}/reverse", **writer_b).status_code == 404
    # Creating against alpha's order, bill or receipt from beta finds nothing to work on.
    assert post(client_b, f"{API}/bills", bill_body(tenant_a, receipt_a), **writer_b).json()["field"] == "order"
    assert (
        post(
            client_b,
            f"{API}/returns",
            {"receipt": receipt_a.pk, "lines": [{"receipt_line": cola, "quantity": "1"}]},
            **writer_b,
        ).json()["field"]
        == "receipt"
    )
    assert in_tenant(tenant_a, purchasing_state) == before


def test_roles(client_a, tenant_a, shop_a, receipt_a):
    body = bill_body(tenant_a, receipt_a)
    clerk = login(client_a, tenant_a, make_user(tenant_a, "clerk@alpha.test", Role.WAREHOUSE))
    assert client_a.get(f"{API}/bills").status_code == 200
    assert post(clerk, f"{API}/bills", body).status_code == 403
    assert post(clerk, f"{API}/receipts/{receipt_a.pk}/reverse").status_code == 403
    buyer = login(client_a, tenant_a, make_user(tenant_a, "buyer@alpha.test", Role.PURCHASING))
    assert post(buyer, f"{API}/bills", body).status_code == 201
    reader = auth(make_key(tenant_a, scopes=("read",))[1])
    assert post(client_a, f"{API}/payments", {}, **reader).status_code == 403


def test_the_schema_lists_the_operations(client_a):
    schema = client_a.get("/api/schema/?format=json").json()
    operations = {
        op["operationId"] for path, ops in schema["paths"].items() if "/purchasing/" in path for op in ops.values()
    }
    for kind in ("bills", "payments", "returns"):
        assert {f"purchase_{kind}_{verb}" for verb in ("list", "retrieve", "create", "reverse")} <= operations
    assert {"purchase_receipts_list", "purchase_receipts_retrieve", "purchase_receipts_reverse"} <= operations
    assert "purchase_receipts_create" not in operations


def test_lists_take_the_same_queries_for_one_document_or_many(client_a, tenant_a, shop_a, writer_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.purchasing.conftest import billed

    def counted(url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_a.get(url, **writer_a).status_code == 200
        return len(queries)

    def settle():
        bill = billed(shop_a)
        services.purchase_payment_create(
            supplier=shop_a.supplier, method="cash", tz_name=TZ, allocations=[AllocationInput(bill.pk, "1")]
        )

    in_tenant(tenant_a, settle)
    urls = [f"{API}/orders", f"{API}/bills", f"{API}/payments", f"{API}/receipts"]
    counted(urls[0])  # the key's first use of the run writes its last-used time
    one = [counted(url) for url in urls]
    for _ in range(3):
        in_tenant(tenant_a, settle)
    assert [counted(url) for url in urls] == one
