"""Changing a draft voucher from its page and by PATCH: the lines are replaced whole, whoever changes it
becomes its preparer (and so cannot approve it), bad input changes nothing, a posted one cannot change;
another shop's draft is not found."""

import json
from datetime import date

import pytest
from django_tenants.utils import schema_context

from modules.finance import services
from modules.finance.models import JournalEntry
from modules.finance.services import LineInput
from modules.identity.roles import Role
from modules.partners.models import Partner
from tests.finance.conftest import D, auth, login, make_key, make_user

pytestmark = pytest.mark.usefixtures("roles_synced")


@pytest.fixture
def draft(tenant_a):
    accountant = make_user(tenant_a, "acct@alpha.test", Role.ACCOUNTANT)
    with schema_context(tenant_a.schema_name):
        Partner.objects.create(code="S1", name="供应商一", is_supplier=True)
        entry = services.voucher_create(
            date=date(2026, 1, 20), memo="房租", created_by=accountant,
            lines=[LineInput("5602", debit="2000", memo="一月"), LineInput("1002", credit="2000")],
        )  # fmt: skip
    return entry, accountant


def state(tenant, pk):
    with schema_context(tenant.schema_name):
        entry = JournalEntry.objects.get(pk=pk)
        lines = [
            (line.account.code, line.debit, line.credit, line.memo, line.partner.code if line.partner_id else None)
            for line in entry.lines.select_related("account", "partner")
        ]
        return entry.date, entry.memo, entry.total, entry.status, entry.created_by_id, lines


def test_change_a_draft_on_its_page(client_a, client_b, tenant_a, tenant_b, owner_a, owner_b, draft):
    entry, accountant = draft
    login(client_a, tenant_a, owner_a)
    detail = client_a.get(f"/finance/vouchers/{entry.pk}").content.decode()
    assert 'id="action-edit"' in detail
    form = client_a.get(f"/finance/vouchers/{entry.pk}/edit").content.decode()
    assert 'value="5602"' in form and 'value="2000.00"' in form and 'value="一月"' in form
    before = state(tenant_a, entry.pk)
    data = {
        "rows": "8", "date": "2026-01-21", "memo": "房租和水电",
        "line-0-account": "5602", "line-0-debit": "2100",
        "line-1-account": "2202", "line-1-credit": "2100", "line-1-partner": "S9",
    }  # fmt: skip
    refused = client_a.post(f"/finance/vouchers/{entry.pk}/edit", data)
    assert refused.status_code == 400 and "S9" in refused.content.decode()
    assert state(tenant_a, entry.pk) == before  # nothing half-written
    data["line-1-partner"] = "S1"
    saved = client_a.post(f"/finance/vouchers/{entry.pk}/edit", data)
    assert saved.status_code == 302 and saved.url == f"/finance/vouchers/{entry.pk}"
    assert state(tenant_a, entry.pk) == (
        date(2026, 1, 21), "房租和水电", D("2100.00"), "draft", owner_a.pk,
        [("5602", D("2100.00"), D("0"), "", None), ("2202", D("0"), D("2100.00"), "", "S1")],
    )  # fmt: skip
    # The owner wrote it now: the owner cannot approve it, the accountant can't either (no permission).
    assert 'id="action-approve"' not in client_a.get(f"/finance/vouchers/{entry.pk}").content.decode()
    login(client_b, tenant_b, owner_b)
    assert client_b.get(f"/finance/vouchers/{entry.pk}/edit").status_code == 404
    with schema_context(tenant_a.schema_name):
        manager = make_user(tenant_a, "manager@alpha.test", Role.MANAGER)
        services.voucher_post(entry=JournalEntry.objects.get(pk=entry.pk), acting_user=manager)
    gone = client_a.get(f"/finance/vouchers/{entry.pk}/edit")
    assert gone.status_code == 302 and gone.url == f"/finance/vouchers/{entry.pk}"
    assert 'id="action-edit"' not in client_a.get(f"/finance/vouchers/{entry.pk}").content.decode()
    login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    assert client_a.get(f"/finance/vouchers/{entry.pk}/edit").status_code == 403


def patch(client, url, body, **headers):
    return client.patch(url, data=json.dumps(body), content_type="application/json", **headers)


def test_patch_a_draft(client_a, client_b, tenant_a, tenant_b, owner_a, draft):
    entry, accountant = draft
    url = f"/api/v1/finance/entries/{entry.pk}"
    writer = auth(make_key(tenant_a, scopes=("finance:read", "finance:write"))[1])
    reader = auth(make_key(tenant_a, scopes=("finance:read",))[1])
    assert patch(client_a, url, {"memo": "x"}, **reader).status_code == 403
    memo_only = patch(client_a, url, {"memo": "二月房租"}, **writer)
    assert memo_only.status_code == 200 and memo_only.json()["memo"] == "二月房租"
    assert [line["account"] for line in memo_only.json()["lines"]] == ["5602", "1002"]  # lines kept
    before = state(tenant_a, entry.pk)
    assert before[4] is None  # changed by a key: no person prepared it now
    bad = patch(client_a, url, {"lines": [{"account": "5602", "debit": "5"}, {"account": "1002", "credit": "4"}]},
                **writer)  # fmt: skip
    assert (bad.status_code, bad.json()["field"]) == (400, "lines")
    bad_date = patch(client_a, url, {"date": "2026-02-30"}, **writer)
    assert (bad_date.status_code, bad_date.json()["field"]) == (400, "date")
    assert state(tenant_a, entry.pk) == before
    login(client_a, tenant_a, accountant)
    body = {
        "date": "2026-01-22",
        "lines": [{"account": "5602", "debit": "7.50"}, {"account": "1001", "credit": "7.50"}],
    }
    changed = patch(client_a, url, body)
    assert changed.status_code == 200 and changed.json()["total"] == "7.50" and changed.json()["date"] == "2026-01-22"
    beta = auth(make_key(tenant_b, scopes=("finance:read", "finance:write"))[1])
    assert patch(client_b, url, {"memo": "x"}, **beta).status_code == 404
    login(client_a, tenant_a, owner_a)
    assert client_a.post(f"{url}/approve").status_code == 200
    posted = patch(client_a, url, {"memo": "too late"})
    assert (posted.status_code, posted.json()["code"]) == (409, "wrong_status")
    assert state(tenant_a, entry.pk)[1] == "二月房租"
