"""The customers pages: the list with balances (sorted, overdue marked), the overview with follow-ups added,
done and deleted with htmx, the due list and card, the printable statement and its XLSX; who may do what;
another shop's customer is a 404."""

from datetime import date
from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import load_workbook

from modules.crm.models import FollowUp
from modules.identity.roles import Role
from tests.crm.conftest import day, entry, follow_up_state, in_tenant, login, make_user

pytestmark = pytest.mark.usefixtures("roles_synced")


@pytest.fixture
def seller(client_a, tenant_a, world_a):
    return login(client_a, tenant_a, make_user(tenant_a, "seller@alpha.test", Role.SALES))


def ledger_a(tenant_a, world_a):
    def write():
        entry(world_a.k2, 40, "300.00", "FP1")
        entry(world_a.k2, 20, "-100.00", "SK1", source_type="sales_receipt")
        entry(world_a.k2, 3, "50.00", "FP2")
        entry(world_a.k1, 0, "10.00", "FP3")

    in_tenant(tenant_a, write)


def test_customer_list_with_balances_in_both_languages(seller, tenant_a, world_a):
    ledger_a(tenant_a, world_a)
    page = seller.get("/customers/")
    text = page.content.decode()
    assert page.status_code == 200 and "客户" in text and "逾期" in text
    assert 'data-customer="K2" data-balance="250.00" data-overdue="200.00"' in text
    assert 'data-customer="K1" data-balance="10.00" data-overdue="0.00"' in text
    assert 'data-customer="S1"' not in text
    english = seller.get("/customers/", {"sort": "-balance"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Open balance" in english and english.index('data-customer="K2"') < english.index('data-customer="K1"')
    # A bad sort falls back to the code.
    assert seller.get("/customers/", {"sort": "nope"}).status_code == 200


def test_overview_and_follow_ups(seller, tenant_a, world_a):
    ledger_a(tenant_a, world_a)
    url = f"/customers/{world_a.k2.pk}"
    page = seller.get(url).content.decode()
    assert 'data-balance="250.00" data-overdue="200.00"' in page and 'id="follow-up-form"' in page
    assert 'data-number="FP2"' in page
    refused = seller.post(f"{url}/follow-ups", {"kind": "call", "text": "回访", "next_date": day(1).isoformat()},
                          HTTP_HX_REQUEST="true")  # fmt: skip
    assert refused.status_code == 400 and "下次跟进不能是过去的日期" in refused.content.decode()
    assert in_tenant(tenant_a, follow_up_state) == []
    added = seller.post(
        f"{url}/follow-ups", {"kind": "visit", "text": "上门拜访，谈年货", "next_date": day(0).isoformat()},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert added.status_code == 200 and "上门拜访，谈年货" in added.content.decode()
    follow_up = in_tenant(tenant_a, FollowUp.objects.get)
    assert (follow_up.kind, follow_up.author.email, follow_up.next_date) == ("visit", "seller@alpha.test", day(0))
    card = seller.get("/customers/due/card").content.decode()
    assert 'data-due-count="1"' in card and world_a.k2.name in card
    due = seller.get("/customers/due").content.decode()
    assert f'data-follow-up="{follow_up.pk}"' in due
    done = seller.post(f"/customers/follow-ups/{follow_up.pk}/done", {"done": "1", "back": "due"},
                       HTTP_HX_REQUEST="true")  # fmt: skip
    assert done.status_code == 200 and done.content.strip() == b""
    assert in_tenant(tenant_a, lambda: FollowUp.objects.get().done)
    assert 'data-due-count="0"' in seller.get("/customers/due/card").content.decode()
    deleted = seller.post(f"/customers/follow-ups/{follow_up.pk}/delete")
    assert deleted.status_code == 302 and deleted["Location"] == url
    assert in_tenant(tenant_a, FollowUp.objects.count) == 0


def test_warehouse_only_reads(client_a, tenant_a, world_a):
    clerk = login(client_a, tenant_a, make_user(tenant_a, "clerk@alpha.test", Role.WAREHOUSE))
    page = clerk.get(f"/customers/{world_a.k1.pk}")
    assert page.status_code == 200 and 'id="follow-up-form"' not in page.content.decode()
    refused = clerk.post(f"/customers/{world_a.k1.pk}/follow-ups", {"kind": "call", "text": "x"})
    assert refused.status_code == 403 and in_tenant(tenant_a, FollowUp.objects.count) == 0


def test_a_supplier_has_no_customer_page(seller, world_a):
    assert seller.get(f"/customers/{world_a.supplier.pk}").status_code == 404
    assert seller.get(f"/customers/{world_a.supplier.pk}/statement").status_code == 404


def test_statement_page_and_xlsx(seller, tenant_a, world_a):
    ledger_a(tenant_a, world_a)
    period = {"date_from": day(30).isoformat(), "date_to": day(0).isoformat()}
    page = seller.get(f"/customers/{world_a.k2.pk}/statement", period)
    text = page.content.decode()
    assert page.status_code == 200 and "@media print" in text and "对账单" in text
    assert 'data-opening="300.00" data-closing="250.00"' in text
    assert text.index('data-number="SK1"') < text.index('data-number="FP2"') and 'data-number="FP1"' not in text
    reversed_period = {"date_from": day(0).isoformat(), "date_to": day(30).isoformat()}
    refused = seller.get(f"/customers/{world_a.k2.pk}/statement", reversed_period)
    assert refused.status_code == 400 and "date_to-errors" in refused.content.decode()
    assert seller.get(f"/customers/{world_a.k2.pk}/statement.xlsx", reversed_period).status_code == 400

    export = seller.get(f"/customers/{world_a.k2.pk}/statement.xlsx", period)
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(export.content)).active
    rows = [row for row in sheet.iter_rows(min_row=6, values_only=True)]
    assert rows[0][2] == "期初余额" and rows[0][6] == 300
    assert [(r[1], r[4], r[5], r[6]) for r in rows[1:-1]] == [("SK1", 0, 100, 200), ("FP2", 50, 0, 250)]
    assert rows[-1][2] == "期末余额" and rows[-1][4:] == (50, 100, 250)
    # Numbers are numbers and dates are dates, for the customer's accountant.
    assert sheet.cell(row=7, column=7).data_type == "n" and isinstance(sheet.cell(row=7, column=1).value, date)
    assert sheet.cell(row=7, column=1).value.date() == day(20)
    assert D(str(sheet.cell(row=8, column=5).value)) == D("50.00")
    assert sheet["B3"].value == "K2 二号客户"


def test_default_period_is_this_month(seller, world_a):
    page = seller.get(f"/customers/{world_a.k1.pk}/statement").content.decode()
    today = day(0)
    assert f'value="{today.replace(day=1).isoformat()}"' in page and f'value="{today.isoformat()}"' in page


def test_another_shop_cannot_reach_a_customer(client_b, tenant_b, owner_b, tenant_a, world_a):
    ledger_a(tenant_a, world_a)
    follow_up_id = in_tenant(
        tenant_a,
        lambda: FollowUp.objects.create(partner=world_a.k2, kind="call", text="alpha 的秘密", next_date=day(0)).pk,
    )
    other = login(client_b, tenant_b, owner_b)
    for url in (f"/customers/{world_a.k2.pk}", f"/customers/{world_a.k2.pk}/statement",
                f"/customers/{world_a.k2.pk}/statement.xlsx"):  # fmt: skip
        assert other.get(url).status_code == 404
    assert other.post(f"/customers/follow-ups/{follow_up_id}/done", {"done": "1"}).status_code == 404
    assert other.post(f"/customers/follow-ups/{follow_up_id}/delete").status_code == 404
    assert "alpha 的秘密" not in other.get("/customers/due?who=all").content.decode()
    assert "二号客户" not in other.get("/customers/").content.decode()
    assert in_tenant(tenant_a, lambda: FollowUp.objects.get().done) is False


def test_anonymous_goes_to_login(client_a, world_a):
    response = client_a.get("/customers/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
