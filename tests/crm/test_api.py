"""/api/v1/customers/: balances, overview, statement, follow-ups CRUD and the due list; isolation between
shops, idempotent POSTs, roles, bad input naming the field and changing nothing."""

import json

import pytest
from django.test import Client

from modules.crm.models import FollowUp
from modules.identity.roles import Role
from modules.partners import services as partners
from tests.conftest import host_for
from tests.crm.conftest import auth, day, entry, follow_up_state, in_tenant, login, make_key, make_user

pytestmark = pytest.mark.usefixtures("roles_synced")

URL = "/api/v1/customers/"


def post(client, url, body=None, **headers):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **headers)


def patch(client, url, body, **headers):
    return client.patch(url, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def writer_a(tenant_a):
    return auth(make_key(tenant_a, scopes=("read", "write"))[1])


@pytest.fixture
def reader_a(tenant_a):
    return auth(make_key(tenant_a, scopes=("read",))[1])


@pytest.fixture
def writer_b(tenant_b):
    return auth(make_key(tenant_b, scopes=("read", "write"))[1])


@pytest.fixture
def ledger(tenant_a, world_a):
    def write():
        entry(world_a.k2, 40, "300.00", "FP1")
        entry(world_a.k2, 20, "-100.00", "SK1", source_type="sales_receipt")
        entry(world_a.k2, 3, "50.00", "FP2")

    in_tenant(tenant_a, write)
    return world_a


def follow_ups_url(customer) -> str:
    return f"{URL}{customer.pk}/follow-ups"


def created(client, customer, headers, **body) -> dict:
    values = {"kind": "call", "text": "电话回访", "next_date": day(0).isoformat(), **body}
    response = post(client, follow_ups_url(customer), values, **headers)
    assert response.status_code == 201, response.content
    return response.json()


def test_balances_overview_and_statement(client_a, ledger, reader_a):
    rows = client_a.get(URL, {"sort": "-balance"}, **reader_a).json()["results"]
    assert [(r["code"], r["balance"], r["overdue"]) for r in rows] == [
        ("K2", "250.00", "200.00"),
        ("K1", "0.00", "0.00"),
    ]
    overview = client_a.get(f"{URL}{ledger.k2.pk}", **reader_a).json()
    assert (overview["balance"], overview["overdue"], overview["credit_left"]) == ("250.00", "200.00", None)
    assert [line["number"] for line in overview["recent_entries"]] == ["FP2", "SK1", "FP1"]
    statement = client_a.get(
        f"{URL}{ledger.k2.pk}/statement", {"date_from": day(30).isoformat(), "date_to": day(0).isoformat()}, **reader_a
    ).json()
    assert (statement["opening"], statement["closing"]) == ("300.00", "250.00")
    lines = [
        (line["number"], line["kind"], line["debit"], line["credit"], line["balance"]) for line in statement["lines"]
    ]
    assert lines == [
        ("SK1", "sales_receipt", "0.00", "100.00", "200.00"),
        ("FP2", "sales_invoice", "50.00", "0.00", "250.00"),
    ]  # fmt: skip
    assert (statement["total_debit"], statement["total_credit"]) == ("50.00", "100.00")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-02-01", "date_to": "2026-01-31"}, "date_to"),
        ({"date_to": "2026-01-31"}, "date_from"),
        ({"date_from": "2026-01-01"}, "date_to"),
        ({"date_from": "2026-13-01", "date_to": "2026-01-31"}, "date_from"),
        ({"date_from": "2026-01-01", "date_to": "yesterday"}, "date_to"),
    ],
)
def test_a_bad_period_is_a_400_naming_the_field(client_a, ledger, reader_a, params, field):
    response = client_a.get(f"{URL}{ledger.k2.pk}/statement", params, **reader_a)
    assert (response.status_code, response.json()["field"]) == (400, field), response.content


