"""Writes to the books, one transaction each: sub-accounts, journal entries (posted by documents through
`journal_entry_post`, or keyed in as vouchers, approved by a second person), reversals (红冲), attachments,
and closing (月结) or reopening a period, with the year-end carry of profit into 本年利润 and 利润分配.

The contract for documents is in docs/finance.md: call `journal_entry_post` inside the document's own
transaction; it raises AppError (nothing written) on bad lines or a closed period.
"""

import calendar
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError, Conflict, PermissionDenied
from jxc.kernel.numbers import CENTS, decimal_parse
from modules.finance import selectors
from modules.finance.chart import PROFIT_OF_YEAR, RETAINED_EARNINGS
from modules.finance.enums import (
    CLOSING,
    MANUAL,
    AccountType,
    EntryStatus,
    ErrorCode,
    PeriodAction,
    PeriodStatus,
    TaxpayerKind,
)
from modules.finance.models import (
    Account,
    AccountPeriodTotal,
    Attachment,
    JournalEntry,
    JournalLine,
    Period,
    PeriodEvent,
    VatSettings,
)
from modules.identity.access import user_role
from modules.identity.roles import Role
from modules.partners.models import Partner

MONEY_LIMIT = Decimal("1e12")
MEMO_MAX = 200
NAME_MAX = 80
REASON_MAX = 500
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
POST_PERMISSION = "finance.post_journalentry"
PREPARE_PERMISSION = "finance.add_journalentry"
CLOSE_PERMISSION = "finance.close_period"


@dataclass(frozen=True)
class LineInput:
    """One line: an account (the object or its code), an amount on exactly one side, optionally a partner."""

    account: Account | str | None
    debit: Decimal | str | None = None
    credit: Decimal | str | None = None
    partner: Partner | None = None
    memo: str = ""


# ---------------------------------------------------------------------------------------------- accounts


def account_create(*, parent: Account | None, code: str, name_zh: str, name_en: str = "") -> Account:
    """A sub-account two digits below `parent` (2202 → 220201), of the parent's type and side.

    The parent stops taking lines (its balance becomes the sum of its sub-accounts), so a parent that
    already has lines is refused: move its balance to a sub-account first would leave history split."""
    code = (code or "").strip()
    name_zh = (name_zh or "").strip()
    name_en = (name_en or "").strip() or name_zh
    if parent is None:
        raise AppError(ErrorCode.REQUIRED, _("Choose the account to add a sub-account to."), field="parent")
    if not name_zh:
        raise AppError(ErrorCode.REQUIRED, _("Enter the account's name."), field="name_zh")
    if len(name_zh) > NAME_MAX or len(name_en) > NAME_MAX:
        raise AppError(ErrorCode.TOO_LONG, _("At most %(n)s characters.") % {"n": NAME_MAX}, field="name_zh")
    if not (len(code) == len(parent.code) + 2 and code.startswith(parent.code) and code.isdigit()):
        raise AppError(
            ErrorCode.INVALID_CODE,
            _("A sub-account of %(parent)s has the code %(parent)s followed by two digits, e.g. %(example)s.")
            % {"parent": parent.code, "example": f"{parent.code}01"},
            field="code",
        )
    with transaction.atomic():
        parent = Account.objects.select_for_update().get(pk=parent.pk)
        if not parent.is_active:
            raise AppError(
                ErrorCode.INACTIVE, _("Account %(code)s is inactive.") % {"code": parent.code}, field="parent"
            )
        if Account.objects.filter(code=code).exists():
            raise AppError(ErrorCode.CODE_TAKEN, _("Account %(code)s exists already.") % {"code": code}, field="code")
        if parent.is_leaf and JournalLine.objects.filter(account=parent).exists():
            raise AppError(
                ErrorCode.ACCOUNT_USED,
                _("Account %(code)s has journal lines: sub-accounts can only be added below an unused account.")
                % {"code": parent.code},
                field="parent",
            )
        account = Account.objects.create(
            code=code, name_zh=name_zh, name_en=name_en, type=parent.type, side=parent.side, parent=parent
        )
        if parent.is_leaf:
            parent.is_leaf = False
            parent.save(update_fields=["is_leaf"])
    return account


