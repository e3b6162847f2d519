"""Opening balances (期初余额): a shop whose stock and partners' balances were put straight into the ledgers
(before its books began: no document, no entry) gets the right proposal, posts one opening voucher, and then
closes its months with AR/AP equal to the partner ledger; refusals (unbalanced, stale figures, closed month,
twice on one day) write nothing; who may post; one shop never sees or posts into another's books."""

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal as D
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.utils import schema_context

from jxc.kernel.errors import AppError
from modules.catalog import services as catalog
from modules.finance import opening
from modules.finance import services as finance
from modules.finance.close_checks import check_inventory_value
from modules.finance.models import JournalEntry, Period
from modules.finance.opening import OpeningLine
from modules.identity.roles import Role
from modules.inventory.services import MoveLine, stock_moves_post
from modules.partnerledger.services import partner_entry_post
from modules.partners import services as partners
from modules.partners.models import Partner
from modules.sales import services as sales
from modules.sales.services import DocumentLineInput
from tests.finance.conftest import auth, login, make_key, make_user
from tests.finance.invariants import assert_books_reconcile, assert_ledgers_equal_books, books_reconcile  # noqa: F401
from tests.finance.test_posting import buy, sell
from tests.stockops.conftest import TZ, Shop, shop_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles_synced")]

AUG_END = date(2026, 8, 31)
SEP = date(2026, 9, 1)
SEP_END = date(2026, 9, 30)
TODAY = date(2026, 11, 25)
URL = "/api/v1/finance/opening"
PAGE = "/finance/opening/"


@dataclass
class World:
    shop: Shop
    prepaid: Partner  # a customer who paid in advance (a credit balance)


def legacy(shop: Shop) -> Partner:
    """What the shop held before its books began, put straight into the ledgers (no document, no entry): 100
    bottles at 2.00; the customer owes 500.00, another paid 50.00 in advance; the shop owes its supplier 300.00."""
    prepaid = partners.partner_create(code="K2", name="预付客户", is_customer=True)
    with transaction.atomic():
        stock_moves_post(
            lines=[MoveLine(shop.cola, shop.main, D("100"), D("2.00"))],
            posted_at=datetime(2026, 8, 20, 10, tzinfo=ZoneInfo(TZ)),
            source_type="legacy_stock",
            source_id=1,
        )
        for partner, kind, amount in (
            (shop.customer, "receivable", "500.00"),
            (prepaid, "receivable", "-50.00"),
            (shop.supplier, "payable", "300.00"),
        ):
            partner_entry_post(
                partner=partner, kind=kind, date=date(2026, 8, 20), source_type="legacy_balance",
                source_id=partner.pk, number=f"QC-{partner.code}", amount=D(amount),
            )  # fmt: skip
    return prepaid


def september(shop: Shop) -> None:
    """A month of documents that post their entries: 10 bottles bought, 60 sold and invoiced (203.40)."""
    buy(shop, "10", "2.26", date(2026, 9, 3))
    delivery = sell(shop, "60", "3.39", date(2026, 9, 12))
    sales.sales_invoice_create(
        order=delivery.order, lines=[DocumentLineInput(delivery.lines.get().pk, "60")], tz_name=TZ,
        on=date(2026, 9, 15),
    )  # fmt: skip


def world_create() -> World:
    shop = shop_create()
    prepaid = legacy(shop)
    september(shop)
    return World(shop, prepaid)


@pytest.fixture
def world(in_tenant_a) -> World:
    return world_create()


@pytest.fixture
def world_a(tenant_a) -> World:
    with schema_context(tenant_a.schema_name):
        return world_create()


def owner() -> User:
    return User.objects.get(email="owner@alpha.test")


def figures(proposal) -> list[tuple]:
    return [
        (line.account.code, line.partner.code if line.partner else None, line.ledger, line.books, line.amount)
        for line in proposal.ledger_lines
    ]


