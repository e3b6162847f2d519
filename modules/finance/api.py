"""The books under /api/v1/finance/: accounts, journal entries (cursor pages in a stable order), the trial
balance and the statements — all need the `finance:read` scope; adding a sub-account, a draft voucher or the
opening balances (期初余额) needs `finance:write` (and, for a signed-in user, the model permission).
Approving a voucher needs a signed-in person other than its preparer: an API key cannot approve. POSTs take
an `Idempotency-Key`.
"""

import base64
import binascii
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.decorators import action
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from jxc.api.base import ApiView, ApiViewSet
from jxc.api.permissions import HasScope
from jxc.api.principals import request_api_key
from jxc.api.views import ERRORS, IDEMPOTENCY_PARAMETER
from jxc.kernel.numbers import today_in
from modules.finance import cash_journal as cash
from modules.finance import opening, receivables, selectors, services
from modules.finance.enums import EntryStatus
from modules.finance.exports import voucher_export_response
from modules.finance.models import JournalEntry
from modules.finance.serializers import (
    AccountCreateSerializer,
    AccountSerializer,
    EntrySerializer,
    OpeningPostSerializer,
    VoucherPatchSerializer,
    VoucherWriteSerializer,
    money,
)
from modules.finance.vat_detail import input_vat_detail

FINANCE_SCOPES = {
    "GET": {"finance:read"}, "HEAD": {"finance:read"}, "POST": {"finance:write"}, "PATCH": {"finance:write"}
}  # fmt: skip
ACTION_PERMISSIONS = {
    "create": "finance.add_journalentry", "partial_update": "finance.add_journalentry",
    "approve": services.POST_PERMISSION,
}  # fmt: skip


class FinancePermission(permissions.BasePermission):
    """A signed-in user also needs the model permission of a write (a key's scopes are its permissions)."""

    permission = "finance.add_journalentry"

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request_api_key(request) is not None:
            return True
        needed = getattr(view, "write_permissions", {}).get(getattr(view, "action", None), self.permission)
        if not request.user.has_perm(needed):
            raise exceptions.PermissionDenied(_("Your role may not change the books."))
        return True


def _schema(operation_id: str, **kwargs):
    return extend_schema(operation_id=operation_id, tags=["finance"], **kwargs)


def _date(params, name: str, errors: dict) -> date | None:
    try:
        return date.fromisoformat(params[name]) if params.get(name) else None
    except ValueError:
        errors[name] = [_("Enter a date as YYYY-MM-DD.")]
        return None


def _month(params, errors: dict) -> tuple[date, date] | None:
    """`period=YYYY-MM` as its first and last day (read without creating the period)."""
    value = params.get("period") or ""
    if not value:
        return None
    try:
        year, month = (int(part) for part in value.split("-"))
        start = date(year, month, 1)
    except ValueError:
        errors["period"] = [_("Enter a month as YYYY-MM.")]
        return None
    return start, services.month_end(start)


def date_range(params) -> tuple[date, date]:
    """`period=YYYY-MM`, or `date_from` and `date_to` (both required then)."""
    errors: dict = {}
    month = _month(params, errors)
    date_from, date_to = _date(params, "date_from", errors), _date(params, "date_to", errors)
    if not errors and month is not None:
        return month
    if not errors and (date_from is None or date_to is None):
        errors["period"] = [_("Give period=YYYY-MM, or date_from and date_to.")]
    if not errors and date_from > date_to:
        errors["date_to"] = [_("The end date cannot be before the start date.")]
    if errors:
        raise exceptions.ValidationError(errors)
    return date_from, date_to