def test_bad_list_parameters(client_a, world_a, reader_a):
    for params, field in (({"sort": "-secret"}, "sort"), ({"active": "maybe"}, "active")):
        response = client_a.get(URL, params, **reader_a)
        assert (response.status_code, response.json()["field"]) == (400, field)
    assert client_a.get(f"{URL}follow-ups/due", {"who": "boss"}, **reader_a).json()["field"] == "who"


def test_follow_up_crud(client_a, tenant_a, world_a, writer_a):
    follow_up = created(client_a, world_a.k1, writer_a, kind="wechat")
    assert (follow_up["kind"], follow_up["kind_label"], follow_up["author"], follow_up["done"]) == (
        "wechat", "微信", None, False,
    )  # fmt: skip
    url = f"{follow_ups_url(world_a.k1)}/{follow_up['id']}"
    assert client_a.get(url, **writer_a).json()["text"] == "电话回访"
    assert [row["id"] for row in client_a.get(follow_ups_url(world_a.k1), **writer_a).json()["results"]] == [
        follow_up["id"]
    ]
    due = client_a.get(f"{URL}follow-ups/due", **writer_a).json()["results"]
    assert [row["id"] for row in due] == [follow_up["id"]]
    changed = patch(client_a, url, {"text": "改为拜访", "kind": "visit", "done": True}, **writer_a)
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["text"], body["kind"], body["done"]) == ("改为拜访", "visit", True) and body["done_at"]
    assert client_a.get(f"{URL}follow-ups/due", **writer_a).json()["results"] == []
    assert patch(client_a, url, {"done": False}, **writer_a).json()["done_at"] is None
    assert client_a.delete(url, **writer_a).status_code == 204
    assert client_a.get(url, **writer_a).status_code == 404
    assert in_tenant(tenant_a, FollowUp.objects.count) == 0


def test_bad_follow_up_input_names_the_field_and_writes_nothing(client_a, tenant_a, world_a, writer_a):
    existing = created(client_a, world_a.k1, writer_a)
    before = in_tenant(tenant_a, follow_up_state)
    cases = [
        ({"kind": "fax", "text": "x"}, "kind"),
        ({"kind": "call", "text": "  "}, "text"),
        ({"kind": "call", "text": "x", "next_date": day(1).isoformat()}, "next_date"),
        ({"kind": "call", "text": "x", "next_date": "tomorrow"}, "next_date"),
        ({"text": "x"}, "kind"),
    ]
    for body, field in cases:
        response = post(client_a, follow_ups_url(world_a.k1), body, **writer_a)
        assert (response.status_code, response.json()["field"]) == (400, field), response.content
    supplier = post(client_a, follow_ups_url(world_a.supplier), {"kind": "call", "text": "x"}, **writer_a)
    assert (supplier.status_code, supplier.json()["field"]) == (404, "customer_id")
    url = f"{follow_ups_url(world_a.k1)}/{existing['id']}"
    assert patch(client_a, url, {"next_date": day(2).isoformat()}, **writer_a).json()["field"] == "next_date"
    assert patch(client_a, url, {}, **writer_a).status_code == 400
    # The follow-up of K1 is not K2's.
    assert client_a.get(f"{follow_ups_url(world_a.k2)}/{existing['id']}", **writer_a).status_code == 404
    assert (
        patch(client_a, f"{follow_ups_url(world_a.k2)}/{existing['id']}", {"text": "y"}, **writer_a).status_code == 404
    )
    assert in_tenant(tenant_a, follow_up_state) == before