def own_lines(proposal) -> list[OpeningLine]:
    """The proposal's lines as read, then the shop's own: 1000.00 in the bank, paid-in capital 1000.00."""
    return [OpeningLine(line.account, line.amount, line.partner) for line in proposal.ledger_lines] + [
        OpeningLine("1002", "1000.00"),
        OpeningLine("3001", "1000.00"),
    ]


def entry_lines(entry: JournalEntry) -> list[tuple]:
    return [
        (line.account.code, line.debit, line.credit, line.partner.code if line.partner else None, line.memo)
        for line in entry.lines.select_related("account", "partner").order_by("position")
    ]


def close(on: date) -> Period:
    return finance.period_close(period=finance.period_get(on), acting_user=owner(), today=TODAY)


# ------------------------------------------------------------------------------------------------ service


def test_the_proposal_is_the_ledgers_less_what_the_books_hold(world):
    s = world.shop
    proposal = opening.opening_balances_proposal(today=TODAY)
    assert proposal.as_of == AUG_END  # the day before September, the books' first month
    assert figures(proposal) == [
        ("1405", None, D("200.00"), D("0.00"), D("200.00")),
        ("1122", "K1", D("500.00"), D("0.00"), D("500.00")),
        ("1122", "K2", D("-50.00"), D("0.00"), D("-50.00")),
        ("2202", "S1", D("300.00"), D("0.00"), D("300.00")),
    ]
    assert (proposal.debit, proposal.credit, proposal.difference) == (D("700.00"), D("350.00"), D("350.00"))
    assert proposal.posted is None and proposal.closed is None
    others = {other.account.code: other.books for other in proposal.others}
    assert "1001" in others and "3001" in others and "310401" in others
    assert not {"1405", "1122", "2202"} & set(others) and "3104" not in others  # a parent takes no lines
    # At September's end the books hold September's documents: 1405 −100.00 against 100.00 in stock (50 bottles),
    # the customer's invoice of 203.40 against 703.40 owed; the difference is still what came before.
    later = opening.opening_balances_proposal(as_of=SEP_END, today=TODAY)
    assert figures(later)[:2] == [
        ("1405", None, D("100.00"), D("-100.00"), D("200.00")),
        ("1122", "K1", D("703.40"), D("203.40"), D("500.00")),
    ]
    assert {other.account.code: other.books for other in later.others}["5001"] == D("180.00")
    assert s.customer.pk == later.receivables[0].partner.pk


def test_post_the_opening_entry_then_the_months_close_and_the_books_equal_the_ledgers(world):
    refused = pytest.raises(AppError, close, SEP)
    assert refused.value.code == "close_checks_failed" and "1405" in refused.value.message
    proposal = opening.opening_balances_proposal(today=TODAY)
    entry = opening.opening_entry_post(
        as_of=AUG_END, lines=own_lines(proposal), counter_account="310401", acting_user=owner(), today=TODAY
    )
    entry.refresh_from_db()
    assert (entry.date, entry.number, entry.memo, entry.source_type, entry.status) == (
        AUG_END, "202608-0001", "期初余额", "opening", "posted",
    )  # fmt: skip
    assert entry.created_by == owner() and entry.source_id == 20260831
    assert entry_lines(entry) == [
        ("1405", D("200.00"), D("0.00"), None, ""),
        ("1122", D("500.00"), D("0.00"), "K1", ""),
        ("1122", D("0.00"), D("50.00"), "K2", ""),
        ("2202", D("0.00"), D("300.00"), "S1", ""),
        ("1002", D("1000.00"), D("0.00"), None, ""),
        ("3001", D("0.00"), D("1000.00"), None, ""),
        ("310401", D("0.00"), D("350.00"), None, "期初余额差额"),
    ]
    assert_ledgers_equal_books()  # every move and every partner entry, not only the documents'
    assert check_inventory_value(finance.period_get(SEP)) == []
    assert close(AUG_END).status == "closed" and close(SEP).status == "closed"
    after = opening.opening_balances_proposal(as_of=AUG_END, today=TODAY)
    assert after.reconciles and after.posted.pk == entry.pk and after.closed is not None
    assert_books_reconcile()