class EntryCursor(BasePagination):
    """Keyset pages over (date, id): the cursor is the last row's key, so an entry posted meanwhile (even on
    an earlier date) never shifts, repeats or skips a row of the pages still to come."""

    page_size = 100
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = request.query_params.get("page_size") or ""
        self.size = min(int(size), self.max_page_size) if size.isdigit() and int(size) > 0 else self.page_size
        cursor = request.query_params.get("cursor")
        if cursor:
            try:
                day, _sep, pk = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
                after = (date.fromisoformat(day), int(pk))
            except (ValueError, UnicodeDecodeError, binascii.Error):
                raise exceptions.ValidationError({"cursor": [_("This cursor is not valid.")]}) from None
            queryset = queryset.filter(Q(date__gt=after[0]) | Q(date=after[0], id__gt=after[1]))
        rows = list(queryset.order_by("date", "id")[: self.size + 1])
        self.has_next = len(rows) > self.size
        self.page = rows[: self.size]
        return self.page

    def get_paginated_response(self, data):
        following = None
        if self.has_next:
            last = self.page[-1]
            token = base64.urlsafe_b64encode(f"{last.date.isoformat()}|{last.pk}".encode()).decode()
            following = replace_query_param(self.request.build_absolute_uri(), "cursor", token)
        return Response({"next": following, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "properties": {"next": {"type": "string", "nullable": True, "format": "uri"}, "results": schema},
        }


class AccountViewSet(ApiViewSet):
    """The chart of accounts (小企业会计准则 template and the shop's sub-accounts), by code."""

    required_scopes = FINANCE_SCOPES
    permission_classes = [HasScope, FinancePermission]
    write_permissions = {"create": "finance.add_account"}
    serializer_class = AccountSerializer
    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.account_list().select_related("parent")

    @_schema("finance_accounts_list", responses={200: AccountSerializer(many=True), **ERRORS})
    def list(self, request):
        return Response(AccountSerializer(self.get_queryset(), many=True).data)

    @_schema("finance_accounts_retrieve", responses={200: AccountSerializer, **ERRORS})
    def retrieve(self, request, code=None):
        account = self.get_queryset().filter(code=code).first()
        if account is None:
            raise exceptions.NotFound()
        return Response(AccountSerializer(account).data)

    @_schema(
        "finance_accounts_create",
        request=AccountCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: AccountSerializer, **ERRORS},
    )
    def create(self, request):
        serializer = AccountCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account = services.account_create(**serializer.validated_data)
        return Response(AccountSerializer(account).data, status=status.HTTP_201_CREATED)


