"""The print settings page (/settings/print/): the shop's details and logo as the owner or manager sets
them, refusals that name the field and change nothing, who may use it, and each tenant's own."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.partners.domain import credit_code_check_char
from modules.printing.models import ShopProfile
from modules.printing.services import shop_logo_set
from tests.printing.conftest import documents_create, in_tenant, login, make_user, pdf_url
from tests.printing.pdfs import image_bytes, pdf_image_count, pdf_pages

pytestmark = pytest.mark.usefixtures("roles_synced")
SETTINGS = "/settings/print/"
CREDIT_CODE = "91310115MA1K4BX09" + credit_code_check_char("91310115MA1K4BX09")
DETAILS = {
    "display_name": "阿尔法旗舰店", "address": "上海市浦东新区世纪大道 100 号", "phone": "021-5555 0000",
    "taxpayer_id": CREDIT_CODE.lower(), "bank_name": "工商银行浦东支行", "bank_account": "1001 2345 6789",
}  # fmt: skip


@pytest.fixture
def owner(client_a, tenant_a, owner_a):
    return login(client_a, tenant_a, owner_a)


def profile(tenant) -> dict | None:
    def read():
        row = ShopProfile.objects.filter(pk=1).first()
        if row is None:
            return None
        values = {name: getattr(row, name) for name in DETAILS}
        return {**values, "logo": bytes(row.logo) if row.logo else None, "type": row.logo_content_type}

    return in_tenant(tenant, read)


def upload(data: bytes, name: str = "logo.png") -> dict:
    return {"logo": SimpleUploadedFile(name, data)}


def test_the_page_in_both_languages(owner):
    page = owner.get(SETTINGS)
    assert page.status_code == 200
    body = page.content.decode()
    assert "打印设置" in body and "纳税人识别号" in body and 'id="print-logo-none"' in body
    assert 'placeholder="Alpha 商店"' in body
    assert "Print settings" in owner.get(SETTINGS, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_details_are_saved_and_printed(owner, tenant_a):
    saved = owner.post(SETTINGS, DETAILS)

    assert saved.status_code == 302 and saved["Location"] == SETTINGS
    assert profile(tenant_a) == {**DETAILS, "taxpayer_id": CREDIT_CODE, "logo": None, "type": ""}
    sample = owner.get("/settings/print/sample.pdf")
    assert sample.status_code == 200 and sample["Content-Disposition"] == 'inline; filename="SAMPLE.pdf"'
    text = pdf_pages(sample.content)[0]
    for expected in ("阿尔法旗舰店", "电话 021-5555 0000", f"税号 {CREDIT_CODE}", "工商银行浦东支行 1001 2345 6789"):
        assert expected in text, expected
    assert "Alpha 商店" not in text
    # Back to the company name when the display name is cleared.
    owner.post(SETTINGS, {**DETAILS, "display_name": ""})
    assert "Alpha 商店" in pdf_pages(owner.get("/settings/print/sample.pdf").content)[0]


def test_a_bad_taxpayer_id_is_refused_naming_the_field(owner, tenant_a):
    owner.post(SETTINGS, DETAILS)
    before = profile(tenant_a)

    refused = owner.post(SETTINGS, {**DETAILS, "taxpayer_id": "12345", "address": "别处"})

    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'id="id_taxpayer_id-errors"' in body and "统一社会信用代码" in body
    assert profile(tenant_a) == before
    too_long = owner.post(SETTINGS, {**DETAILS, "phone": "1" * 65})
    assert too_long.status_code == 400 and 'id="id_phone-errors"' in too_long.content.decode()
    assert profile(tenant_a) == before


def test_logo_upload_replace_and_remove(owner, tenant_a):
    assert owner.get("/settings/print/logo").status_code == 404
    png = image_bytes("PNG")
    assert owner.post("/settings/print/logo/upload", upload(png)).status_code == 302
    assert profile(tenant_a)["logo"] == png and profile(tenant_a)["type"] == "image/png"
    shown = owner.get("/settings/print/logo")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png" and shown.content == png
    assert 'id="print-logo"' in owner.get(SETTINGS).content.decode()
    assert pdf_image_count(owner.get("/settings/print/sample.pdf").content) == 1

    jpeg = image_bytes("JPEG")
    assert owner.post("/settings/print/logo/upload", upload(jpeg, "logo.jpg")).status_code == 302
    assert profile(tenant_a)["type"] == "image/jpeg"

    assert owner.post("/settings/print/logo/remove").status_code == 302
    assert profile(tenant_a)["logo"] is None and profile(tenant_a)["type"] == ""
    assert owner.get("/settings/print/logo").status_code == 404
    assert pdf_image_count(owner.get("/settings/print/sample.pdf").content) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"just some text", "标志必须是 PNG 或 JPEG 图片"),
        (b"GIF89a" + b"\0" * 64, "标志必须是 PNG 或 JPEG 图片"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (600 * 1024), "标志图片为 601 KB，最大允许 512 KB"),
        (b"\x89PNG\r\n\x1a\nnot really", "标志文件已损坏"),
        (b"", "提交的是空文件"),  # Django's own words for an empty upload
    ],
    ids=["text", "gif", "too-big", "damaged", "empty"],
)
def test_a_bad_logo_is_refused_with_a_clear_message_and_the_old_one_kept(owner, tenant_a, data, message):
    png = image_bytes("PNG")
    in_tenant(tenant_a, lambda: shop_logo_set(data=png))

    refused = owner.post("/settings/print/logo/upload", upload(data, "logo.png"))

    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'id="id_logo-errors"' in body and message in body
    assert profile(tenant_a)["logo"] == png


def test_a_bad_logo_in_english(owner):
    refused = owner.post("/settings/print/logo/upload", upload(b"%PDF-1.4"), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "The logo must be a PNG or JPEG image." in refused.content.decode()


def test_only_the_owner_and_manager_change_it(client_a, tenant_a):
    manager = login(client_a, tenant_a, make_user(tenant_a, "manager@alpha.test", Role.MANAGER))
    assert manager.post(SETTINGS, DETAILS).status_code == 302
    for role in (Role.SALES, Role.WAREHOUSE, Role.ACCOUNTANT):
        client = login(client_a, tenant_a, make_user(tenant_a, f"{role}@alpha.test", role))
        assert client.get(SETTINGS).status_code == 403
        assert client.post(SETTINGS, {**DETAILS, "display_name": role}).status_code == 403
        assert client.post("/settings/print/logo/upload", upload(image_bytes())).status_code == 403
        assert client.post("/settings/print/logo/remove").status_code == 403
    assert profile(tenant_a)["display_name"] == "阿尔法旗舰店" and profile(tenant_a)["logo"] is None


def test_each_tenant_prints_its_own_header(client_b, tenant_a, tenant_b, owner, owner_b):
    owner.post(SETTINGS, DETAILS)
    owner.post("/settings/print/logo/upload", upload(image_bytes()))
    other = login(client_b, tenant_b, owner_b)

    assert other.get("/settings/print/logo").status_code == 404
    assert profile(tenant_b) is None
    assert "阿尔法旗舰店" not in other.get(SETTINGS).content.decode()
    docs_b = in_tenant(tenant_b, documents_create)
    pdf = other.get(pdf_url("purchase_order", docs_b.order.pk)).content
    assert "Beta 商店" in pdf_pages(pdf)[0] and "阿尔法" not in pdf_pages(pdf)[0]
    assert pdf_image_count(pdf) == 0
    with schema_context(tenant_a.schema_name):
        assert ShopProfile.objects.get().display_name == "阿尔法旗舰店"