def account_delete(*, account: Account) -> None:
    """Remove an account the shop added and never used; template accounts and used ones stay."""
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        if account.is_template:
            raise Conflict(
                ErrorCode.TEMPLATE_ACCOUNT,
                _("Account %(code)s is part of the standard chart and cannot be deleted.") % {"code": account.code},
            )
        if account.children.exists():
            raise Conflict(
                ErrorCode.ACCOUNT_USED,
                _("Account %(code)s has sub-accounts: delete them first.") % {"code": account.code},
            )
        if JournalLine.objects.filter(account=account).exists():
            raise Conflict(
                ErrorCode.ACCOUNT_USED,
                _("Account %(code)s has journal lines and cannot be deleted; deactivate it instead.")
                % {"code": account.code},
            )
        parent = account.parent
        account.delete()
        if parent is not None and not parent.children.exists():
            parent.is_leaf = True
            parent.save(update_fields=["is_leaf"])


def account_set_active(*, account: Account, active: bool) -> Account:
    Account.objects.filter(pk=account.pk).update(is_active=bool(active))
    account.is_active = bool(active)
    return account


# ----------------------------------------------------------------------------------------------- periods


def month_end(on: date) -> date:
    return on.replace(day=calendar.monthrange(on.year, on.month)[1])


def period_get(on: date) -> Period:
    """The period (month) of `on`, created when first needed."""
    period, _created = Period.objects.get_or_create(
        year=on.year, month=on.month, defaults={"start": on.replace(day=1), "end": month_end(on)}
    )
    return period


def periods_ensure(*, until: date) -> list[Period]:
    """Every month from the first period (or `until`'s, when there is none) to `until`'s exists."""
    first = Period.objects.order_by("year", "month").first()
    on = first.start if first else until.replace(day=1)
    while on <= until:
        period_get(on)
        on = month_end(on) + timedelta(days=1)
    return list(Period.objects.order_by("year", "month"))


def closed_through(on: date) -> Period | None:
    """The closed period that makes `on` unpostable: its own, or any later one (closed months are a prefix)."""
    return Period.objects.filter(status=PeriodStatus.CLOSED, end__gte=on).order_by("year", "month").first()


def _date_check(on: date, field: str = "date") -> None:
    if not isinstance(on, date) or isinstance(on, datetime):
        raise AppError(ErrorCode.INVALID_DATE, _("Enter a date."), field=field)


def _period_for_posting(on: date, field: str = "date") -> Period:
    """The period of `on`, locked (numbers are given under this lock and closing takes it too)."""
    _date_check(on, field)
    period = Period.objects.select_for_update().filter(year=on.year, month=on.month).first()
    if period is None:
        period_get(on)
        period = Period.objects.select_for_update().get(year=on.year, month=on.month)
    closed = period if period.is_closed else closed_through(on)
    if closed is not None:
        raise AppError(
            ErrorCode.PERIOD_CLOSED,
            _("The books for %(date)s are closed (period %(period)s): post into an open period or ask the owner "
              "to reopen it.") % {"date": on.isoformat(), "period": str(closed)},
            field=field,
            status=409,
        )  # fmt: skip
    return period


def posting_date_check(*, on: date, field: str = "date") -> None:
    """Refuse (409 period_closed, naming the date) a document dated in a closed month that books no entry —
    a transfer, goods worth nothing: its stock moves are dated in that month all the same. Inside the
    document's transaction (the period's row lock is taken as a posting would take it)."""
    _period_for_posting(on, field)


# ------------------------------------------------------------------------------------------------ journal


def line_account(value: Account | str | None, field: str, n: int) -> Account:
    """The postable account a voucher's line `n` names (an Account or its code); refused naming `field`."""
    if isinstance(value, Account):
        account = value
    elif value:
        account = Account.objects.filter(code=str(value).strip()).first()
        if account is None:
            raise AppError(
                ErrorCode.UNKNOWN_ACCOUNT,
                _("Line %(n)s: there is no account %(code)s.") % {"n": n, "code": value},
                field=field,
            )
    else:
        raise AppError(ErrorCode.REQUIRED, _("Line %(n)s: choose an account.") % {"n": n}, field=field)
    if not account.is_leaf:
        raise AppError(
            ErrorCode.NOT_POSTABLE,
            _("Line %(n)s: account %(code)s has sub-accounts; post to one of them.") % {"n": n, "code": account.code},
            field=field,
        )
    if not account.is_active:
        raise AppError(
            ErrorCode.INACTIVE,
            _("Line %(n)s: account %(code)s is inactive.") % {"n": n, "code": account.code},
            field=field,
        )
    return account


