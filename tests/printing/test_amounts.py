"""Capital Chinese numerals (大写金额): the banks' worked examples, the edges, and for any amount a parser
of the words gets the amount back and every run of inner zeros is exactly one 零. No database."""

import re
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modules.printing.amounts import amount_in_words

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = {"拾": 10, "佰": 100, "仟": 1000}


def parse(words: str) -> D:
    """The amount the words say, read independently of the writer: digits times places, 万 and 亿 close
    a group, 零 only separates."""
    sign = -1 if words.startswith("负") else 1
    words = words.removeprefix("负")
    if words.endswith(("整", "正")):
        words = words[:-1]
    integer, _, fraction = words.rpartition("元") if "元" in words else ("", "", words)
    total = group = digit = 0
    for char in integer:
        if char in DIGITS:
            digit = DIGITS.index(char)
        elif char in PLACES:
            group += digit * PLACES[char]
            digit = 0
        elif char == "亿":
            total = (total + group + digit) * 10**8
            group = digit = 0
        elif char == "万":
            total += (group + digit) * 10**4
            group = digit = 0
        else:
            raise AssertionError(f"unexpected {char!r} in {words!r}")
    total += group + digit
    cents = total * 100
    for digit_char, unit in re.findall(r"(.)([角分])", fraction):
        cents += DIGITS.index(digit_char) * (10 if unit == "角" else 1)
    assert re.fullmatch(r"(零?[壹贰叁肆伍陆柒捌玖]角)?(零?[壹贰叁肆伍陆柒捌玖]分)?", fraction), words
    return D(sign * cents) / 100


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        # The examples of 《正确填写票据和结算凭证的基本规定》 (where it allows two forms, the one with 零).
        ("1409.50", "壹仟肆佰零玖元伍角"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("107000.53", "壹拾万零柒仟元零伍角叁分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        # The brief's.
        ("1005.00", "壹仟零伍元整"),
        ("100000.10", "壹拾万元零壹角"),
        # 拾 always with its digit; trailing zeros write nothing.
        ("10", "壹拾元整"),
        ("15", "壹拾伍元整"),
        ("110", "壹佰壹拾元整"),
        ("1100000", "壹佰壹拾万元整"),
        ("20000.01", "贰万元零壹分"),
        # Zeros across groups: one 零 for a whole run.
        ("10005", "壹万零伍元整"),
        ("100700", "壹拾万零柒佰元整"),
        ("100000005", "壹亿零伍元整"),
        ("100050000", "壹亿零伍万元整"),
        ("100000000", "壹亿元整"),
        ("100010000", "壹亿零壹万元整"),
        ("1010101010.10", "壹拾亿零壹仟零壹拾万零壹仟零壹拾元零壹角"),
        # Below a yuan, zero, negative, the largest.
        ("0.50", "伍角"),
        ("0.05", "伍分"),
        ("0.55", "伍角伍分"),
        ("0", "零元整"),
        ("0.00", "零元整"),
        ("-100", "负壹佰元整"),
        ("-0.01", "负壹分"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
        ("1E+3", "壹仟元整"),
        ("12.340000", "壹拾贰元叁角肆分"),
    ],
)
def test_worked_examples(amount, words):
    assert amount_in_words(D(amount)) == words


def test_zheng_or_zheng():
    assert amount_in_words(D("8"), whole="正") == "捌元正"
    assert amount_in_words(D("8.10"), whole="正") == "捌元壹角"
    with pytest.raises(ValueError):
        amount_in_words(D("8"), whole="了")


@pytest.mark.parametrize("amount", ["0.001", "1.005", "1000000000000", "-1000000000000", "NaN", "Infinity"])
def test_refused(amount):
    with pytest.raises(ValueError):
        amount_in_words(D(amount))


def _inner_zero_runs(cents: int) -> int:
    return len(re.findall(r"(?<=[1-9])0+(?=[1-9])", str(abs(cents))))


@given(st.integers(min_value=-(10**14) + 1, max_value=10**14 - 1))
def test_words_read_back_to_the_amount(cents):
    amount = D(cents) / 100
    words = amount_in_words(amount)
    assert parse(words) == amount
    if cents == 0:
        assert words == "零元整"
        return
    assert words.count("零") == _inner_zero_runs(cents)
    assert "零零" not in words and not re.search("零[拾佰仟万亿元角分整]", words)
    assert words.startswith("负") == (cents < 0)
    assert words.endswith("整") == (cents % 100 == 0)
    assert ("元" in words) == (abs(cents) >= 100)
    # Every 拾 has its digit, even a leading one.
    assert not re.search(r"(^|[^壹贰叁肆伍陆柒捌玖])拾", words.removeprefix("负"))