class EntryViewSet(ApiViewSet):
    """Journal entries with their lines, oldest first; filter by `period` (YYYY-MM), dates or status.
    Creating one makes a draft voucher (记账凭证); `approve` posts it."""

    required_scopes = FINANCE_SCOPES
    permission_classes = [HasScope, FinancePermission]
    write_permissions = ACTION_PERMISSIONS
    serializer_class = EntrySerializer
    pagination_class = EntryCursor
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        params = self.request.query_params
        errors: dict = {}
        month = _month(params, errors)
        date_from, date_to = _date(params, "date_from", errors), _date(params, "date_to", errors)
        if month is not None:
            date_from, date_to = max(month[0], date_from or month[0]), min(month[1], date_to or month[1])
        state = params.get("status") or None
        if state and state not in EntryStatus.values:
            errors["status"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(EntryStatus.values)}]
        if errors:
            raise exceptions.ValidationError(errors)
        entries = selectors.entry_list(date_from=date_from, date_to=date_to, status=state)
        return entries.select_related("period", "created_by", "posted_by").prefetch_related("lines__account")

    @_schema(
        "finance_entries_list",
        parameters=[
            OpenApiParameter("period", str, description="YYYY-MM"),
            OpenApiParameter("date_from", date),
            OpenApiParameter("date_to", date),
            OpenApiParameter("status", str, enum=EntryStatus.values),
            OpenApiParameter("cursor", str),
            OpenApiParameter("page_size", int),
        ],
        responses={200: EntrySerializer(many=True), **ERRORS},
    )
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(EntrySerializer(page, many=True).data)

    def _entry(self, pk) -> JournalEntry:
        entry = JournalEntry.objects.filter(pk=int(pk)).first()
        if entry is None:
            raise exceptions.NotFound()
        return entry

    @_schema("finance_entries_retrieve", responses={200: EntrySerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return Response(EntrySerializer(selectors.entry_detail(entry_id=self._entry(pk).pk)).data)

    @_schema(
        "finance_entries_create",
        request=VoucherWriteSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: EntrySerializer, **ERRORS},
        description="A draft manual voucher (记账凭证); someone else approves it.",
    )
    def create(self, request):
        serializer = VoucherWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = None if request_api_key(request) is not None else request.user
        entry = services.voucher_create(created_by=user, **serializer.service_values())
        return Response(EntrySerializer(selectors.entry_detail(entry_id=entry.pk)).data, status=status.HTTP_201_CREATED)

    @_schema(
        "finance_entries_partial_update",
        request=VoucherPatchSerializer,
        responses={200: EntrySerializer, **ERRORS},
        description="Change a draft voucher: any of `date`, `memo`, `lines` (the lines are replaced as a whole). "
        "Whoever changes it becomes its preparer, so they cannot approve it; a posted entry is a 409.",
    )
    def partial_update(self, request, pk=None):
        entry = self._entry(pk)
        serializer = VoucherPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.service_values(entry)
        user = None if request_api_key(request) is not None else request.user
        entry = services.voucher_update(entry=entry, edited_by=user, **values)
        return Response(EntrySerializer(selectors.entry_detail(entry_id=entry.pk)).data)

    @_schema(
        "finance_entries_approve",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: EntrySerializer, **ERRORS},
        description="Approve and post a draft voucher: a signed-in user other than its preparer; not an API key.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        if request_api_key(request) is not None:
            raise exceptions.PermissionDenied(_("A voucher is approved by a signed-in person, not an API key."))
        entry = services.voucher_post(entry=self._entry(pk), acting_user=request.user)
        return Response(EntrySerializer(selectors.entry_detail(entry_id=entry.pk)).data)


class OpeningPermission(FinancePermission):
    # Posting opening balances posts at once, as approving a voucher does.
    permission = opening.POST_PERMISSION


def _opening_line(line: opening.LedgerLine) -> dict:
    return {
        "source": line.source, "account": line.account.code, "account_name": line.account.name,
        "partner": line.partner.pk if line.partner else None,
        "partner_code": line.partner.code if line.partner else None,
        "partner_name": line.partner.name if line.partner else None,
        "ledger": money(line.ledger), "books": money(line.books), "amount": money(line.amount),
        "debit": money(line.debit), "credit": money(line.credit),
    }  # fmt: skip


class OpeningView(ApiView):
    """期初余额: GET the proposal as of a day; POST the opening entry (once per day: reverse it to post again)."""

    required_scopes = FINANCE_SCOPES
    permission_classes = [HasScope, OpeningPermission]

    @_schema(
        "finance_opening_proposal",
        parameters=[OpenApiParameter("as_of", date, description="Default: the day before the first open period.")],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        description="What the opening entry of `as_of` must carry — `lines`: 1405 (the stock ledger's value less "
        "what 1405 holds), 1122 per customer and 2202 per supplier (the partner ledger's balance less what the "
        "books hold), amounts on the account's normal side — and `accounts`: every other postable account with "
        "what it holds (`books`), for the caller to add its own balances. `posted`: the day's opening entry.",
    )
    def get(self, request):
        errors: dict = {}
        as_of = _date(request.query_params, "as_of", errors)
        if errors:
            raise exceptions.ValidationError(errors)
        proposal = opening.opening_balances_proposal(as_of=as_of, today=today_in(request.tenant.timezone))
        posted = proposal.posted
        return Response(
            {
                "as_of": proposal.as_of,
                "posted": {"id": posted.pk, "number": posted.number} if posted else None,
                "closed_period": str(proposal.closed) if proposal.closed else None,
                "default_counter_account": opening.DEFAULT_COUNTER_ACCOUNT,
                "lines": [_opening_line(line) for line in proposal.ledger_lines],
                "accounts": [
                    {
                        "code": other.account.code,
                        "name": other.account.name,
                        "side": other.account.side,
                        "books": money(other.books),
                    }
                    for other in proposal.others
                ],  # fmt: skip
                "debit": money(proposal.debit),
                "credit": money(proposal.credit),
                "difference": money(proposal.difference),
            }
        )

    @_schema(
        "finance_opening_post",
        request=OpeningPostSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: EntrySerializer, **ERRORS},
        description="Post the opening entry (memo 期初余额, source_type `opening`): the proposal's `lines` as read "
        "(409 ledger_mismatch if the ledgers moved since) plus the caller's balances; a difference of debits "
        "and credits goes to `counter_account` if given, else 400 unbalanced naming it. 409 opening_exists when "
        "the day has one already, 409 period_closed when its month is closed.",
    )
    def post(self, request):
        serializer = OpeningPostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = None if request_api_key(request) is not None else request.user
        entry = opening.opening_entry_post(
            acting_user=user, today=today_in(request.tenant.timezone), **serializer.service_values()
        )
        return Response(EntrySerializer(selectors.entry_detail(entry_id=entry.pk)).data, status=status.HTTP_201_CREATED)


def _trial_row(row) -> dict:
    return {
        "code": row.account.code,
        "name": row.account.name,
        "level": row.level,
        "is_leaf": row.account.is_leaf,
        **{
            name: money(getattr(row, name))
            for name in ("opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit")
        },
    }