def _amount(value, field: str) -> Decimal:
    if value in (None, ""):
        return Decimal("0.00")
    return decimal_parse(value, field=field, places=CENTS, limit=MONEY_LIMIT)


def lines_clean(lines: list[LineInput]) -> list[JournalLine]:
    """The lines as unsaved JournalLines; refuses (naming the line) an unknown or non-postable account, an
    amount on both sides or none, and a voucher whose debits and credits differ."""
    if not lines or len(lines) < 2:
        raise AppError(ErrorCode.NO_LINES, _("An entry needs at least two lines."), field="lines")
    clean = []
    for index, line in enumerate(lines):
        prefix, n = f"lines.{index}", index + 1
        account = line_account(line.account, f"{prefix}.account", n)
        debit = _amount(line.debit, f"{prefix}.debit")
        credit = _amount(line.credit, f"{prefix}.credit")
        if (debit == 0) == (credit == 0):
            raise AppError(
                ErrorCode.ONE_SIDE,
                _("Line %(n)s: enter an amount as either a debit or a credit.") % {"n": n},
                field=f"{prefix}.debit",
            )
        memo = (line.memo or "").strip()
        if len(memo) > MEMO_MAX:
            raise AppError(ErrorCode.TOO_LONG, _("At most %(n)s characters.") % {"n": MEMO_MAX}, field=f"{prefix}.memo")
        clean.append(
            JournalLine(position=index, account=account, debit=debit, credit=credit, partner=line.partner, memo=memo)
        )
    debits = sum((line.debit for line in clean), Decimal(0))
    credits = sum((line.credit for line in clean), Decimal(0))
    if debits != credits:
        raise AppError(
            ErrorCode.UNBALANCED,
            _("Debits (%(debits)s) and credits (%(credits)s) must be equal.") % {"debits": debits, "credits": credits},
            field="lines",
        )
    return clean


def _memo(memo: str) -> str:
    memo = (memo or "").strip()
    if len(memo) > MEMO_MAX:
        raise AppError(ErrorCode.TOO_LONG, _("At most %(n)s characters.") % {"n": MEMO_MAX}, field="memo")
    return memo


def _account_sums(lines: list[JournalLine]) -> dict[int, list[Decimal]]:
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for line in lines:
        sums[line.account_id][0] += line.debit
        sums[line.account_id][1] += line.credit
    return sums


def _totals_add(entry: JournalEntry, lines: list[JournalLine]) -> None:
    """Add a posted entry's lines to the per-account, per-period totals (rows locked in account order)."""
    sums = _account_sums(lines)
    accounts = sorted(sums)
    table = AccountPeriodTotal._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (account_id, period_id, debit, credit)"
            f" SELECT u.a, %s, u.d, u.c FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[]) AS u(a, d, c)"
            f" ORDER BY u.a ON CONFLICT (period_id, account_id) DO UPDATE"
            f" SET debit = {table}.debit + EXCLUDED.debit, credit = {table}.credit + EXCLUDED.credit",
            [entry.period_id, accounts, [sums[a][0] for a in accounts], [sums[a][1] for a in accounts]],
        )


def _post(entry: JournalEntry, lines: list[JournalLine], posted_by=None, period: Period | None = None) -> JournalEntry:
    """Number the entry in its (locked, open) period, flip it to posted and add it to the totals. The lines
    are saved already (the database refuses lines added to a posted entry). `period`: the entry's period,
    locked and checked open by the caller in this transaction already."""
    period = period or _period_for_posting(entry.date)
    period.last_number += 1
    period.save(update_fields=["last_number"])
    entry.period = period
    entry.number = f"{period.year}{period.month:02d}-{period.last_number:04d}"
    entry.status = EntryStatus.POSTED
    entry.posted_by = posted_by
    entry.posted_at = timezone.now()
    entry.save(update_fields=["period", "number", "status", "posted_by", "posted_at"])
    _totals_add(entry, lines)
    return entry


