"""/api/v1/finance/: accounts, entries (cursor pages), trial balance and statements need `finance:read`;
writes need `finance:write`; approval needs a signed-in second person; isolation and idempotency."""

import json
from datetime import date

import pytest
from django_tenants.utils import schema_context

from modules.finance.models import Account, JournalEntry
from modules.identity.roles import Role
from tests.finance.conftest import auth, login, make_key, make_user, post

pytestmark = pytest.mark.usefixtures("roles_synced")

BASE = "/api/v1/finance"
ENTRIES = f"{BASE}/entries"


def send(client, url, body=None, **headers):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **headers)


@pytest.fixture
def reader_a(tenant_a):
    return auth(make_key(tenant_a, scopes=("finance:read",))[1])


@pytest.fixture
def writer_a(tenant_a):
    return auth(make_key(tenant_a, scopes=("finance:read", "finance:write"))[1])


@pytest.fixture
def entries_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        made = [
            post(date(2026, 1, day), ("1001", str(day), ""), ("5001", "", str(day)), memo=f"day {day}")
            for day in (9, 3, 7, 3, 1)
        ]
        return made


def voucher(**overrides):
    return {
        "date": "2026-01-20",
        "memo": "办公用品",
        "lines": [{"account": "5602", "debit": "120.50"}, {"account": "1001", "credit": "120.50"}],
        **overrides,
    }


def test_reader_lists_accounts_and_one_by_code(client_a, reader_a):
    response = client_a.get(f"{BASE}/accounts", **reader_a)
    assert response.status_code == 200
    codes = [row["code"] for row in response.json()]
    assert codes[:3] == ["1001", "1002", "1012"] and "22210102" in codes
    vat = client_a.get(f"{BASE}/accounts/22210101", **reader_a).json()
    assert (vat["name_zh"], vat["name_en"], vat["parent"], vat["side"]) == ("进项税额", "Input VAT", "222101", "credit")
    assert client_a.get(f"{BASE}/accounts/9999", **reader_a).status_code == 404


def test_entries_in_cursor_pages_of_a_stable_order(client_a, tenant_a, reader_a, entries_a):
    seen, url = [], f"{ENTRIES}?period=2026-01&page_size=2"
    first = client_a.get(url, **reader_a).json()
    seen += [(row["date"], row["id"]) for row in first["results"]]
    # An entry posted meanwhile on an earlier date does not shift the pages still to come.
    with schema_context(tenant_a.schema_name):
        post(date(2026, 1, 2), ("1001", "1", ""), ("5001", "", "1"))
    url = first["next"]
    while url:
        page = client_a.get(url, **reader_a).json()
        seen += [(row["date"], row["id"]) for row in page["results"]]
        url = page["next"]
    expected = sorted((entry.date.isoformat(), entry.pk) for entry in entries_a)
    assert seen == expected, (seen, expected)
    detail = client_a.get(f"{ENTRIES}/{entries_a[0].pk}", **reader_a).json()
    assert [(line["account"], line["debit"], line["credit"]) for line in detail["lines"]] == [
        ("1001", "9.00", "0.00"),
        ("5001", "0.00", "9.00"),
    ]
    assert client_a.get(f"{ENTRIES}?period=2026-13", **reader_a).json()["field"] == "period"


def test_trial_balance_and_statements(client_a, reader_a, entries_a):
    tb = client_a.get(f"{BASE}/trial-balance?period=2026-01", **reader_a).json()
    assert tb["balanced"] is True and tb["totals"]["debit"] == "23.00"
    cash = next(row for row in tb["rows"] if row["code"] == "1001")
    assert (cash["debit"], cash["closing_debit"], cash["level"]) == ("23.00", "23.00", 1)
    sheet = client_a.get(f"{BASE}/balance-sheet?as_of=2026-01-31", **reader_a).json()
    lines = {line["line"]: line for line in sheet["lines"] if line["line"]}
    assert (lines[1]["closing"], lines[30]["closing"], lines[53]["closing"]) == ("23.00", "23.00", "23.00")
    income = client_a.get(f"{BASE}/income-statement?date_from=2026-01-01&date_to=2026-01-05", **reader_a).json()
    assert next(line for line in income["lines"] if line["line"] == 32)["amount"] == "7.00"
    bad = client_a.get(f"{BASE}/trial-balance?date_from=2026-02-01&date_to=2026-01-01", **reader_a)
    assert (bad.status_code, bad.json()["field"]) == (400, "date_to")
    assert client_a.get(f"{BASE}/balance-sheet", **reader_a).json()["field"] == "as_of"