def test_unbalanced_without_a_counter_account_names_the_difference_and_writes_nothing(world):
    proposal = opening.opening_balances_proposal(today=TODAY)
    with pytest.raises(AppError) as error:
        opening.opening_entry_post(as_of=AUG_END, lines=own_lines(proposal), acting_user=owner(), today=TODAY)
    assert (error.value.code, error.value.field, error.value.status_code) == ("unbalanced", "lines", 400)
    assert "350.00" in error.value.message and "1700.00" in error.value.message and "310401" in error.value.message
    assert not JournalEntry.objects.filter(source_type="opening").exists()
    assert not Period.objects.filter(year=2026, month=8).exists()


@pytest.mark.parametrize(
    ("change", "code", "field", "words"),
    [
        (lambda lines: lines.__setitem__(0, OpeningLine("1405", "199.99")), "ledger_mismatch", "lines.0.amount",
         ["200.00", "199.99", "1405"]),
        (lambda lines: lines.pop(2), "ledger_mismatch", "lines", ["K2", "-50.00"]),
        (lambda lines: lines.__setitem__(1, OpeningLine("1122", "500.00")), "partner_required", "lines.1.partner",
         ["1122"]),
        (lambda lines: lines.append(OpeningLine("1001", "12.345")), "too_many_places", "lines.6.amount",
         ["7", "1001"]),
        (lambda lines: lines.append(OpeningLine("2221", "1")), "not_postable", "lines.6.account", ["2221"]),
        (lambda lines: lines.append(OpeningLine("9999", "1")), "unknown_account", "lines.6.account", ["9999"]),
        (lambda lines: lines.append(lines[1]), "duplicate_line", "lines.6.account", ["K1"]),
    ],
)  # fmt: skip
def test_bad_lines_are_named_and_nothing_is_written(world, change, code, field, words):
    lines = own_lines(opening.opening_balances_proposal(today=TODAY))
    change(lines)
    with pytest.raises(AppError) as error:
        opening.opening_entry_post(
            as_of=AUG_END, lines=lines, counter_account="310401", acting_user=owner(), today=TODAY
        )
    assert (error.value.code, error.value.field) == (code, field), error.value.message
    for word in words:
        assert word in error.value.message, (word, error.value.message)
    assert not JournalEntry.objects.filter(source_type="opening").exists()


def test_wrong_partners_and_counter_accounts_are_refused(world):
    s = world.shop
    proposal = opening.opening_balances_proposal(today=TODAY)
    lines = own_lines(proposal)
    lines[3] = OpeningLine("2202", "300.00", s.customer)  # a customer is not a supplier
    with pytest.raises(AppError) as error:
        opening.opening_entry_post(as_of=AUG_END, lines=lines, counter_account="310401", today=TODAY)
    assert (error.value.code, error.value.field) == ("wrong_partner", "lines.3.partner")
    for counter in ("1405", "3104", "8888"):
        with pytest.raises(AppError) as error:
            opening.opening_entry_post(as_of=AUG_END, lines=own_lines(proposal), counter_account=counter, today=TODAY)
        assert error.value.field == "counter_account" and counter in error.value.message
    with pytest.raises(AppError) as error:
        opening.opening_entry_post(as_of=date(2026, 12, 1), lines=own_lines(proposal), today=TODAY)
    assert (error.value.code, error.value.field) == ("future_date", "as_of")
    assert not JournalEntry.objects.filter(source_type="opening").exists()


