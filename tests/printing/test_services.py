"""The shop profile's services: values tidied, refusals that name the field and write nothing, the logo
set and removed, and the header the PDFs print from it."""

import pytest

from jxc.kernel.errors import AppError
from modules.partners.domain import credit_code_check_char
from modules.printing.models import ShopProfile
from modules.printing.selectors import shop_header, shop_profile_get
from modules.printing.services import shop_logo_remove, shop_logo_set, shop_profile_update
from tests.printing.pdfs import image_bytes

CODE = "91310115MA1K4BX09" + credit_code_check_char("91310115MA1K4BX09")
WRONG_CHECK = CODE[:-1] + ("1" if CODE[-1] == "0" else "0")
BLANK = {"display_name": "", "address": "", "phone": "", "taxpayer_id": "", "bank_name": "", "bank_account": ""}


def test_reading_before_any_change_writes_nothing(in_tenant_a):
    assert shop_profile_get().display_name == "" and not ShopProfile.objects.exists()
    assert shop_header(tenant=in_tenant_a).name == "Alpha 商店" and shop_header(tenant=in_tenant_a).logo is None


def test_values_are_tidied(in_tenant_a):
    profile = shop_profile_update(
        **{**BLANK, "display_name": "  阿尔法   旗舰店 ", "taxpayer_id": f" {CODE[:9].lower()} {CODE[9:]} "}
    )

    assert (profile.display_name, profile.taxpayer_id) == ("阿尔法 旗舰店", CODE)
    assert ShopProfile.objects.get().display_name == "阿尔法 旗舰店"
    assert shop_header(tenant=in_tenant_a).name == "阿尔法 旗舰店"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("taxpayer_id", "ABC", "taxpayer_id_invalid"),
        ("taxpayer_id", WRONG_CHECK, "taxpayer_id_invalid"),
        ("address", "路" * 301, "too_long"),
        ("display_name", "店" * 201, "too_long"),
    ],
    ids=["short-id", "bad-check-character", "address", "name"],
)
def test_refusals_name_the_field_and_change_nothing(in_tenant_a, field, value, code):
    shop_profile_update(**{**BLANK, "address": "上海"})

    with pytest.raises(AppError) as caught:
        shop_profile_update(**{**BLANK, "phone": "123", field: value})

    assert (caught.value.code, caught.value.field) == (code, field)
    assert ShopProfile.objects.get().address == "上海" and ShopProfile.objects.get().phone == ""


def test_logo_set_and_removed(in_tenant_a):
    png = image_bytes("PNG")
    assert shop_logo_set(data=png).logo_content_type == "image/png"
    assert shop_header(tenant=in_tenant_a).logo == png
    with pytest.raises(AppError) as caught:
        shop_logo_set(data=b"not an image")
    assert caught.value.field == "logo" and bytes(ShopProfile.objects.get().logo) == png
    shop_logo_remove()
    assert ShopProfile.objects.get().logo is None and shop_header(tenant=in_tenant_a).logo is None
