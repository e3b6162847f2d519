"""Pure rules: no database."""

from decimal import Decimal

import pytest

from jxc.kernel.errors import AppError
from modules.catalog.domain import barcode_is_valid, convert_to_base, ean_check_digit, pinyin_initials


def test_pinyin_initials_of_chinese_names():
    assert pinyin_initials("可口可乐") == "kkkl"
    assert pinyin_initials("农夫山泉 550ml") == "nfsq550ml"
    assert pinyin_initials("Coca-Cola") == "cocacola"


def test_ean13_and_ean8_check_digits():
    assert ean_check_digit("690123456789") == 2
    assert barcode_is_valid("6901234567892") is True
    assert barcode_is_valid("6901234567891") is False
    assert barcode_is_valid("96385074") is True
    assert barcode_is_valid("96385075") is False


def test_other_barcodes_are_accepted_but_not_blank_or_spaced():
    assert barcode_is_valid("ABC-123") is True
    assert barcode_is_valid("123456789") is True
    assert barcode_is_valid("") is False
    assert barcode_is_valid("12 34") is False


def test_conversion_to_base_is_exact():
    assert convert_to_base(quantity=Decimal("2"), factor=Decimal("24")) == Decimal("48")
    assert convert_to_base(quantity=Decimal("0.5"), factor=Decimal("0.25")) == Decimal("0.125")


def test_inexact_conversion_is_refused_naming_the_field():
    with pytest.raises(AppError) as err:
        convert_to_base(quantity=Decimal("0.0000001"), factor=Decimal("3"), field="quantity")
    assert err.value.code == "inexact_conversion"
    assert err.value.field == "quantity"