def test_a_second_post_for_the_same_day_is_refused_until_the_first_is_reversed(world):
    proposal = opening.opening_balances_proposal(today=TODAY)
    first = opening.opening_entry_post(
        as_of=AUG_END, lines=own_lines(proposal), counter_account="310401", acting_user=owner(), today=TODAY
    )
    with pytest.raises(AppError) as error:  # a double click, with the page's figures
        opening.opening_entry_post(
            as_of=AUG_END, lines=own_lines(proposal), counter_account="310401", acting_user=owner(), today=TODAY
        )
    assert (error.value.code, error.value.status_code) == ("opening_exists", 409)
    assert first.number in error.value.message
    assert JournalEntry.objects.filter(source_type="opening").count() == 1
    with pytest.raises(AppError) as error:
        opening.opening_entry_reverse(as_of=AUG_END, on=date(2026, 8, 30), acting_user=owner())
    assert error.value.field == "date"
    reversal = opening.opening_entry_reverse(as_of=AUG_END, on=AUG_END, acting_user=owner())
    assert reversal.reverses_id == first.pk and reversal.total == D("-1700.00")  # 红冲, in red figures
    again = opening.opening_balances_proposal(as_of=AUG_END, today=TODAY)
    assert again.posted is None and figures(again) == figures(proposal)
    second = opening.opening_entry_post(
        as_of=AUG_END, lines=own_lines(again), counter_account="310401", acting_user=owner(), today=TODAY
    )
    assert second.number == "202608-0003"
    with pytest.raises(AppError) as error:
        opening.opening_entry_reverse(as_of=date(2026, 8, 30), on=AUG_END, acting_user=owner())
    assert error.value.code == "nothing_to_reverse"
    assert_ledgers_equal_books()


def test_a_closed_month_refuses_the_opening_entry_clearly(in_tenant_a):
    shop = shop_create()
    customer = partners.partner_create(code="K9", name="老客户", is_customer=True)
    with transaction.atomic():
        partner_entry_post(
            partner=customer, kind="receivable", date=date(2026, 8, 2), source_type="legacy_balance",
            source_id=1, number="QC-1", amount=D("80.00"),
        )  # fmt: skip
        finance.journal_entry_post(
            date=date(2026, 9, 2), source_type="test_capital",
            lines=[finance.LineInput("1002", debit="10"), finance.LineInput("3001", credit="10")],
        )  # fmt: skip
    close(SEP)
    periods = Period.objects.count()
    for as_of in (SEP_END, AUG_END):
        proposal = opening.opening_balances_proposal(as_of=as_of, today=TODAY)
        assert proposal.closed is not None and str(proposal.closed) == "2026-09"
        with pytest.raises(AppError) as error:
            opening.opening_entry_post(
                as_of=as_of, lines=[OpeningLine("1122", "80.00", customer)], counter_account="310401",
                acting_user=owner(), today=TODAY,
            )  # fmt: skip
        assert (error.value.code, error.value.status_code, error.value.field) == ("period_closed", 409, "as_of")
        assert as_of.isoformat() in error.value.message and "2026-09" in error.value.message
    assert Period.objects.count() == periods and not JournalEntry.objects.filter(source_type="opening").exists()
    # The default day is then the first day of the first month still open.
    assert opening.opening_date_default(today=TODAY) == date(2026, 10, 1)
    entry = opening.opening_entry_post(
        as_of=date(2026, 10, 1), lines=[OpeningLine("1122", "80.00", customer)], counter_account="310401",
        acting_user=owner(), today=TODAY,
    )  # fmt: skip
    assert entry.number == "202610-0001" and shop.customer.pk != customer.pk
    assert_ledgers_equal_books()


def test_a_clerk_without_the_permission_cannot_post(world, tenant_a):
    clerk = make_user(tenant_a, "sales@alpha.test", Role.SALES)
    connection.set_tenant(tenant_a)
    with pytest.raises(AppError) as error:
        opening.opening_entry_post(
            as_of=AUG_END, lines=own_lines(opening.opening_balances_proposal(today=TODAY)),
            counter_account="310401", acting_user=clerk, today=TODAY,
        )  # fmt: skip
    assert (error.value.code, error.value.status_code) == ("not_allowed", 403)
    assert not JournalEntry.objects.filter(source_type="opening").exists()