def _entry_create(
    *,
    on: date,
    clean: list[JournalLine],
    memo: str,
    source_type: str,
    source_id,
    created_by,
    reverses=None,
    period=None,
):
    if not isinstance(on, date) or isinstance(on, datetime):
        raise AppError(ErrorCode.INVALID_DATE, _("Enter a date."), field="date")
    entry = JournalEntry.objects.create(
        period=period or period_get(on),
        date=on,
        memo=memo,
        source_type=source_type,
        source_id=source_id,
        created_by=created_by,
        reverses=reverses,
        total=sum((line.debit for line in clean), Decimal(0)),
    )
    for line in clean:
        line.entry = entry
    JournalLine.objects.bulk_create(clean)
    return entry


def journal_entry_post(
    *,
    date: date,
    lines: list[LineInput],
    memo: str = "",
    source_type: str,
    source_id: int | None = None,
    created_by=None,
) -> JournalEntry:
    """Post a balanced entry at once — what documents call, inside their own transaction, so the document
    and its entry commit or roll back together. Refused (AppError, nothing written) when a line is bad, the
    entry does not balance, or the date's period is closed (409 period_closed, naming the date)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("journal_entry_post must run inside the posting document's transaction")
    if not source_type or len(source_type) > 32:
        raise ValueError("journal_entry_post needs a source_type of 1 to 32 characters")
    _date_check(date)
    clean = lines_clean(lines)
    memo = _memo(memo)
    # Every refusal above comes before anything is written; the statements below either write the whole
    # entry or fail the document's transaction, so no savepoint is needed.
    entry = _entry_post_fast(on=date, clean=clean, memo=memo, source_type=source_type, source_id=source_id,
                             created_by=created_by)  # fmt: skip
    if entry is None:  # the month has no period yet, or it (or a later one) is closed: create it, or refuse
        _period_for_posting(date)
        entry = _entry_post_fast(on=date, clean=clean, memo=memo, source_type=source_type, source_id=source_id,
                                 created_by=created_by)  # fmt: skip
        if entry is None:  # pragma: no cover - the period is locked and open in this transaction now
            raise RuntimeError(f"the period of {date} is locked and open, yet could not be posted into")
    return entry


# One statement: the period's number taken under its row lock (only when the period exists, is open and no
# later period is closed: closed months are a prefix, and closing takes this row's lock), the entry as a
# draft carrying its number, and its lines (the line guard sees a draft entry, or none yet).
_ENTRY_POST_SQL = """
WITH p AS (
    UPDATE finance_period SET last_number = last_number + 1
    WHERE year = %(year)s AND month = %(month)s AND status <> 'closed'
      AND NOT EXISTS (SELECT 1 FROM finance_period c WHERE c.status = 'closed' AND c."end" >= %(on)s)
    RETURNING id, last_number
), e AS (
    INSERT INTO finance_journalentry (period_id, number, date, memo, source_type, source_id, status, reverses_id,
                                      total, created_by_id, posted_by_id, created_at, posted_at)
    SELECT p.id, %(prefix)s || lpad(p.last_number::text, greatest(4, length(p.last_number::text)), '0'),
           %(on)s, %(memo)s, %(source_type)s, %(source_id)s, 'draft', NULL, %(total)s, %(created_by)s, NULL,
           %(now)s, NULL
    FROM p
    RETURNING id, period_id, number
), l AS (
    INSERT INTO finance_journalline (entry_id, position, account_id, debit, credit, partner_id, memo)
    SELECT e.id, u.position, u.account_id, u.debit, u.credit, u.partner_id, u.memo
    FROM e, unnest(%(positions)s::int[], %(accounts)s::bigint[], %(debits)s::numeric[], %(credits)s::numeric[],
                   %(partners)s::bigint[], %(memos)s::text[])
         WITH ORDINALITY AS u(position, account_id, debit, credit, partner_id, memo, n)
    ORDER BY u.n
)
SELECT id, period_id, number FROM e
"""

# Then posted (the entry guard checks the period again) and added to the period totals, accounts in order.
_ENTRY_FLIP_SQL = """
WITH t AS (
    INSERT INTO finance_accountperiodtotal (account_id, period_id, debit, credit)
    SELECT u.a, %(period)s, u.d, u.c FROM unnest(%(accounts)s::bigint[], %(debits)s::numeric[],
                                                  %(credits)s::numeric[]) AS u(a, d, c)
    ORDER BY u.a
    ON CONFLICT (period_id, account_id) DO UPDATE
    SET debit = finance_accountperiodtotal.debit + EXCLUDED.debit,
        credit = finance_accountperiodtotal.credit + EXCLUDED.credit
)
UPDATE finance_journalentry SET status = 'posted', posted_by_id = %(posted_by)s, posted_at = %(now)s
WHERE id = %(entry)s
"""


def _entry_post_fast(
    *, on: date, clean: list[JournalLine], memo: str, source_type: str, source_id, created_by
) -> JournalEntry | None:
    """Number, write and post the entry in two statements; None (nothing written) when its period does not
    exist yet or cannot take it (closed, or a later period is)."""
    now = timezone.now()
    total = sum((line.debit for line in clean), Decimal(0))
    created_by_id = created_by.pk if created_by is not None else None
    with connection.cursor() as cursor:
        cursor.execute(
            _ENTRY_POST_SQL,
            {
                "year": on.year, "month": on.month, "on": on, "prefix": f"{on.year}{on.month:02d}-",
                "memo": memo, "source_type": source_type, "source_id": source_id, "total": total,
                "created_by": created_by_id, "now": now,
                "positions": [line.position for line in clean], "accounts": [line.account_id for line in clean],
                "debits": [line.debit for line in clean], "credits": [line.credit for line in clean],
                "partners": [line.partner_id for line in clean], "memos": [line.memo for line in clean],
            },
        )  # fmt: skip
        row = cursor.fetchone()
        if row is None:
            return None
        entry_id, period_id, number = row
        sums = _account_sums(clean)
        accounts = sorted(sums)
        cursor.execute(
            _ENTRY_FLIP_SQL,
            {
                "period": period_id, "accounts": accounts, "debits": [sums[a][0] for a in accounts],
                "credits": [sums[a][1] for a in accounts], "posted_by": created_by_id, "now": now, "entry": entry_id,
            },
        )  # fmt: skip
    entry = JournalEntry(
        id=entry_id, period_id=period_id, number=number, date=on, memo=memo, source_type=source_type,
        source_id=source_id, status=EntryStatus.POSTED, reverses=None, total=total, created_by=created_by,
        posted_by=created_by, created_at=now, posted_at=now,
    )  # fmt: skip
    entry._state.adding = False
    entry._state.db = connection.alias
    for line in clean:
        line.entry = entry
    return entry


def voucher_create(*, date: date, lines: list[LineInput], memo: str = "", created_by) -> JournalEntry:
    """A manual voucher (记账凭证) as a draft; another user approves and posts it."""
    clean = lines_clean(lines)
    memo = _memo(memo)
    with transaction.atomic():
        _period_for_posting(date)
        return _entry_create(on=date, clean=clean, memo=memo, source_type=MANUAL, source_id=None, created_by=created_by)


def _locked_entry(entry: JournalEntry) -> JournalEntry:
    return JournalEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)


def _require_draft(entry: JournalEntry, message: str) -> None:
    if entry.status != EntryStatus.DRAFT:
        raise Conflict(ErrorCode.WRONG_STATUS, message, field="status")


def voucher_update(
    *, entry: JournalEntry, date: date, lines: list[LineInput], memo: str = "", edited_by
) -> JournalEntry:
    """Replace a draft voucher's date, memo and lines. Whoever changes it becomes its preparer (None for an
    API key): the person approving must not have written what they approve."""
    clean = lines_clean(lines)
    memo = _memo(memo)
    with transaction.atomic():
        entry = _locked_entry(entry)
        _require_draft(entry, _("Only a draft voucher can be changed."))
        period = _period_for_posting(date)
        entry.lines.all().delete()
        entry.date, entry.memo, entry.period, entry.created_by = date, memo, period, edited_by
        entry.total = sum((line.debit for line in clean), Decimal(0))
        entry.save(update_fields=["date", "memo", "period", "total", "created_by"])
        for line in clean:
            line.entry = entry
        JournalLine.objects.bulk_create(clean)
    return entry


def voucher_delete(*, entry: JournalEntry) -> None:
    with transaction.atomic():
        entry = _locked_entry(entry)
        _require_draft(entry, _("Only a draft voucher can be deleted; reverse a posted one."))
        entry.attachments.all().delete()
        entry.lines.all().delete()
        entry.delete()


def voucher_post(*, entry: JournalEntry, acting_user) -> JournalEntry:
    """Approve and post a draft voucher (审核记账). The approver needs the permission and must not be the
    person who prepared it."""
    if not acting_user.has_perm(POST_PERMISSION):
        raise PermissionDenied(ErrorCode.NOT_ALLOWED, _("Your role may not approve vouchers."))
    with transaction.atomic():
        entry = _locked_entry(entry)
        _require_draft(entry, _("This voucher is posted already."))
        if entry.created_by_id is not None and entry.created_by_id == acting_user.pk:
            raise PermissionDenied(
                ErrorCode.SAME_USER, _("A voucher must be approved by someone other than the person who prepared it.")
            )
        lines = list(entry.lines.all())
        return _post(entry, lines, posted_by=acting_user)


def _reverse(original: JournalEntry, on: date, created_by) -> JournalEntry:
    if original.status != EntryStatus.POSTED:
        raise Conflict(ErrorCode.WRONG_STATUS, _("Only a posted entry can be reversed."), field="status")
    if original.reverses_id is not None:
        raise Conflict(ErrorCode.WRONG_STATUS, _("A reversal cannot itself be reversed."), field="status")
    if JournalEntry.objects.filter(reverses=original).exists():
        raise Conflict(
            ErrorCode.ALREADY_REVERSED, _("Entry %(number)s has been reversed already.") % {"number": original.number}
        )
    # 红冲: the same accounts and sides in red (negative) figures.
    clean = [
        JournalLine(
            position=line.position,
            account_id=line.account_id,
            debit=-line.debit,
            credit=-line.credit,
            partner_id=line.partner_id,
            memo=line.memo,
        )
        for line in original.lines.all()
    ]
    memo = (_("Reversal of %(number)s") % {"number": original.number})[:MEMO_MAX]
    period = _period_for_posting(on)
    entry = _entry_create(
        period=period,
        on=on,
        clean=clean,
        memo=memo,
        source_type=original.source_type,
        source_id=original.source_id,
        created_by=created_by,
        reverses=original,
    )
    return _post(entry, clean, posted_by=created_by, period=period)


def journal_entry_reverse(*, entry: JournalEntry, date: date, acting_user) -> JournalEntry:
    """Reverse (红冲) a posted manual voucher on `date`; a document's entries are reversed by reversing the
    document (which calls `journal_entries_reverse`), so the books never disagree with the document."""
    if not acting_user.has_perm(POST_PERMISSION):
        raise PermissionDenied(ErrorCode.NOT_ALLOWED, _("Your role may not reverse vouchers."))
    with transaction.atomic():
        entry = _locked_entry(entry)
        if entry.source_type not in (MANUAL,):
            raise Conflict(
                ErrorCode.DOCUMENT_ENTRY,
                _("Entry %(number)s was posted by a document: reverse the document instead.")
                % {"number": entry.number},
            )
        return _reverse(entry, date, acting_user)


def journal_entries_reverse(*, source_type: str, source_id: int, date: date, created_by=None) -> list[JournalEntry]:
    """Reverse every open entry a document posted (its 红冲), inside the reversing document's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("journal_entries_reverse must run inside the reversing document's transaction")
    # Locked first, so two reversals of one document queue up and the second finds nothing open.
    candidates = list(
        JournalEntry.objects.select_for_update(of=("self",))
        .filter(source_type=source_type, source_id=source_id, status=EntryStatus.POSTED, reverses__isnull=True)
        .order_by("id")
    )
    reversed_ids = set(JournalEntry.objects.filter(reverses__in=candidates).values_list("reverses_id", flat=True))
    originals = [entry for entry in candidates if entry.pk not in reversed_ids]
    if not originals:
        raise Conflict(ErrorCode.NOTHING_TO_REVERSE, _("This document has no open entries in the books."))
    with transaction.atomic():
        return [_reverse(entry, date, created_by) for entry in originals]