class TrialBalanceView(ApiView):
    required_scopes = FINANCE_SCOPES

    @_schema(
        "finance_trial_balance",
        parameters=[
            OpenApiParameter("period", str, description="YYYY-MM"),
            OpenApiParameter("date_from", date),
            OpenApiParameter("date_to", date),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        description="科目余额表: opening, debits, credits, closing of every account with activity; parents roll up.",
    )
    def get(self, request):
        date_from, date_to = date_range(request.query_params)
        tb = selectors.trial_balance(date_from=date_from, date_to=date_to)
        return Response(
            {
                "date_from": date_from,
                "date_to": date_to,
                "rows": [_trial_row(row) for row in tb.rows],
                "totals": {name: money(value) for name, value in tb.totals.items()},
                "balanced": tb.balanced,
            }
        )


def _statement(rows, columns: tuple[str, str]) -> list[dict]:
    return [
        {
            "line": row.line.number,
            "label": str(row.line.label),
            **({columns[0]: money(row.amounts[0]), columns[1]: money(row.amounts[1])} if row.amounts else {}),
        }
        for row in rows
    ]


class BalanceSheetView(ApiView):
    required_scopes = FINANCE_SCOPES

    @_schema(
        "finance_balance_sheet",
        parameters=[OpenApiParameter("as_of", date, required=True)],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        description="资产负债表 (会小企01表) at the end of `as_of`, with the figures at the start of its year.",
    )
    def get(self, request):
        errors: dict = {}
        as_of = _date(request.query_params, "as_of", errors)
        if as_of is None and not errors:
            errors["as_of"] = [_("Enter a date as YYYY-MM-DD.")]
        if errors:
            raise exceptions.ValidationError(errors)
        rows = selectors.balance_sheet(as_of=as_of)
        return Response({"as_of": as_of, "lines": _statement(rows, ("closing", "year_opening"))})


class IncomeStatementView(ApiView):
    required_scopes = FINANCE_SCOPES

    @_schema(
        "finance_income_statement",
        parameters=[
            OpenApiParameter("period", str, description="YYYY-MM"),
            OpenApiParameter("date_from", date),
            OpenApiParameter("date_to", date),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        description="利润表 (会小企02表): the dates' amounts and the year's to `date_to`.",
    )
    def get(self, request):
        date_from, date_to = date_range(request.query_params)
        rows = selectors.income_statement(date_from=date_from, date_to=date_to)
        return Response(
            {"date_from": date_from, "date_to": date_to, "lines": _statement(rows, ("amount", "year_to_date"))}
        )


def _open_item(item) -> dict:
    return {
        "source_type": item.source_type, "source_id": item.source_id, "number": item.number,
        "date": item.date, "due": item.due, "days_overdue": item.days_overdue, "bucket": item.bucket,
        "amount": money(item.amount), "open": money(item.open),
    }  # fmt: skip


class VoucherExportView(ApiView):
    required_scopes = FINANCE_SCOPES

    @_schema(
        "finance_voucher_export",
        parameters=[
            OpenApiParameter("period", str, description="YYYY-MM", required=True),
            OpenApiParameter("file", str, enum=["xlsx", "csv"], description="Default xlsx."),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERRORS},
        description="A month's posted vouchers, one row a line, in the column layout accounting software "
        "imports (凭证日期, 凭证字, 凭证号, 摘要, 科目编码, 科目名称, 借方金额, 贷方金额, 辅助核算(往来单位), 附件数, "
        "制单人, 审核人); CSV is UTF-8 with a byte-order mark.",
    )
    def get(self, request):
        errors: dict = {}
        month = _month(request.query_params, errors)
        if month is None and not errors:
            errors["period"] = [_("Enter a month as YYYY-MM.")]
        file = request.query_params.get("file") or "xlsx"
        if file not in ("xlsx", "csv"):
            errors["file"] = [_("Choose one of: %(values)s.") % {"values": "xlsx, csv"}]
        if errors:
            raise exceptions.ValidationError(errors)
        return voucher_export_response(year=month[0].year, month=month[0].month, file=file)


class AgingView(ApiView):
    required_scopes = FINANCE_SCOPES

    @_schema(
        "finance_aging",
        parameters=[
            OpenApiParameter("kind", str, enum=list(receivables.KINDS), required=True),
            OpenApiParameter("as_of", date, description="Default: today in the shop's time zone."),
            OpenApiParameter("q", str, description="Partner code, name or pinyin initials."),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        description="应收/应付账龄: each partner's open invoices or bills on `as_of` and their aging buckets "
        "(current, 1–30, 31–60, 61–90, over 90 days past due by the partner's payment terms).",
    )
    def get(self, request):
        params = request.query_params
        errors: dict = {}
        kind = params.get("kind") or ""
        if kind not in receivables.KINDS:
            errors["kind"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(receivables.KINDS)}]
        as_of = _date(params, "as_of", errors) or today_in(request.tenant.timezone)
        if errors:
            raise exceptions.ValidationError(errors)
        report = receivables.aging(kind=kind, as_of=as_of, q=(params.get("q") or "").strip())
        return Response(
            {
                "kind": kind,
                "as_of": as_of,
                "partners": [
                    {
                        "id": row.partner.pk,
                        "code": row.partner.code,
                        "name": row.partner.name,
                        "payment_terms_days": row.partner.payment_terms_days,
                        "buckets": {name: money(value) for name, value in row.buckets.items()},
                        "unapplied": money(row.unapplied),
                        "balance": money(row.balance),
                        "items": [_open_item(item) for item in row.items],
                    }  # fmt: skip
                    for row in report.partners
                ],
                "totals": {name: money(value) for name, value in report.totals.items()},
            }
        )


class CashJournalView(ApiView):
    required_scopes = FINANCE_SCOPES

    @_schema(
        "finance_cash_journal",
        parameters=[
            OpenApiParameter("account", str, enum=list(cash.CASH_ACCOUNTS), description="Default 1001."),
            OpenApiParameter("from", date, description="Default: the first day of this month."),
            OpenApiParameter("to", date, description="Default: the last day of this month."),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        description="现金日记账 / 银行日记账: the opening balance, each posted line of the account (date, voucher "
        "number, memo, partner, counter accounts, debit, credit, running balance) and the closing balance.",
    )
    def get(self, request):
        code, date_from, date_to = cash.cash_journal_params(
            request.query_params, today=today_in(request.tenant.timezone)
        )
        journal = cash.cash_journal(code=code, date_from=date_from, date_to=date_to)
        return Response(
            {
                "account": {"code": journal.account.code, "name": journal.account.name},
                "from": date_from,
                "to": date_to,
                "opening": money(journal.opening),
                "lines": [
                    {
                        "date": line.date,
                        "number": line.number,
                        "entry_id": line.entry_id,
                        "memo": line.memo,
                        "partner": line.partner,
                        "counter_accounts": line.counter_accounts,
                        "debit": money(line.debit),
                        "credit": money(line.credit),
                        "balance": money(line.balance),
                    }  # fmt: skip
                    for line in journal.lines
                ],
                "debit": money(journal.debit),
                "credit": money(journal.credit),
                "closing": money(journal.closing),
            }
        )


class VatView(ApiView):
    required_scopes = FINANCE_SCOPES

    @_schema(
        "finance_vat",
        parameters=[
            OpenApiParameter("year", int, description="Default: this year in the shop's time zone."),
            OpenApiParameter("month", int, description="1-12: adds `input_detail`, the month's bills with input VAT."),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        description="增值税: the shop's taxpayer kind and rates, and each month's output VAT (22210102), input VAT "
        "(22210101), input VAT transferred out (22210103) and what is payable, from the posted journal.",
    )
    def get(self, request):
        value = request.query_params.get("year") or ""
        if value and not (value.isdigit() and 1900 < int(value) < 3000):
            raise exceptions.ValidationError({"year": [_("Enter a year such as 2026.")]})
        year = int(value) if value else today_in(request.tenant.timezone).year
        month = request.query_params.get("month") or ""
        if month and not (month.isdigit() and 1 <= int(month) <= 12):
            raise exceptions.ValidationError({"month": [_("Enter a month from 1 to 12.")]})
        settings = selectors.vat_settings_get()
        months = selectors.vat_summary(year=year)
        names = ("output", "input", "transferred_out", "payable")
        return Response(
            {
                "year": year,
                "taxpayer_kind": settings.taxpayer_kind,
                "rates": [f"{rate:g}" for rate in selectors.vat_rates(settings.taxpayer_kind)],
                "default_rate": f"{settings.default_rate:g}",
                "months": [{"month": m.label, **{name: money(getattr(m, name)) for name in names}} for m in months],
                "totals": {name: money(sum((getattr(m, name) for m in months), Decimal(0))) for name in names},
                **({"input_detail": _input_detail(year, int(month))} if month else {}),
            }
        )


def _input_detail(year: int, month: int) -> dict:
    detail = input_vat_detail(year=year, month=month)
    return {
        "month": f"{year}-{month:02d}",
        "bills": [
            {
                "id": bill.bill_id,
                "number": bill.number,
                "date": bill.date,
                "supplier": bill.supplier,
                "invoice_number": bill.invoice_number,
                "reversed": bill.reversed,
                "input_vat": money(bill.input_vat),
            }  # fmt: skip
            for bill in detail.bills
        ],
        "bills_total": money(detail.bills_total),
        "other": money(detail.other),
        "total": money(detail.total),
    }
