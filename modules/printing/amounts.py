"""Amounts in capital Chinese numerals (人民币大写金额), as banks and invoices want them.

The rules are those of the People's Bank of China for filling in bills (《正确填写票据和结算凭证的基本规定》):

- digits 零壹贰叁肆伍陆柒捌玖, places 拾佰仟 within a group of four, groups 万 and 亿, then 元角分;
  a 拾 is always written with its digit (10 → 壹拾元整), as on a cheque;
- every run of zeros between two non-zero digits is written as one 零, across 万, 亿 and 元 as well
  (1005 → 壹仟零伍元整, 100050000 → 壹亿零伍万元整, 1680.32 → 壹仟陆佰捌拾元零叁角贰分,
  100000.10 → 壹拾万元零壹角, 107000.53 → 壹拾万零柒仟元零伍角叁分); zeros at the end write nothing
  (1100000 → 壹佰壹拾万元整). The rules let a zero in the 万 or 元 place before a non-zero 仟 or 角 be
  left out; writing it every time keeps one rule for all zeros, the same one that is required for a 0 in
  the 角 place before a non-zero 分 (325.04 → 叁佰贰拾伍元零肆分);
- an amount that stops at 元 ends with 整 (or 正); one that stops at 角 may, and here does not; 分 never does;
- less than one yuan has no 元 (0.50 → 伍角, 0.05 → 伍分); nothing at all is 零元整; below zero, 负 in front.
"""

from decimal import Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
# A group of four digits per 万; the largest amount has three groups (up to 9999亿).
GROUPS = ("", "万", "亿")
LIMIT = Decimal(10) ** 12
CENTS = Decimal("0.01")


def _group_words(group: int) -> str:
    """A group of four digits (1..9999) with its inner zeros as single 零s; leading and trailing zeros
    write nothing (the caller decides about a leading 零)."""
    words = []
    pending_zero = False
    for position in range(3, -1, -1):
        digit = group // 10**position % 10
        if digit == 0:
            pending_zero = bool(words)
            continue
        if pending_zero:
            words.append(DIGITS[0])
            pending_zero = False
        words.append(DIGITS[digit] + PLACES[position])
    return "".join(words)


def _integer_words(number: int) -> str:
    """0 < number < 10**12 in capital numerals, without 元."""
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    words = []
    zero_before = False  # a zero digit lies between what is written and the next non-zero digit
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_before = bool(words)
            continue
        if words and (zero_before or group < 1000):
            words.append(DIGITS[0])
        words.append(_group_words(group) + GROUPS[index])
        zero_before = group % 10 == 0
    return "".join(words)


def amount_in_words(amount: Decimal, *, whole: str = "整") -> str:
    """`amount` (yuan, at most two decimal places, less than 10**12 in size) in capital numerals:
    Decimal("1005.00") → "壹仟零伍元整". `whole` is the ending of an amount without 角 and 分 (整 or 正).

    Raises ValueError for a non-finite amount, more than two decimal places, or 10**12 and above."""
    if whole not in ("整", "正"):
        raise ValueError("whole must be 整 or 正")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {amount}")
    if amount != amount.quantize(CENTS):
        raise ValueError(f"more than two decimal places: {amount}")
    if abs(amount) >= LIMIT:
        raise ValueError(f"too large for capital numerals: {amount}")
    sign = "负" if amount < 0 else ""
    fen_total = int(abs(amount).quantize(CENTS) * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if fen_total == 0:
        return "零元" + whole
    words = []
    if yuan:
        words.append(_integer_words(yuan) + "元")
    if jiao:
        if yuan and yuan % 10 == 0:
            words.append(DIGITS[0])
        words.append(DIGITS[jiao] + "角")
    elif fen and yuan:
        words.append(DIGITS[0])
    if fen:
        words.append(DIGITS[fen] + "分")
    if not jiao and not fen:
        words.append(whole)
    return sign + "".join(words)