def attachment_add(*, entry: JournalEntry, filename: str, content_type: str, data: bytes, uploaded_by) -> Attachment:
    """Keep a file with a voucher (in the tenant's own schema). Allowed on posted vouchers too: evidence may
    arrive late, and it changes no figure."""
    if not data:
        raise AppError(ErrorCode.FILE_REQUIRED, _("Choose a file."), field="file")
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise AppError(ErrorCode.FILE_TOO_LARGE, _("A file may be at most 5 MB."), field="file")
    return Attachment.objects.create(
        entry=entry,
        filename=(filename or "file").replace("/", "_").replace("\\", "_")[-200:],
        content_type=(content_type or "application/octet-stream")[:100],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by=uploaded_by,
    )


# ------------------------------------------------------------------------------------------------ closing

# Checks run before a period is closed: key → check(period) returning the problems found (empty: fine).
# Other modules register theirs from their AppConfig.ready(), e.g. inventory account = stock ledger value.
CloseCheck = Callable[[Period], list[str]]
_close_checks: dict[str, CloseCheck] = {}


def close_check_register(*, key: str, check: CloseCheck) -> None:
    _close_checks[key] = check


def close_check_unregister(*, key: str) -> None:
    _close_checks.pop(key, None)


def _check_drafts(period: Period) -> list[str]:
    drafts = JournalEntry.objects.filter(status=EntryStatus.DRAFT, date__gte=period.start, date__lte=period.end)
    count = drafts.count()
    if not count:
        return []
    return [_("%(count)s draft voucher(s) in this month: post or delete them.") % {"count": count}]


