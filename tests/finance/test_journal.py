"""The journal: posting for documents, manual vouchers with a second person's approval, reversal (红冲),
attachments; balance and immutability enforced by the service and by the database."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from jxc.kernel.errors import AppError
from modules.finance import selectors, services
from modules.finance.models import AccountPeriodTotal, Attachment, JournalEntry, JournalLine
from modules.finance.services import LineInput
from modules.identity.roles import Role
from tests.finance.conftest import D, acct, immediate_constraints, make_user, post

DAY = date(2026, 3, 10)


def books_state() -> tuple:
    return (
        sorted(JournalEntry.objects.values_list("id", "number", "status")),
        sorted(JournalLine.objects.values_list("entry_id", "account__code", "debit", "credit")),
        sorted(AccountPeriodTotal.objects.values_list("account__code", "debit", "credit")),
    )


def test_post_numbers_per_period_and_keeps_totals(books):
    first = post(DAY, ("1405", "100.00", ""), ("22210101", "13.00", ""), ("2202", "", "113.00"), source_id=7)
    second = post(DAY, ("1001", "50", ""), ("5001", "", "50"))
    april = post(date(2026, 4, 1), ("1001", "1", ""), ("5001", "", "1"))
    assert (first.number, second.number, april.number) == ("202603-0001", "202603-0002", "202604-0001")
    assert (first.status, first.source_type, first.source_id, first.total) == ("posted", "test", 7, D("113.00"))
    assert [(line.account.code, line.debit, line.credit) for line in first.lines.order_by("position")] == [
        ("1405", D("100.00"), D("0.00")),
        ("22210101", D("13.00"), D("0.00")),
        ("2202", D("0.00"), D("113.00")),
    ]
    total = AccountPeriodTotal.objects.get(account__code="1001", period=second.period)
    assert (total.debit, total.credit) == (D("50.00"), D("0.00"))


@pytest.mark.parametrize(
    ("lines", "code", "field"),
    [
        ([("1001", "10", ""), ("5001", "", "9")], "unbalanced", "lines"),
        ([("1001", "10", "")], "no_lines", "lines"),
        ([("1001", "10", "10"), ("5001", "", "0")], "one_side", "lines.0.debit"),
        ([("1001", "", ""), ("5001", "", "10")], "one_side", "lines.0.debit"),
        ([("1001", "10", ""), ("9999", "", "10")], "unknown_account", "lines.1.account"),
        ([("2221", "10", ""), ("1001", "", "10")], "not_postable", "lines.0.account"),
        ([("1001", "1.005", ""), ("5001", "", "1.005")], "too_many_places", "lines.0.debit"),
        ([("1001", "abc", ""), ("5001", "", "1")], "invalid_number", "lines.0.debit"),
        ([("", "1", ""), ("5001", "", "1")], "required", "lines.0.account"),
    ],
)
def test_bad_lines_are_refused_naming_the_line(books, lines, code, field):
    before = books_state()
    with pytest.raises(AppError) as error:
        post(DAY, *lines)
    assert (error.value.code, error.value.field) == (code, field)
    assert books_state() == before


def test_a_datetime_is_not_a_date(books):
    from datetime import datetime

    with pytest.raises(AppError) as error:
        post(datetime(2026, 3, 10, 12), ("1001", "1", ""), ("5001", "", "1"))
    assert (error.value.code, error.value.field) == ("invalid_date", "date")
    assert not JournalEntry.objects.exists()


def test_a_document_must_name_its_source_type(books):
    before = books_state()
    with pytest.raises(ValueError), transaction.atomic():
        services.journal_entry_post(
            date=DAY, lines=[LineInput("1001", "1"), LineInput("5001", None, "1")], source_type=""
        )
    assert books_state() == before


def test_database_refuses_an_unbalanced_posted_entry(books):
    entry = post(DAY, ("1001", "10", ""), ("5001", "", "10"))
    with pytest.raises(IntegrityError, match="posted"), transaction.atomic():
        JournalLine.objects.filter(entry=entry).update(debit=D("11"))
    draft = services.voucher_create(
        date=DAY, lines=[LineInput("1001", "5"), LineInput("5001", None, "5")], created_by=None
    )
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        JournalLine.objects.filter(entry=draft, account__code="1001").update(debit=D("6"))
        JournalEntry.objects.filter(pk=draft.pk).update(status="posted", number="X-1")
        immediate_constraints()
    # A draft may be unbalanced in between; the check is on posted entries.
    with transaction.atomic():
        JournalLine.objects.filter(entry=draft, account__code="1001").update(debit=D("6"))
        immediate_constraints()
        JournalLine.objects.filter(entry=draft, account__code="1001").update(debit=D("5"))


def test_posted_entries_and_lines_are_immutable_in_the_database(books):
    entry = post(DAY, ("1001", "10", ""), ("5001", "", "10"))
    for attempt in (
        lambda: JournalEntry.objects.filter(pk=entry.pk).update(memo="changed"),
        lambda: JournalEntry.objects.filter(pk=entry.pk).delete(),
        lambda: JournalLine.objects.filter(entry=entry).delete(),
        lambda: JournalLine.objects.filter(entry=entry).update(memo="x"),
        lambda: JournalLine.objects.create(entry=entry, account=acct("1001"), debit=D("0"), credit=D("1")),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    assert JournalEntry.objects.get(pk=entry.pk).memo == ""


def test_manual_voucher_needs_a_second_person_to_post(books, owner_a, accountant_a):
    lines = [LineInput("5602", "300", memo="办公用品"), LineInput("1001", None, "300")]
    draft = services.voucher_create(date=DAY, lines=lines, memo="买办公用品", created_by=accountant_a)
    assert (draft.status, draft.number, draft.source_type) == ("draft", "", "manual")
    assert not AccountPeriodTotal.objects.exists()  # drafts count nowhere
    with pytest.raises(AppError) as error:
        services.voucher_post(entry=draft, acting_user=accountant_a)
    assert (error.value.code, error.value.status_code) == ("same_user", 403)
    posted = services.voucher_post(entry=draft, acting_user=owner_a)
    assert (posted.status, posted.number, posted.posted_by_id) == ("posted", "202603-0001", owner_a.pk)
    with pytest.raises(AppError) as error:
        services.voucher_post(entry=draft, acting_user=owner_a)
    assert error.value.code == "wrong_status"


def test_a_role_without_the_permission_cannot_approve(books, tenant_a, accountant_a):
    clerk = make_user(tenant_a, "sales@alpha.test", Role.SALES)
    draft = services.voucher_create(
        date=DAY, lines=[LineInput("1001", "1"), LineInput("5001", None, "1")], created_by=accountant_a
    )
    with pytest.raises(AppError) as error:
        services.voucher_post(entry=draft, acting_user=clerk)
    assert (error.value.code, error.value.status_code) == ("not_allowed", 403)
    assert JournalEntry.objects.get(pk=draft.pk).status == "draft"


def test_draft_can_be_changed_and_deleted_posted_cannot(books, owner_a, accountant_a):
    draft = services.voucher_create(
        date=DAY, lines=[LineInput("1001", "1"), LineInput("5001", None, "1")], created_by=accountant_a
    )
    services.voucher_update(
        entry=draft,
        date=date(2026, 3, 12),
        memo="改",
        lines=[LineInput("1002", "2"), LineInput("5001", None, "2")],
        edited_by=accountant_a,
    )
    draft.refresh_from_db()
    assert (draft.date, draft.memo, draft.total) == (date(2026, 3, 12), "改", D("2.00"))
    assert list(draft.lines.values_list("account__code", flat=True)) == ["1002", "5001"]
    services.voucher_post(entry=draft, acting_user=owner_a)
    with pytest.raises(AppError) as error:
        services.voucher_update(
            entry=draft, date=DAY, lines=[LineInput("1002", "2"), LineInput("5001", None, "2")], edited_by=owner_a
        )
    assert error.value.code == "wrong_status"
    with pytest.raises(AppError):
        services.voucher_delete(entry=draft)
    other = services.voucher_create(
        date=DAY, lines=[LineInput("1001", "1"), LineInput("5001", None, "1")], created_by=accountant_a
    )
    services.voucher_delete(entry=other)
    assert not JournalEntry.objects.filter(pk=other.pk).exists()


def test_reversal_in_red_figures_once(books, owner_a, accountant_a):
    draft = services.voucher_create(
        date=DAY, lines=[LineInput("5602", "80"), LineInput("1001", None, "80")], created_by=accountant_a
    )
    original = services.voucher_post(entry=draft, acting_user=owner_a)
    reversal = services.journal_entry_reverse(entry=original, date=date(2026, 3, 20), acting_user=owner_a)
    assert (reversal.reverses_id, reversal.number) == (original.pk, "202603-0002")
    assert reversal.memo == "红冲 202603-0001"  # the shop's language
    assert sorted(reversal.lines.values_list("account__code", "debit", "credit")) == [
        ("1001", D("0.00"), D("-80.00")),
        ("5602", D("-80.00"), D("0.00")),
    ]
    balances = selectors.account_net_balances(date_to=date(2026, 3, 31))
    assert balances[acct("5602").pk] == 0 and balances[acct("1001").pk] == 0
    with pytest.raises(AppError) as error:
        services.journal_entry_reverse(entry=original, date=DAY, acting_user=owner_a)
    assert error.value.code == "already_reversed"
    with pytest.raises(AppError) as error:
        services.journal_entry_reverse(entry=reversal, date=DAY, acting_user=owner_a)
    assert error.value.code == "wrong_status"


def test_documents_entries_are_reversed_through_the_document(books, owner_a):
    entry = post(
        DAY, ("1122", "113", ""), ("5001", "", "100"), ("22210102", "", "13"), source_type="sales_invoice", source_id=5
    )
    with pytest.raises(AppError) as error:
        services.journal_entry_reverse(entry=entry, date=DAY, acting_user=owner_a)
    assert error.value.code == "document_entry"
    with transaction.atomic():
        [reversal] = services.journal_entries_reverse(source_type="sales_invoice", source_id=5, date=DAY)
    assert (reversal.reverses_id, reversal.source_type, reversal.source_id) == (entry.pk, "sales_invoice", 5)
    with pytest.raises(AppError) as error, transaction.atomic():
        services.journal_entries_reverse(source_type="sales_invoice", source_id=5, date=DAY)
    assert error.value.code == "nothing_to_reverse"


def test_attachments_stay_with_the_voucher(books, accountant_a):
    draft = services.voucher_create(
        date=DAY, lines=[LineInput("1001", "1"), LineInput("5001", None, "1")], created_by=accountant_a
    )
    attachment = services.attachment_add(
        entry=draft,
        filename="../发票.pdf",
        content_type="application/pdf",
        data=b"%PDF-1.4 x",
        uploaded_by=accountant_a,
    )
    assert (attachment.filename, attachment.size, len(attachment.sha256)) == (".._发票.pdf", 10, 64)
    with pytest.raises(AppError) as error:
        services.attachment_add(
            entry=draft, filename="big", content_type="x", data=b"0" * (5 * 1024 * 1024 + 1), uploaded_by=None
        )
    assert (error.value.code, error.value.field) == ("file_too_large", "file")
    with pytest.raises(AppError):
        services.attachment_add(entry=draft, filename="empty", content_type="x", data=b"", uploaded_by=None)
    assert Attachment.objects.filter(entry=draft).count() == 1
