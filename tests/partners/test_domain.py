import pytest

from modules.partners.domain import (
    credit_code_check_char,
    credit_code_is_valid,
    pinyin_initials,
    taxpayer_id_problem,
)


def test_check_char_of_known_codes():
    assert credit_code_check_char("9144030071526726X") == "G"
    assert credit_code_check_char("91110000802100433") == "B"


def test_check_char_zero_when_sum_divides():
    # 17 zeros sum to 0: 31 - 0 = 31 -> 0
    assert credit_code_check_char("0" * 17) == "0"


def test_valid_and_invalid_credit_codes():
    assert credit_code_is_valid("9144030071526726XG") is True
    assert credit_code_is_valid("9144030071526726XH") is False
    assert credit_code_is_valid("9144030071526726X") is False
    assert credit_code_is_valid("9144030071526726IG") is False  # I is not in the alphabet


def test_check_char_rejects_bad_input():
    with pytest.raises(ValueError):
        credit_code_check_char("123")
    with pytest.raises(ValueError):
        credit_code_check_char("O" * 17)


@pytest.mark.parametrize(
    "value,problem",
    [
        ("310104123456789", None),
        ("31010412345678901", None),
        ("9144030071526726XG", None),
        ("31010412345678901234", None),
        ("9144030071526726XH", "check"),
        ("1234", "length"),
        ("3101041234567890", "length"),
        ("31010412345678a", "characters"),
    ],
)
def test_taxpayer_id_problem(value, problem):
    assert taxpayer_id_problem(value) == problem


def test_pinyin_initials():
    assert pinyin_initials("上海万达") == "shwd"
    assert pinyin_initials("A店 2号") == "ad2h"
    assert pinyin_initials("") == ""