def _check_balanced(period: Period) -> list[str]:
    problems = [
        _("Entry %(number)s does not balance.") % {"number": number}
        for number in selectors.unbalanced_entries(period=period)
    ]
    if not selectors.period_totals_consistent(period=period):
        problems.append(_("The account totals of this month do not match its journal lines."))
    return problems


close_check_register(key="finance.drafts", check=_check_drafts)
close_check_register(key="finance.balanced", check=_check_balanced)


def period_close_problems(*, period: Period) -> list[str]:
    problems = []
    for check in _close_checks.values():
        problems.extend(str(problem) for problem in check(period))
    return problems


def _year_end_entries(period: Period, acting_user) -> None:
    """Carry the year's profit and loss (5xxx) into 本年利润 (3103), then 本年利润 into 利润分配—未分配利润."""
    balances = selectors.account_net_balances(date_to=period.end)
    pl_lines = []
    profit = Decimal(0)
    accounts = Account.objects.filter(type=AccountType.PROFIT_LOSS, is_leaf=True).order_by("code")
    for account in accounts:
        net = balances.get(account.pk, Decimal(0))  # debit − credit
        if net == 0:
            continue
        profit -= net
        if net > 0:
            pl_lines.append(LineInput(account, credit=net))
        else:
            pl_lines.append(LineInput(account, debit=-net))
    profit_account = Account.objects.get(code=PROFIT_OF_YEAR)
    if pl_lines:
        side = {"credit": profit} if profit > 0 else {"debit": -profit}
        if profit != 0:
            pl_lines.append(LineInput(profit_account, **side))
        _closing_post(period, pl_lines, _("Carry profit and loss to profit of the year"), acting_user)
    carried = -selectors.account_net_balances(date_to=period.end).get(profit_account.pk, Decimal(0))
    if carried != 0:
        retained = Account.objects.get(code=RETAINED_EARNINGS)
        lines = (
            [LineInput(profit_account, debit=carried), LineInput(retained, credit=carried)]
            if carried > 0
            else [LineInput(profit_account, credit=-carried), LineInput(retained, debit=-carried)]
        )
        _closing_post(period, lines, _("Carry profit of the year to retained earnings"), acting_user)