def test_support_lists_the_shops_whose_books_differ_from_their_ledgers(world, tenant_a):
    out = StringIO()
    call_command("opening_balances_check", "--as-of", "2026-08-31", "--shop", "alpha", "--shop", "beta", stdout=out)
    text = out.getvalue()
    assert "alpha (" in text and "stock 200.00 (ledger 200.00, 1405 0.00)" in text
    assert "customers 2 (450.00)" in text and "suppliers 1 (300.00)" in text
    assert "beta (" not in text and "1 of 2 shop(s)" in text
    connection.set_tenant(tenant_a)
    opening.opening_entry_post(
        as_of=AUG_END, lines=own_lines(opening.opening_balances_proposal(today=TODAY)), counter_account="310401",
        today=TODAY,
    )  # fmt: skip
    out = StringIO()
    call_command("opening_balances_check", "--shop", "alpha", "--shop", "beta", "--all", stdout=out)
    text = out.getvalue()
    assert "alpha (" in text and "reconciles" in text and "0 of 2 shop(s)" in text
    connection.set_tenant(tenant_a)


# ---------------------------------------------------------------------------------------------------- API


def send(client, body, **headers):
    return client.post(URL, data=json.dumps(body), content_type="application/json", **headers)


def failure(response) -> tuple:
    body = response.json()
    return response.status_code, body.get("code"), body.get("field")


def api_body(proposal: dict, **overrides) -> dict:
    lines = [{"account": line["account"], "amount": line["amount"], "partner": line["partner"]} for line in
             proposal["lines"]]  # fmt: skip
    lines += [{"account": "1002", "amount": "1000.00"}, {"account": "3001", "amount": "1000.00"}]
    return {"as_of": proposal["as_of"], "lines": lines, **overrides}