def test_read_only_key_cannot_write_and_business_keys_cannot_read_the_books(client_a, tenant_a, reader_a):
    refused = send(client_a, ENTRIES, voucher(), **reader_a)
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")
    refused = send(client_a, f"{BASE}/accounts", {"parent": "1002", "code": "100201", "name_zh": "工行"}, **reader_a)
    assert refused.status_code == 403
    business = auth(make_key(tenant_a, scopes=("read", "write"))[1])
    for url in (f"{BASE}/accounts", ENTRIES, f"{BASE}/trial-balance?period=2026-01"):
        assert client_a.get(url, **business).status_code == 403
    with schema_context(tenant_a.schema_name):
        assert JournalEntry.objects.count() == 0 and not Account.objects.filter(code="100201").exists()


def test_writer_drafts_a_voucher_once_per_idempotency_key(client_a, tenant_a, writer_a):
    headers = {**writer_a, "HTTP_IDEMPOTENCY_KEY": "voucher-1"}
    first = send(client_a, ENTRIES, voucher(), **headers)
    assert first.status_code == 201, first.content
    assert (first.json()["status"], first.json()["total"], first.json()["number"]) == ("draft", "120.50", "")
    again = send(client_a, ENTRIES, voucher(), **headers)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    with schema_context(tenant_a.schema_name):
        assert JournalEntry.objects.count() == 1
    bad = send(
        client_a,
        ENTRIES,
        voucher(lines=[{"account": "5602", "debit": "1"}, {"account": "2221", "credit": "1"}]),
        **writer_a,
    )
    assert (bad.status_code, bad.json()["code"], bad.json()["field"]) == (400, "not_postable", "lines.1.account")
    account = send(
        client_a, f"{BASE}/accounts", {"parent": "1002", "code": "100201", "name_zh": "工商银行"}, **writer_a
    )
    assert account.status_code == 201 and account.json()["parent"] == "1002"


def test_approval_needs_a_second_signed_in_person(client_a, tenant_a, owner_a, writer_a):
    accountant = make_user(tenant_a, "acct@alpha.test", Role.ACCOUNTANT)
    login(client_a, tenant_a, accountant)
    drafted = send(client_a, ENTRIES, voucher())
    assert drafted.status_code == 201, drafted.content
    url = f"{ENTRIES}/{drafted.json()['id']}/approve"
    assert send(client_a, url, **writer_a).status_code == 403  # a key is nobody
    same = send(client_a, url)
    assert (same.status_code, same.json()["code"]) == (403, "same_user")
    login(client_a, tenant_a, owner_a)
    approved = send(client_a, url)
    assert approved.status_code == 200 and approved.json()["number"] == "202601-0001"
    sales = make_user(tenant_a, "sales@alpha.test", Role.SALES)
    login(client_a, tenant_a, sales)
    assert client_a.get(f"{BASE}/accounts").status_code == 403  # no finance:read for the sales role


def test_isolation_between_shops(client_a, client_b, tenant_b, reader_a, entries_a):
    reader_b = auth(make_key(tenant_b, scopes=("finance:read",))[1])
    assert client_b.get(f"{ENTRIES}/{entries_a[0].pk}", **reader_b).status_code == 404
    assert client_b.get(f"{ENTRIES}?period=2026-01", **reader_b).json()["results"] == []
    tb = client_b.get(f"{BASE}/trial-balance?period=2026-01", **reader_b).json()
    assert tb["rows"] == [] and tb["totals"]["debit"] == "0.00"
    assert client_b.get(f"{ENTRIES}", **reader_a).status_code in (401, 403)  # alpha's key is not beta's
    writer = auth(make_key(tenant_b, scopes=("finance:read", "finance:write"))[1])
    made = send(client_b, f"{BASE}/accounts", {"parent": "1002", "code": "100299", "name_zh": "乙店银行"}, **writer)
    assert made.status_code == 201
    assert client_a.get(f"{BASE}/accounts/100299", **reader_a).status_code == 404
    assert client_b.get(f"{BASE}/accounts/100299", **reader_b).status_code == 200


def test_bad_cursor_and_page_size(client_a, reader_a, entries_a):
    bad = client_a.get(f"{ENTRIES}?cursor=not-a-cursor", **reader_a)
    assert (bad.status_code, bad.json()["field"]) == (400, "cursor")
    page = client_a.get(f"{ENTRIES}?page_size=9999", **reader_a).json()
    assert len(page["results"]) == 5 and page["next"] is None


def test_query_counts_do_not_grow_with_the_rows(client_a, tenant_a, reader_a, entries_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert len(client_a.get(f"{ENTRIES}?period=2026-01", **reader_a).json()["results"]) == 5
    with django_assert_max_num_queries(14):
        assert (
            client_a.get(f"{BASE}/trial-balance?date_from=2026-01-02&date_to=2026-01-08", **reader_a).status_code == 200
        )
    with django_assert_max_num_queries(14):
        assert client_a.get(f"{BASE}/balance-sheet?as_of=2026-01-31", **reader_a).status_code == 200
