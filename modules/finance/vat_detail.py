"""The VAT summary's detail for one month: the supplier bills whose input VAT (进项税额, 22210101) the month's
journal holds, with the supplier's invoice number (进项发票号码, `PurchaseBill.invoice_number`), and what
else moved input VAT that month (vouchers, returns), so the detail adds up to the summary's input VAT.

Read from the posted journal: a bill's entries keep the bill as their source (its reversal's too, in red
figures), so a bill reversed in a later month shows there with a negative amount.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, Sum

from modules.finance import chart
from modules.finance.enums import EntryStatus
from modules.finance.models import JournalLine
from modules.finance.selectors import ZERO
from modules.purchasing.models import PurchaseBill

PURCHASE_BILL = "purchase_bill"


@dataclass(frozen=True)
class InputBill:
    bill_id: int
    number: str
    date: date
    supplier: str
    invoice_number: str  # "" when the bill was saved without one
    reversed: bool
    input_vat: Decimal  # what the month's entries of this bill put on 22210101 (debit − credit)


@dataclass(frozen=True)
class InputVatDetail:
    year: int
    month: int
    bills: list[InputBill]
    bills_total: Decimal
    other: Decimal  # input VAT of the month not from bills: vouchers, purchase returns
    total: Decimal  # = the summary's input VAT of the month

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def missing_invoice_numbers(self) -> int:
        return sum(1 for bill in self.bills if not bill.invoice_number)


def input_vat_detail(*, year: int, month: int) -> InputVatDetail:
    lines = JournalLine.objects.filter(
        entry__status=EntryStatus.POSTED,
        entry__period__year=year,
        entry__period__month=month,
        account__code__startswith=chart.INPUT_VAT,
    )
    totals = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    total = (totals["d"] or ZERO) - (totals["c"] or ZERO)
    per_bill = {
        row["entry__source_id"]: row["d"] - row["c"]
        for row in lines.filter(entry__source_type=PURCHASE_BILL)
        .values("entry__source_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    }
    bills = (
        PurchaseBill.objects.filter(pk__in=per_bill)
        .select_related("supplier")
        .order_by("date", "number")
        .annotate(reversal_pk=Max("reversal__id"))
    )
    rows = [
        InputBill(
            bill_id=bill.pk,
            number=bill.number,
            date=bill.date,
            supplier=bill.supplier.name,
            invoice_number=bill.invoice_number,
            reversed=bill.reversal_pk is not None,
            input_vat=per_bill[bill.pk] + ZERO,
        )
        for bill in bills
        if per_bill[bill.pk]
    ]
    bills_total = sum((row.input_vat for row in rows), ZERO)
    return InputVatDetail(
        year=year, month=month, bills=rows, bills_total=bills_total, other=total - bills_total, total=total + ZERO
    )
