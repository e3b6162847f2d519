"""Pure rules about partners: no database, no Django models (unit-tested on their own)."""

import re

from pypinyin import Style, lazy_pinyin

# GB 32100-2015: the code's alphabet (no I, O, Z, S, V) and the weights 3^i mod 31 of its first 17 places.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
TAXPAYER_ID_LENGTHS = (15, 17, 18, 20)
_TAXPAYER_ID_RE = re.compile(r"^[0-9A-Z]+$")


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 whose first 17 characters are `first17`."""
    if len(first17) != 17:
        raise ValueError("a credit code check needs exactly 17 characters")
    total = 0
    for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True):
        index = CREDIT_CODE_ALPHABET.find(char)
        if index < 0:
            raise ValueError(f"{char!r} is not a credit code character")
        total += index * weight
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_is_valid(code: str) -> bool:
    """True for an 18-character 统一社会信用代码 whose check character is right."""
    if len(code) != 18 or any(char not in CREDIT_CODE_ALPHABET for char in code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


def taxpayer_id_normalise(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def taxpayer_id_problem(value: str) -> str | None:
    """None when `value` (normalised) is an acceptable 纳税人识别号, else a short reason code.

    Old registrations use 15, 17 or 20 characters; since 2015 it is the 18-character credit code,
    whose last character is a checksum we can verify."""
    if len(value) not in TAXPAYER_ID_LENGTHS:
        return "length"
    if not _TAXPAYER_ID_RE.match(value):
        return "characters"
    if len(value) == 18 and not credit_code_is_valid(value):
        return "check"
    return None


def pinyin_initials(text: str) -> str:
    """Lower-case pinyin initials of Chinese characters; other letters and digits kept (万达 → wd, A店 → ad)."""
    out = []
    for part in lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="default"):
        out.append("".join(char for char in part if char.isalnum()))
    return "".join(out).lower()
