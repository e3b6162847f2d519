"""The chart of accounts: the 小企业会计准则 template in every tenant, sub-accounts below it, deletion rules."""

from datetime import date

import pytest
from django_tenants.utils import schema_context

from jxc.kernel.errors import AppError
from modules.finance import services
from modules.finance.chart import TEMPLATE
from modules.finance.models import Account
from tests.finance.conftest import acct, post


def test_every_tenant_has_the_template(tenant_a, tenant_b):
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            assert Account.objects.filter(is_template=True).count() == len(TEMPLATE)
    with schema_context(tenant_a.schema_name):
        cash, vat, input_vat, output_vat = (acct(c) for c in ("1001", "222101", "22210101", "22210102"))
        assert (cash.name_zh, cash.name_en, cash.type, cash.side, cash.is_leaf) == (
            "库存现金",
            "Cash on hand",
            "asset",
            "debit",
            True,
        )
        assert (vat.parent.code, vat.is_leaf) == ("2221", False)
        assert (input_vat.name_zh, output_vat.name_zh, input_vat.parent_id) == ("进项税额", "销项税额", vat.pk)
        assert acct("1602").side == "credit" and acct("5001").side == "credit" and acct("5602").side == "debit"
        assert acct("3104").is_leaf is False and acct("310401").parent.code == "3104"
        assert acct("5001").type == "profit_loss" and acct("4001").type == "cost" and acct("3103").type == "equity"


def test_spare_schemas_get_the_chart_through_migrations(committed_db):
    """The pool's spares are migrated schemas: the chart is in them before any shop claims one."""
    from tenants.services import schema_drop, spare_create

    spare = spare_create()
    try:
        with schema_context(spare.schema_name):
            assert Account.objects.filter(code="1405", name_zh="库存商品").exists()
    finally:
        spare.delete()
        schema_drop(spare.schema_name)


def test_sub_account_below_a_template_account(books):
    bank = acct("1002")
    icbc = services.account_create(parent=bank, code="100201", name_zh="工商银行", name_en="ICBC")
    bank.refresh_from_db()
    assert (icbc.type, icbc.side, icbc.parent_id, icbc.is_leaf, bank.is_leaf) == (
        "asset",
        "debit",
        bank.pk,
        True,
        False,
    )
    assert icbc.level == 2
    # and a third level below it
    services.account_create(parent=icbc, code="10020101", name_zh="基本户")
    icbc.refresh_from_db()
    assert icbc.is_leaf is False


@pytest.mark.parametrize("code", ["1003", "100301", "10021", "1002010", "10020A", ""])
def test_sub_account_code_must_extend_the_parent(books, code):
    with pytest.raises(AppError) as error:
        services.account_create(parent=acct("1002"), code=code, name_zh="x")
    assert (error.value.code, error.value.field) == ("invalid_code", "code")
    assert not Account.objects.filter(code=code).exists()


def test_sub_account_refused_below_used_account_and_duplicate(books):
    post(date(2026, 3, 5), ("1001", "100", ""), ("3001", "", "100"))
    with pytest.raises(AppError) as error:
        services.account_create(parent=acct("1001"), code="100101", name_zh="备用金")
    assert (error.value.code, error.value.field) == ("account_used", "parent")
    assert acct("1001").is_leaf is True
    services.account_create(parent=acct("1002"), code="100201", name_zh="工商银行")
    with pytest.raises(AppError) as error:
        services.account_create(parent=acct("1002"), code="100201", name_zh="again")
    assert error.value.code == "code_taken"


def test_delete_only_unused_added_accounts(books):
    with pytest.raises(AppError) as error:
        services.account_delete(account=acct("1012"))
    assert (error.value.code, error.value.status_code) == ("template_account", 409)
    used = services.account_create(parent=acct("1002"), code="100201", name_zh="工商银行")
    spare = services.account_create(parent=acct("1002"), code="100202", name_zh="建设银行")
    post(date(2026, 3, 5), ("100201", "50", ""), ("3001", "", "50"))
    with pytest.raises(AppError) as error:
        services.account_delete(account=used)
    assert error.value.code == "account_used"
    services.account_delete(account=spare)
    assert not Account.objects.filter(code="100202").exists()
    assert acct("1002").is_leaf is False  # 100201 is still below it


def test_last_sub_account_deleted_makes_the_parent_postable_again(books):
    only = services.account_create(parent=acct("1012"), code="101201", name_zh="支付宝")
    services.account_delete(account=only)
    assert acct("1012").is_leaf is True