def test_a_retried_post_never_makes_a_second_follow_up(client_a, tenant_a, world_a, writer_a):
    body = {"kind": "call", "text": "确认到货"}
    first = post(client_a, follow_ups_url(world_a.k1), body, HTTP_IDEMPOTENCY_KEY="fu-1", **writer_a)
    again = post(client_a, follow_ups_url(world_a.k1), body, HTTP_IDEMPOTENCY_KEY="fu-1", **writer_a)
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert again.json()["id"] == first.json()["id"]
    other = post(client_a, follow_ups_url(world_a.k1), {**body, "text": "另一件事"}, HTTP_IDEMPOTENCY_KEY="fu-1",
                 **writer_a)  # fmt: skip
    assert other.status_code == 409
    assert in_tenant(tenant_a, FollowUp.objects.count) == 1


def test_another_shop_cannot_reach_customers_statements_or_follow_ups(client_a, client_b, ledger, writer_a, writer_b):
    follow_up = created(client_a, ledger.k2, writer_a, text="alpha 的秘密")
    k2 = ledger.k2.pk
    for url in (f"{URL}{k2}", f"{URL}{k2}/follow-ups", f"{URL}{k2}/follow-ups/{follow_up['id']}"):
        assert client_b.get(url, **writer_b).status_code == 404, url
    statement = client_b.get(f"{URL}{k2}/statement", {"date_from": day(30).isoformat(), "date_to": day(0).isoformat()},
                             **writer_b)  # fmt: skip
    assert statement.status_code == 404
    assert post(client_b, f"{URL}{k2}/follow-ups", {"kind": "call", "text": "x"}, **writer_b).status_code == 404
    detail = f"{URL}{k2}/follow-ups/{follow_up['id']}"
    assert patch(client_b, detail, {"done": True}, **writer_b).status_code == 404
    assert client_b.delete(detail, **writer_b).status_code == 404
    assert client_b.get(URL, **writer_b).json()["results"] == []
    assert client_b.get(f"{URL}follow-ups/due", {"who": "all"}, **writer_b).json()["results"] == []
    assert client_a.get(detail, **writer_a).json()["done"] is False


def test_scopes_and_roles(client_a, tenant_a, world_a, reader_a):
    assert post(client_a, follow_ups_url(world_a.k1), {"kind": "call", "text": "x"}, **reader_a).status_code == 403
    clerk = login(client_a, tenant_a, make_user(tenant_a, "clerk@alpha.test", Role.WAREHOUSE))
    assert clerk.get(f"{URL}{world_a.k1.pk}").status_code == 200
    refused = post(clerk, follow_ups_url(world_a.k1), {"kind": "call", "text": "x"})
    assert refused.status_code == 403 and in_tenant(tenant_a, FollowUp.objects.count) == 0


def test_due_list_is_the_callers_own_unless_all(tenant_a, world_a):
    seller = login(Client(HTTP_HOST=host_for(tenant_a)), tenant_a, make_user(tenant_a, "s@alpha.test", Role.SALES))
    other = login(Client(HTTP_HOST=host_for(tenant_a)), tenant_a, make_user(tenant_a, "o@alpha.test", Role.SALES))
    mine = created(seller, world_a.k1, {})
    theirs = created(other, world_a.k2, {})
    assert mine["author"] == "s@alpha.test"
    assert [row["id"] for row in seller.get(f"{URL}follow-ups/due").json()["results"]] == [mine["id"]]
    everyone = seller.get(f"{URL}follow-ups/due", {"who": "all"}).json()["results"]
    assert [row["id"] for row in everyone] == [mine["id"], theirs["id"]]


def test_list_queries_do_not_grow_with_customers(client_a, tenant_a, world_a, reader_a, django_assert_max_num_queries):
    def more():
        for index in range(10):
            customer = partners.partner_create(code=f"C{index}", name=f"客户{index}", is_customer=True)
            entry(customer, 0, "10.00", f"FP{index}")

    client_a.get(URL, **reader_a)  # warm the key's caches
    with django_assert_max_num_queries(12) as few:
        client_a.get(URL, **reader_a)
    in_tenant(tenant_a, more)
    with django_assert_max_num_queries(len(few)):
        rows = client_a.get(URL, **reader_a).json()["results"]
    assert len(rows) == 12
