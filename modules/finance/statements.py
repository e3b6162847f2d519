"""The layouts of the 小企业会计准则 statements: 资产负债表 (会小企01表) and 利润表 (会小企02表), line by line with
the official line numbers, each line mapped to accounts or to other lines.

An account's value is its balance (or, in the income statement, its activity) as debit − credit, parents
including their sub-accounts; a line adds accounts and earlier lines with a sign, so asset lines take +1,
liability, equity and income lines −1, and contra accounts (累计折旧) the opposite of their line.
Deliberately simple where the standard asks for analysis beyond balances: 应收账款 and 预收账款 are the
accounts' own net balances, not split by the sign of each customer's balance.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The pseudo-account of profit and loss not yet carried to 本年利润 (all 5xxx, debit − credit).
UNCLOSED_PROFIT = "profit"


@dataclass(frozen=True)
class StatementLine:
    number: int | None  # the official 行次; None for a heading
    label: str | Promise
    accounts: tuple[tuple[str, int], ...] = ()
    sums: tuple[tuple[int, int], ...] = ()
    indent: int = 0
    total: bool = False


def _a(*codes: str, sign: int = 1) -> tuple[tuple[str, int], ...]:
    return tuple((code, sign) for code in codes)


def _s(*numbers: int, sign: int = 1) -> tuple[tuple[int, int], ...]:
    return tuple((number, sign) for number in numbers)


L = StatementLine
INVENTORY_CODES = (
    "1401",
    "1402",
    "1403",
    "1404",
    "1405",
    "1407",
    "1408",
    "1411",
    "1421",
    "4001",
    "4101",
    "4401",
    "4403",
)

BALANCE_SHEET: tuple[StatementLine, ...] = (
    L(None, _("Current assets:")),
    L(1, _("Cash and cash equivalents"), _a("1001", "1002", "1012"), indent=1),
    L(2, _("Short-term investments"), _a("1101"), indent=1),
    L(3, _("Notes receivable"), _a("1121"), indent=1),
    L(4, _("Accounts receivable"), _a("1122"), indent=1),
    L(5, _("Prepayments"), _a("1123"), indent=1),
    L(6, _("Dividends receivable"), _a("1131"), indent=1),
    L(7, _("Interest receivable"), _a("1132"), indent=1),
    L(8, _("Other receivables"), _a("1221"), indent=1),
    L(9, _("Inventories"), _a(*INVENTORY_CODES), indent=1),
    L(10, _("of which: raw materials"), _a("1403"), indent=2),
    L(11, _("work in progress"), _a("4001"), indent=2),
    L(12, _("merchandise"), _a("1405", "1407"), indent=2),
    L(13, _("reusable materials"), _a("1411"), indent=2),
    L(14, _("Other current assets"), _a("1901"), indent=1),
    L(15, _("Total current assets"), sums=_s(1, 2, 3, 4, 5, 6, 7, 8, 9, 14), total=True),
    L(None, _("Non-current assets:")),
    L(16, _("Long-term bond investments"), _a("1501"), indent=1),
    L(17, _("Long-term equity investments"), _a("1511"), indent=1),
    L(18, _("Fixed assets at cost"), _a("1601"), indent=1),
    L(19, _("Less: accumulated depreciation"), _a("1602", sign=-1), indent=1),
    L(20, _("Fixed assets, net"), sums=_s(18) + _s(19, sign=-1), indent=1),
    L(21, _("Construction in progress"), _a("1604"), indent=1),
    L(22, _("Construction materials"), _a("1605"), indent=1),
    L(23, _("Fixed assets in disposal"), _a("1606"), indent=1),
    L(24, _("Productive biological assets"), _a("1621", "1622"), indent=1),
    L(25, _("Intangible assets"), _a("1701", "1702"), indent=1),
    L(26, _("Development expenditure"), _a("4301"), indent=1),
    L(27, _("Long-term deferred expenses"), _a("1801"), indent=1),
    L(28, _("Other non-current assets"), indent=1),
    L(29, _("Total non-current assets"), sums=_s(16, 17, 20, 21, 22, 23, 24, 25, 26, 27, 28), total=True),
    L(30, _("Total assets"), sums=_s(15, 29), total=True),
    L(None, _("Current liabilities:")),
    L(31, _("Short-term borrowings"), _a("2001", sign=-1), indent=1),
    L(32, _("Notes payable"), _a("2201", sign=-1), indent=1),
    L(33, _("Accounts payable"), _a("2202", sign=-1), indent=1),
    L(34, _("Advances from customers"), _a("2203", sign=-1), indent=1),
    L(35, _("Employee pay payable"), _a("2211", sign=-1), indent=1),
    L(36, _("Taxes payable"), _a("2221", sign=-1), indent=1),
    L(37, _("Interest payable"), _a("2231", sign=-1), indent=1),
    L(38, _("Profits payable"), _a("2232", sign=-1), indent=1),
    L(39, _("Other payables"), _a("2241", sign=-1), indent=1),
    L(40, _("Other current liabilities"), indent=1),
    L(41, _("Total current liabilities"), sums=_s(31, 32, 33, 34, 35, 36, 37, 38, 39, 40), total=True),
    L(None, _("Non-current liabilities:")),
    L(42, _("Long-term borrowings"), _a("2501", sign=-1), indent=1),
    L(43, _("Long-term payables"), _a("2701", sign=-1), indent=1),
    L(44, _("Deferred income"), _a("2401", sign=-1), indent=1),
    L(45, _("Other non-current liabilities"), indent=1),
    L(46, _("Total non-current liabilities"), sums=_s(42, 43, 44, 45), total=True),
    L(47, _("Total liabilities"), sums=_s(41, 46), total=True),
    L(None, _("Owners' equity:")),
    L(48, _("Paid-in capital"), _a("3001", sign=-1), indent=1),
    L(49, _("Capital reserve"), _a("3002", sign=-1), indent=1),
    L(50, _("Surplus reserve"), _a("3101", sign=-1), indent=1),
    L(51, _("Retained earnings"), _a("3103", "3104", UNCLOSED_PROFIT, sign=-1), indent=1),
    L(52, _("Total owners' equity"), sums=_s(48, 49, 50, 51), total=True),
    L(53, _("Total liabilities and owners' equity"), sums=_s(47, 52), total=True),
)

INCOME_STATEMENT: tuple[StatementLine, ...] = (
    L(1, _("Operating revenue"), _a("5001", "5051", sign=-1)),
    L(2, _("Less: operating costs"), _a("5401", "5402"), indent=1),
    L(3, _("Taxes and surcharges"), _a("5403"), indent=1),
    L(11, _("Selling expenses"), _a("5601"), indent=1),
    L(14, _("Administrative expenses"), _a("5602"), indent=1),
    L(18, _("Financial expenses"), _a("5603"), indent=1),
    L(20, _("Add: investment income"), _a("5111", sign=-1), indent=1),
    L(21, _("Operating profit"), sums=_s(1) + _s(2, 3, 11, 14, 18, sign=-1) + _s(20), total=True),
    L(22, _("Add: non-operating income"), _a("5301", sign=-1), indent=1),
    L(24, _("Less: non-operating expenses"), _a("5711"), indent=1),
    L(30, _("Total profit"), sums=_s(21, 22) + _s(24, sign=-1), total=True),
    L(31, _("Less: income tax expense"), _a("5801"), indent=1),
    L(32, _("Net profit"), sums=_s(30) + _s(31, sign=-1), total=True),
)

# Lines the statements' checks and tests name.
TOTAL_ASSETS = 30
TOTAL_LIABILITIES_AND_EQUITY = 53
RETAINED_EARNINGS_LINE = 51
NET_PROFIT = 32
OPERATING_REVENUE = 1