def _closing_post(period: Period, lines: list[LineInput], memo: str, acting_user) -> None:
    clean = lines_clean(lines)
    entry = _entry_create(
        on=period.end,
        clean=clean,
        memo=memo[:MEMO_MAX],
        source_type=CLOSING,
        source_id=period.pk,
        created_by=acting_user,
    )
    _post(entry, clean, posted_by=acting_user)


def period_close(*, period: Period, acting_user, today: date) -> Period:
    """Month-end close (月结): the month must be over and every earlier month closed; the checks must find
    nothing; in December the year's profit is carried forward first. Then the month is locked."""
    if not acting_user.has_perm(CLOSE_PERMISSION):
        raise PermissionDenied(ErrorCode.NOT_ALLOWED, _("Your role may not close periods."))
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        if period.is_closed:
            raise Conflict(ErrorCode.WRONG_STATUS, _("Period %(period)s is closed already.") % {"period": period})
        if period.end >= today:
            raise Conflict(ErrorCode.PERIOD_ORDER, _("Period %(period)s has not ended yet.") % {"period": period})
        earlier = Period.objects.filter(status=PeriodStatus.OPEN, end__lt=period.start).order_by("year", "month")
        if earlier.exists():
            raise Conflict(
                ErrorCode.PERIOD_ORDER,
                _("Close %(period)s first: months are closed in order.") % {"period": earlier.first()},
            )
        problems = period_close_problems(period=period)
        if problems:
            raise Conflict(ErrorCode.CLOSE_CHECKS_FAILED, " ".join(problems))
        if period.month == 12:
            _year_end_entries(period, acting_user)
        period.status = PeriodStatus.CLOSED
        period.closed_at = timezone.now()
        period.closed_by = acting_user
        period.save(update_fields=["status", "closed_at", "closed_by"])
        PeriodEvent.objects.create(period=period, action=PeriodAction.CLOSE, user=acting_user)
    return period


