from decimal import Decimal as D

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from modules.inventory.models import StockBalance
from modules.stockcount import services
from modules.stockcount.models import CountScope, CountStatus, StockCount, StockCountLine
from modules.stockcount.services import CountedEntry
from tests.stockcount.conftest import CHIPS_BARCODE, COLA_BARCODE, COLA_CASE_BARCODE, TZ, login, make_user, shop_build

pytestmark = pytest.mark.usefixtures("roles_synced")
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def shop_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        return shop_build()


@pytest.fixture
def counting(tenant_a, shop_a) -> StockCount:
    with schema_context(tenant_a.schema_name):
        count = services.stock_count_create(warehouse=shop_a.wh, scope=CountScope.WAREHOUSE, tz_name=TZ)
        return services.stock_count_freeze(count=count)


def line_of(tenant, count, code, location_code=None) -> StockCountLine:
    with schema_context(tenant.schema_name):
        qs = StockCountLine.objects.filter(count=count, item__code=code)
        return qs.get(location__code=location_code) if location_code else qs.get(location=None)


def test_anonymous_goes_to_login(client_a):
    response = client_a.get("/stock/counts/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_new_count_form_creates_and_starts_the_count(owner_client_a, tenant_a, shop_a):
    page = owner_client_a.get("/stock/counts/new").content.decode()
    assert 'id="count-form"' in page and 'name="scope"' in page
    assert f'type="date" name="date" value="{services.tenant_today(TZ).isoformat()}"' in page
    response = owner_client_a.post(
        "/stock/counts/new",
        {"date": services.tenant_today(TZ).isoformat(), "warehouse": shop_a.wh.pk, "scope": "location",
         "location": shop_a.zone_a.pk, "category": shop_a.drinks.pk, "note": "A 区", "start": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        count = StockCount.objects.get()
        # The category of a hidden field is dropped: this is a count of zone A.
        assert (count.status, count.scope, count.location, count.category, count.note) == (
            CountStatus.COUNTING, "location", shop_a.zone_a, None, "A 区",
        )  # fmt: skip
        assert count.lines.count() == 2
    assert response["Location"] == f"/stock/counts/{count.pk}"
    listing = owner_client_a.get("/stock/counts/").content.decode()
    assert f'data-count="{count.number}" data-status="counting"' in listing
    assert 'data-nav="stockcount"' in listing


def test_new_count_form_shows_the_service_error_and_creates_nothing(owner_client_a, tenant_a, shop_a):
    response = owner_client_a.post(
        "/stock/counts/new",
        {"date": services.tenant_today(TZ).isoformat(), "warehouse": shop_a.other_wh.pk, "scope": "location",
         "location": shop_a.zone_a.pk},
    )  # fmt: skip
    assert response.status_code == 400
    assert 'id="id_location-errors"' in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert StockCount.objects.count() == 0


def test_counting_page_has_the_scanner_and_the_lines(owner_client_a, tenant_a, counting):
    page = owner_client_a.get(f"/stock/counts/{counting.pk}").content.decode()
    assert '<input id="scan-barcode" name="barcode" autofocus' in page
    cola = line_of(tenant_a, counting, "COLA", "A1")
    assert f'id="line-{cola.pk}" data-line="{cola.pk}" data-item="COLA" data-location="A1"' in page
    assert 'data-expected="30" data-counted="" data-difference=""' in page
    assert f'id="counted-{cola.pk}"' in page and 'id="count-post"' in page


def test_scan_via_htmx_updates_the_line_and_the_summary(owner_client_a, tenant_a, shop_a, counting):
    url = f"/stock/counts/{counting.pk}/scan"
    response = owner_client_a.post(url, {"barcode": COLA_CASE_BARCODE, "location": shop_a.shelf_a1.pk}, **HX)
    text = response.content.decode()
    cola = line_of(tenant_a, counting, "COLA", "A1")
    assert response.status_code == 200 and "<html" not in text
    assert f'data-scan="ok" data-line="{cola.pk}"' in text
    assert 'data-counted="24" data-difference="-6"' in text and 'hx-swap-oob="true"' in text
    assert 'id="count-summary" hx-swap-oob="true"' in text and 'data-counted="1"' in text
    assert cola.counted == D("24")
    # An item the count did not expect gets a new line appended to the table.
    found = owner_client_a.post(url, {"barcode": CHIPS_BARCODE, "location": shop_a.zone_b.pk}, **HX).content.decode()
    assert 'hx-swap-oob="beforeend:#count-lines-body"' in found and 'data-item="CHIPS" data-location="B"' in found


def test_scan_errors_are_shown_and_change_nothing(owner_client_a, tenant_a, shop_a, counting):
    url = f"/stock/counts/{counting.pk}/scan"
    for body in ({"barcode": "0000"}, {"barcode": COLA_BARCODE}, {"barcode": COLA_BARCODE, "location": "x"}):
        text = owner_client_a.post(url, body, **HX).content.decode()
        assert 'data-scan="error"' in text and "hx-swap-oob" not in text
    with schema_context(tenant_a.schema_name):
        assert not StockCountLine.objects.filter(count=counting, counted__isnull=False).exists()
    # Without JavaScript the scan posts the form and comes back to the page.
    response = owner_client_a.post(url, {"barcode": COLA_BARCODE, "location": shop_a.zone_b.pk})
    assert response.status_code == 302 and line_of(tenant_a, counting, "COLA", "B").counted == D("1")


def test_typing_a_quantity_sets_the_line_and_a_bad_one_is_shown_on_the_line(owner_client_a, tenant_a, counting):
    cola = line_of(tenant_a, counting, "COLA", "A1")
    url = f"/stock/counts/{counting.pk}/lines/{cola.pk}/counted"
    text = owner_client_a.post(url, {"counted": "28"}, **HX).content.decode()
    assert text.startswith(f'<tr id="line-{cola.pk}"') and 'data-counted="28" data-difference="-2"' in text
    text = owner_client_a.post(url, {"counted": "-1"}, **HX).content.decode()
    assert f'id="line-{cola.pk}-error"' in text and 'aria-invalid="true"' in text
    assert line_of(tenant_a, counting, "COLA", "A1").counted == D("28")


def test_line_filters_return_only_the_lines_asked_for(owner_client_a, tenant_a, counting):
    with schema_context(tenant_a.schema_name):
        cola, tea = line_of(tenant_a, counting, "COLA", "A1"), line_of(tenant_a, counting, "TEA")
        services.stock_count_counted_set(
            count=counting, entries=[CountedEntry(cola.pk, "29"), CountedEntry(tea.pk, "10")]
        )
    url = f"/stock/counts/{counting.pk}"
    differences = owner_client_a.get(url, {"only": "differences"}, HTTP_HX_TARGET="count-lines", **HX).content.decode()
    assert "<html" not in differences and differences.count("data-line=") == 1 and 'data-item="COLA"' in differences
    uncounted = owner_client_a.get(url, {"only": "uncounted"}).content.decode()
    assert uncounted.count("data-line=") == 2 and 'data-item="TEA"' not in uncounted


def test_post_reverse_and_the_posted_page(owner_client_a, tenant_a, shop_a, counting):
    with schema_context(tenant_a.schema_name):
        services.stock_count_counted_set(
            count=counting, entries=[CountedEntry(line_of(tenant_a, counting, "COLA", "A1").pk, "27")]
        )
    refused = owner_client_a.post(f"/stock/counts/{counting.pk}/post", {"uncounted": "refuse"}, follow=True)
    assert "TEA 茶" in refused.content.decode()
    response = owner_client_a.post(f"/stock/counts/{counting.pk}/post", {"uncounted": "ignore"}, follow=True)
    page = response.content.decode()
    assert 'data-count-status="posted"' in page and 'data-move-item="COLA" data-quantity="-3"' in page
    assert 'id="count-reverse"' in page and 'id="scan-barcode"' not in page
    with schema_context(tenant_a.schema_name):
        assert StockBalance.objects.get(item=shop_a.cola, location=shop_a.shelf_a1).on_hand == D("27")
    reversal_page = owner_client_a.post(f"/stock/counts/{counting.pk}/reverse", follow=True).content.decode()
    assert f'id="count-reverses">{counting.number}' in reversal_page and 'data-quantity="+3"' in reversal_page
    with schema_context(tenant_a.schema_name):
        assert StockBalance.objects.get(item=shop_a.cola, location=shop_a.shelf_a1).on_hand == D("30")
    original = owner_client_a.get(f"/stock/counts/{counting.pk}").content.decode()
    assert 'id="count-reversed-by"' in original and 'id="count-reverse"' not in original


def test_found_stock_added_through_the_form(owner_client_a, tenant_a, shop_a, counting):
    url = f"/stock/counts/{counting.pk}/lines"
    owner_client_a.post(url, {"item": "TEA", "location": shop_a.zone_b.pk, "counted": "3"})
    assert line_of(tenant_a, counting, "TEA", "B").counted == D("3")
    page = owner_client_a.post(url, {"item": "NOPE", "counted": "3"}, follow=True).content.decode()
    assert '<li class="error">' in page
    with schema_context(tenant_a.schema_name):
        assert counting.lines.count() == 5


def test_cancel_freeze_buttons_and_status_errors(owner_client_a, tenant_a, shop_a):
    with schema_context(tenant_a.schema_name):
        draft = services.stock_count_create(warehouse=shop_a.wh, scope=CountScope.WAREHOUSE, tz_name=TZ)
    page = owner_client_a.get(f"/stock/counts/{draft.pk}").content.decode()
    assert 'id="count-freeze"' in page and 'id="scan-barcode"' not in page
    owner_client_a.post(f"/stock/counts/{draft.pk}/cancel")
    again = owner_client_a.post(f"/stock/counts/{draft.pk}/freeze", follow=True).content.decode()
    assert 'data-count-status="cancelled"' in again and 'class="error"' in again
    with schema_context(tenant_a.schema_name):
        assert StockCount.objects.get(pk=draft.pk).lines.count() == 0


def test_viewers_cannot_count_and_warehouse_staff_can(client_a, tenant_a, shop_a, counting):
    sales = login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", "sales"))
    assert sales.get(f"/stock/counts/{counting.pk}").status_code == 200
    assert 'id="scan-barcode"' not in sales.get(f"/stock/counts/{counting.pk}").content.decode()
    assert sales.post(f"/stock/counts/{counting.pk}/scan", {"barcode": COLA_BARCODE}).status_code == 403
    assert sales.get("/stock/counts/new").status_code == 403
    staff = login(client_a, tenant_a, make_user(tenant_a, "wh@alpha.test", "warehouse"))
    url = f"/stock/counts/{counting.pk}/scan"
    assert staff.post(url, {"barcode": COLA_BARCODE, "location": shop_a.zone_b.pk}).status_code == 302
    assert line_of(tenant_a, counting, "COLA", "B").counted == D("1")


def test_beta_cannot_see_or_change_alphas_count(owner_client_b, tenant_a, counting):
    cola = line_of(tenant_a, counting, "COLA", "A1")
    assert owner_client_b.get(f"/stock/counts/{counting.pk}").status_code == 404
    for path in ("scan", "post", "cancel", "freeze", "reverse", "lines", f"lines/{cola.pk}/counted"):
        assert (
            owner_client_b.post(
                f"/stock/counts/{counting.pk}/{path}", {"barcode": COLA_BARCODE, "counted": "1"}
            ).status_code
            == 404
        )
    assert f'data-count="{counting.number}"' not in owner_client_b.get("/stock/counts/").content.decode()
    with schema_context(tenant_a.schema_name):
        assert StockCount.objects.get(pk=counting.pk).status == CountStatus.COUNTING
        assert StockCountLine.objects.get(pk=cola.pk).counted is None


def test_pages_in_chinese_and_english(owner_client_a, tenant_a, counting):
    zh = owner_client_a.get(f"/stock/counts/{counting.pk}", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "扫描或输入条码后按回车" in zh and "实盘数" in zh and ">盘点<" in zh
    with translation.override("en"):
        en = owner_client_a.get(f"/stock/counts/{counting.pk}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Scan or type a barcode, then Enter" in en and "Post the differences" in en
    with translation.override("en"):
        error = owner_client_a.post(
            f"/stock/counts/{counting.pk}/scan", {"barcode": "0000"}, HTTP_ACCEPT_LANGUAGE="en", **HX
        ).content.decode()
    assert "No item has the barcode 0000." in error
    zh_error = owner_client_a.post(
        f"/stock/counts/{counting.pk}/scan", {"barcode": "0000"}, HTTP_ACCEPT_LANGUAGE="zh-hans", **HX
    ).content.decode()
    assert "没有商品使用条码 0000。" in zh_error