def in_a(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


def opening_count(tenant) -> int:
    return in_a(tenant, lambda: JournalEntry.objects.filter(source_type="opening").count())


def test_api_proposal_then_post_once_per_idempotency_key(client_a, tenant_a, world_a):
    reader = auth(make_key(tenant_a, scopes=("finance:read",))[1])
    writer = auth(make_key(tenant_a, scopes=("finance:read", "finance:write"))[1])
    proposal = client_a.get(URL, **reader).json()
    assert proposal["as_of"] == "2026-08-31" and proposal["posted"] is None
    assert [(line["account"], line["partner_code"], line["amount"], line["debit"], line["credit"])
            for line in proposal["lines"]] == [
        ("1405", None, "200.00", "200.00", "0.00"),
        ("1122", "K1", "500.00", "500.00", "0.00"),
        ("1122", "K2", "-50.00", "0.00", "50.00"),
        ("2202", "S1", "300.00", "0.00", "300.00"),
    ]  # fmt: skip
    assert proposal["difference"] == "350.00" and proposal["default_counter_account"] == "310401"
    assert {"code": "1001", "name": "库存现金", "side": "debit", "books": "0.00"} in proposal["accounts"]
    assert client_a.get(f"{URL}?as_of=2026-02-30", **reader).json()["field"] == "as_of"

    refused = send(client_a, api_body(proposal, counter_account="310401"), **reader)
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")
    unbalanced = send(client_a, api_body(proposal), **writer)
    assert failure(unbalanced) == (400, "unbalanced", "lines")
    assert "350.00" in unbalanced.json()["message"]
    assert opening_count(tenant_a) == 0

    headers = {**writer, "HTTP_IDEMPOTENCY_KEY": "opening-1"}
    posted = send(client_a, api_body(proposal, counter_account="310401"), **headers)
    assert posted.status_code == 201, posted.content
    body = posted.json()
    assert (body["number"], body["memo"], body["source_type"], body["total"]) == ("202608-0001", "期初余额", "opening",
                                                                                    "1700.00")  # fmt: skip
    assert [(line["account"], line["partner"]) for line in body["lines"]][:4] == [
        ("1405", None), ("1122", world_a.shop.customer.pk), ("1122", world_a.prepaid.pk),
        ("2202", world_a.shop.supplier.pk),
    ]  # fmt: skip
    replay = send(client_a, api_body(proposal, counter_account="310401"), **headers)
    assert replay.status_code == 201 and replay.json()["id"] == body["id"]
    twice = send(client_a, api_body(proposal, counter_account="310401"), **writer)
    assert failure(twice) == (409, "opening_exists", "as_of") and "202608-0001" in twice.json()["message"]
    assert opening_count(tenant_a) == 1
    assert client_a.get(URL, **reader).json()["posted"] == {"id": body["id"], "number": "202608-0001"}
    in_a(tenant_a, assert_ledgers_equal_books)


def test_api_roles_a_clerk_cannot_an_accountant_can(client_a, tenant_a, world_a):
    reader = auth(make_key(tenant_a, scopes=("finance:read",))[1])
    proposal = client_a.get(URL, **reader).json()
    login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    assert send(client_a, api_body(proposal, counter_account="310401")).status_code == 403
    assert opening_count(tenant_a) == 0
    login(client_a, tenant_a, make_user(tenant_a, "acct@alpha.test", Role.ACCOUNTANT))
    posted = send(client_a, api_body(proposal, counter_account="3001"))
    assert posted.status_code == 201, posted.content
    assert posted.json()["created_by"] == "acct@alpha.test"
    assert posted.json()["lines"][-1]["account"] == "3001"  # the difference on paid-in capital, as chosen


def test_api_a_stale_proposal_is_refused(client_a, tenant_a, world_a):
    writer = auth(make_key(tenant_a, scopes=("finance:read", "finance:write"))[1])
    proposal = client_a.get(URL, **writer).json()
    with schema_context(tenant_a.schema_name), transaction.atomic():  # more legacy stock, after the proposal
        tea = catalog.item_create(code="TEA", name="茶", base_unit=world_a.shop.bottle, max_items=None)
        stock_moves_post(
            lines=[MoveLine(tea, world_a.shop.main, D("1"), D("7.00"))],
            posted_at=datetime(2026, 8, 21, 10, tzinfo=ZoneInfo(TZ)), source_type="legacy_stock", source_id=2,
        )  # fmt: skip
    stale = send(client_a, api_body(proposal, counter_account="310401"), **writer)
    assert failure(stale) == (409, "ledger_mismatch", "lines.0.amount")
    assert "207.00" in stale.json()["message"]
    assert opening_count(tenant_a) == 0


def test_api_isolation(client_a, client_b, tenant_a, tenant_b, world_a):
    key_b = auth(make_key(tenant_b, scopes=("finance:read", "finance:write"))[1])
    mine = client_b.get(URL, **key_b).json()
    assert mine["lines"][0]["amount"] == "0.00" and len(mine["lines"]) == 1  # beta has no stock, no partners
    assert client_a.get(URL, **key_b).status_code in (401, 403)  # beta's key does not open alpha
    assert send(client_a, {"as_of": "2026-08-31", "lines": []}, **key_b).status_code in (401, 403)
    alpha_customer = world_a.shop.customer.pk
    intruding = send(
        client_b,
        {"as_of": "2026-08-31", "counter_account": "310401",
         "lines": [{"account": "1122", "amount": "500.00", "partner": alpha_customer}]},
        **key_b,
    )  # fmt: skip
    assert intruding.status_code == 400 and intruding.json()["field"].startswith("lines.0.partner")
    assert opening_count(tenant_a) == 0 and opening_count(tenant_b) == 0


# ---------------------------------------------------------------------------------------------------- web


def form_data(proposal, **extra) -> dict:
    data = {"as_of": proposal.as_of.isoformat(), "other-1002": "1000.00", "other-3001": "1000.00"}
    for index, line in enumerate(proposal.ledger_lines):
        data[f"ledger-{index}-account"] = line.account.code
        data[f"ledger-{index}-partner"] = str(line.partner.pk) if line.partner else ""
        data[f"ledger-{index}-amount"] = str(line.amount)
    data.update(extra)
    return data


def test_the_page_in_chinese_and_english_then_post_from_it(client_a, tenant_a, owner_a, world_a):
    login(client_a, tenant_a, owner_a)
    assert 'href="/finance/opening/"' in client_a.get("/finance/").content.decode()
    page = client_a.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    for words in ("<h1>期初余额 <small>2026-08-31</small>", "1405 库存商品", "K1 客户", "K2 预付客户", "S1 供应商",
                  "200.00", "利润分配", 'name="other-1001"', 'id="post-opening"'):  # fmt: skip
        assert words in text, words
    english = client_a.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Opening balances" in english and "1405 Merchandise inventory" in english and "期初余额 " not in english
    proposal = in_a(tenant_a, lambda: opening.opening_balances_proposal(today=TODAY))

    unbalanced = client_a.post(PAGE, form_data(proposal))
    text = unbalanced.content.decode()
    assert unbalanced.status_code == 400 and 'data-code="unbalanced"' in text and "相差 350.00" in text
    bad = client_a.post(PAGE, form_data(proposal, **{"other-1001": "abc", "use_counter": "1",
                                                      "counter_account": "310401"}))  # fmt: skip
    text = bad.content.decode()
    assert bad.status_code == 400 and 'data-code="invalid_number"' in text and "（1001）：" in text
    assert '<tr data-account="1001" data-side="debit" class="error" aria-invalid="true">' in text
    assert opening_count(tenant_a) == 0

    posted = client_a.post(PAGE, form_data(proposal, use_counter="1", counter_account="310401"))
    assert posted.status_code == 302 and posted.url == f"{PAGE}?as_of=2026-08-31"
    entry = in_a(tenant_a, lambda: JournalEntry.objects.get(source_type="opening"))
    after = client_a.get(posted.url).content.decode()
    assert f'href="/finance/vouchers/{entry.pk}"' in after and entry.number in after and "post-opening" not in after
    assert in_a(tenant_a, lambda: entry_lines(entry))[-1] == ("310401", D("0.00"), D("350.00"), None, "期初余额差额")
    again = client_a.post(PAGE, form_data(proposal, use_counter="1", counter_account="310401"))
    assert again.status_code == 409 and opening_count(tenant_a) == 1
    reversed_ = client_a.post("/finance/opening/reverse", {"as_of": "2026-08-31", "date": "2026-08-31"})
    assert reversed_.status_code == 302
    assert in_a(tenant_a, lambda: JournalEntry.objects.filter(reverses=entry).exists())
    assert 'id="post-opening"' in client_a.get(posted.url).content.decode()


def test_the_page_for_who_may_and_who_may_not(client_a, client_b, tenant_a, tenant_b, owner_b, world_a):
    login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    assert client_a.get(PAGE).status_code == 403
    proposal = in_a(tenant_a, lambda: opening.opening_balances_proposal(today=TODAY))
    assert client_a.post(PAGE, form_data(proposal, use_counter="1", counter_account="310401")).status_code == 403
    assert client_a.post("/finance/opening/reverse", {"as_of": "2026-08-31", "date": "2026-08-31"}).status_code == 403
    assert opening_count(tenant_a) == 0
    # Beta's owner sees beta's books only, and alpha's partner ids name nobody there.
    login(client_b, tenant_b, owner_b)
    page = client_b.get(PAGE).content.decode()
    assert "K1 客户" not in page and "预付客户" not in page and 'id="opening-reconciles"' in page
    intruding = client_b.post(PAGE, form_data(proposal, use_counter="1", counter_account="310401"))
    assert intruding.status_code in (400, 409)
    assert opening_count(tenant_a) == 0 and opening_count(tenant_b) == 0
