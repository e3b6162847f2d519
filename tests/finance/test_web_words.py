"""The finance pages use the books' words in Chinese (贷方, 科目, 代码, 增值税), while the modules that translate the
same English otherwise keep theirs (sales' "Credit" 冲减金额, purchasing's "Account" 账户): the finance usages take
the "finance" context. English is unchanged."""

from datetime import date

import pytest
from django_tenants.utils import schema_context

from tests.finance.conftest import login, post

pytestmark = pytest.mark.usefixtures("roles_synced")


@pytest.fixture
def owner_client(client_a, tenant_a, owner_a):
    return login(client_a, tenant_a, owner_a)


def test_finance_pages_use_the_books_words(owner_client, tenant_a):
    with schema_context(tenant_a.schema_name):
        entry = post(date(2026, 1, 20), ("5602", "2000", ""), ("1002", "", "2000"), memo="房租")

    trial_balance = owner_client.get("/finance/trial-balance/?date_from=2026-01-01&date_to=2026-01-31")
    voucher = owner_client.get(f"/finance/vouchers/{entry.pk}")
    vat = owner_client.get("/finance/vat/?year=2026&month=1")

    assert (trial_balance.status_code, voucher.status_code, vat.status_code) == (200, 200, 200)
    page = trial_balance.content.decode()
    assert '<th rowspan="2">代码</th><th rowspan="2">科目</th>' in page
    assert '<th class="num">借方</th><th class="num">贷方</th>' in page
    assert ">增值税</a>" in page  # the finance nav
    assert "冲减金额" not in page and "账户" not in page and ">税额</a>" not in page
    page = voucher.content.decode()
    assert "<th>科目</th>" in page and '<th class="num">贷方</th>' in page
    page = vat.content.decode()
    assert "<h1>增值税 2026</h1>" in page
    assert "<th>月份</th>" in page and "<th>采购发票</th>" in page


def test_the_other_modules_keep_their_own_words(owner_client):
    returns = owner_client.get("/sales/returns/").content.decode()
    payments = owner_client.get("/purchasing/payments/").content.decode()

    assert '<th class="num">冲减金额</th>' in returns and "贷方" not in returns
    assert "<th>账户</th>" in payments and "科目" not in payments


def test_english_is_unchanged(owner_client, tenant_a):
    with schema_context(tenant_a.schema_name):
        entry = post(date(2026, 1, 20), ("5602", "2000", ""), ("1002", "", "2000"))

    voucher = owner_client.get(f"/finance/vouchers/{entry.pk}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    returns = owner_client.get("/sales/returns/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<th>Account</th>" in voucher and '<th class="num">Credit</th>' in voucher and ">VAT</a>" in voucher
    assert '<th class="num">Credit</th>' in returns