def period_reopen(*, period: Period, reason: str, acting_user) -> Period:
    """The owner reopens the latest closed month, giving a reason (kept in the period's audit trail)."""
    if user_role(acting_user) != Role.OWNER:
        raise PermissionDenied(ErrorCode.NOT_ALLOWED, _("Only the shop owner may reopen a period."))
    reason = (reason or "").strip()
    if not reason:
        raise AppError(ErrorCode.REASON_REQUIRED, _("Say why the period is reopened."), field="reason")
    if len(reason) > REASON_MAX:
        raise AppError(ErrorCode.TOO_LONG, _("At most %(n)s characters.") % {"n": REASON_MAX}, field="reason")
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        if not period.is_closed:
            raise Conflict(ErrorCode.WRONG_STATUS, _("Period %(period)s is open.") % {"period": period})
        later = Period.objects.filter(status=PeriodStatus.CLOSED, start__gt=period.end).order_by("-year", "-month")
        if later.exists():
            raise Conflict(
                ErrorCode.PERIOD_ORDER,
                _("Reopen %(period)s first: months are reopened from the latest.") % {"period": later.first()},
            )
        period.status = PeriodStatus.OPEN
        period.closed_at = None
        period.closed_by = None
        period.save(update_fields=["status", "closed_at", "closed_by"])
        PeriodEvent.objects.create(period=period, action=PeriodAction.REOPEN, reason=reason, user=acting_user)
    return period


# ------------------------------------------------------------------------------------------------------ VAT


def vat_settings_update(*, taxpayer_kind: str, default_rate: Decimal | str) -> VatSettings:
    """Set the shop's kind of taxpayer and its default rate, which must be one of that kind's rates."""
    if taxpayer_kind not in TaxpayerKind.values:
        raise AppError(
            ErrorCode.INVALID_TAXPAYER_KIND,
            _("Choose one of: %(values)s.") % {"values": ", ".join(TaxpayerKind.values)},
            field="taxpayer_kind",
        )
    rate = decimal_parse(default_rate, field="default_rate", places=Decimal("0.1"))
    allowed = selectors.vat_rates(taxpayer_kind)
    if rate not in allowed:
        raise AppError(
            ErrorCode.INVALID_VAT_RATE,
            _("%(kind)s: choose one of the rates %(rates)s %%.")
            % {"kind": TaxpayerKind(taxpayer_kind).label, "rates": " / ".join(f"{r:g}" for r in allowed)},
            field="default_rate",
        )
    with transaction.atomic():
        settings, _created = VatSettings.objects.update_or_create(
            pk=1, defaults={"taxpayer_kind": taxpayer_kind, "default_rate": rate}
        )
    return settings
