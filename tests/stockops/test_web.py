"""Stock document pages: list and filters, the form with htmx line rows and the item picker, the detail
page's lifecycle buttons per status and role, isolation."""

from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from modules.identity.roles import Role
from modules.stockops import services
from modules.stockops.models import StockDocument
from modules.stockops.services import LineInput
from tests.stockops.conftest import (
    TZ,
    backdated_receipt_confirmed,
    ledger_state,
    login,
    make_user,
    on_hand,
    shop_create,
)

pytestmark = pytest.mark.usefixtures("roles_synced")

TODAY = services.today_in(TZ)


@pytest.fixture
def shop_a(tenant_a):
    with schema_context(tenant_a.schema_name):
        return shop_create()


@pytest.fixture
def owner(client_a, tenant_a, owner_a):
    # English, so the assertions read the messages as written; one test checks the Chinese page.
    client_a.cookies["django_language"] = "en"
    return login(client_a, tenant_a, owner_a)


def in_a(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


def draft(tenant, shop, kind="stock_in", lines=None, **head):
    lines = lines or [LineInput(shop.cola, shop.bottle, "10", "5.00", shop.a)]
    return in_a(
        tenant,
        lambda: services.stock_document_create(
            kind=kind, date=TODAY, warehouse=shop.main, lines=lines, tz_name=TZ, **head
        ),
    )


def form_data(shop, rows, **head):
    data = {"date": TODAY.isoformat(), "warehouse": shop.main.pk, "note": "", "lines-TOTAL_FORMS": len(rows)}
    data |= {"lines-INITIAL_FORMS": 0, "lines-MIN_NUM_FORMS": 0, "lines-MAX_NUM_FORMS": 1000, **head}
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"lines-{index}-{name}"] = value
    return data


def test_the_nav_and_list_with_filters(owner, tenant_a, shop_a):
    receipt = draft(tenant_a, shop_a)
    page = owner.get("/stock/documents/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-nav="stock_documents"' in html
    assert f'data-document="{receipt.number}"' in html
    assert 'id="new-transfer"' in html
    partial = owner.get("/stock/documents/", {"kind": "transfer"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and receipt.number not in partial
    by_item = owner.get("/stock/documents/", {"item": "kkkl"}).content.decode()  # 可口可乐's pinyin initials
    assert receipt.number in by_item
    assert receipt.number not in owner.get("/stock/documents/", {"item": "nn"}).content.decode()


def test_create_a_receipt_through_the_form(owner, tenant_a, shop_a):
    page = owner.get("/stock/documents/new/stock_in")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="id_partner"' in html and 'id="id_target_warehouse"' not in html and 'data-line="0"' in html
    data = form_data(
        shop_a,
        [{"item": shop_a.cola.pk, "unit": shop_a.case.pk, "quantity": "2", "unit_cost": "48", "location": shop_a.a.pk}],
        partner=shop_a.supplier.pk,
    )
    response = owner.post("/stock/documents/new/stock_in", data)
    assert response.status_code == 302
    document = in_a(tenant_a, lambda: StockDocument.objects.get())
    assert response["Location"] == f"/stock/documents/{document.pk}"
    line = in_a(tenant_a, lambda: document.lines.get())
    assert (document.partner_id, line.quantity, line.base_quantity, line.location_id) == (
        shop_a.supplier.pk,
        D("2"),
        D("48"),
        shop_a.a.pk,
    )


def test_a_bad_line_is_shown_on_its_row_and_nothing_is_saved(owner, tenant_a, shop_a):
    before = in_a(tenant_a, ledger_state)
    rows = [
        {"item": shop_a.cola.pk, "unit": shop_a.bottle.pk, "quantity": "1", "unit_cost": "1"},
        {},  # a removed or empty row is skipped
        {"item": shop_a.cola.pk, "unit": shop_a.bottle.pk, "quantity": "-1", "unit_cost": "1"},
    ]
    response = owner.post("/stock/documents/new/stock_in", form_data(shop_a, rows))
    assert response.status_code == 400
    html = response.content.decode()
    # The service named lines.1 (the second line sent); the form shows it on row 2 (the third row).
    row = html[html.index('id="line-2"') :]
    assert "Line 2: the quantity must be greater than zero." in row[: row.index("</fieldset>")]
    assert in_a(tenant_a, ledger_state) == before


def test_adding_a_line_returns_the_next_row_and_raises_the_count(owner, shop_a):
    response = owner.get("/stock/documents/lines/new", {"kind": "transfer", "lines-TOTAL_FORMS": "3"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="line-3"' in html and 'id="id_lines-3-target_location"' in html
    assert 'id="id_lines-TOTAL_FORMS"' in html and 'value="4"' in html and 'hx-swap-oob="true"' in html


def test_a_scanned_barcode_fills_the_row(owner, shop_a):
    response = owner.get(
        "/stock/documents/lines/pick",
        {"kind": "stock_in", "index": "0", "lines-0-search": "6901234567892", "lines-0-quantity": "3"},
    )
    assert response.status_code == 200
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#line-0", "outerHTML")
    html = response.content.decode()
    assert f'name="lines-0-item" id="id_lines-0-item" value="{shop_a.cola.pk}"' in html
    assert 'value="3"' in html and "autofocus" in html
    assert f'<option value="{shop_a.case.pk}">箱 (= 24 瓶)</option>' in html


def test_a_search_lists_candidates_to_pick(owner, shop_a):
    response = owner.get("/stock/documents/lines/pick", {"kind": "stock_out", "index": "1", "lines-1-search": "nn"})
    html = response.content.decode()
    assert 'data-pick="MILK"' in html and 'data-pick="COLA"' not in html
    assert f"pick={shop_a.milk.pk}" in html
    picked = owner.get("/stock/documents/lines/pick", {"kind": "stock_out", "index": "1", "pick": shop_a.milk.pk})
    html = picked.content.decode()
    assert 'id="line-1"' in html and 'id="id_lines-1-lot_code"' in html  # milk is lot-tracked
    assert (
        "No item matches"
        in owner.get(
            "/stock/documents/lines/pick", {"kind": "stock_out", "index": "1", "lines-1-search": "zzz"}
        ).content.decode()
    )


def test_the_lifecycle_through_the_buttons(owner, tenant_a, shop_a):
    document = draft(tenant_a, shop_a)
    url = f"/stock/documents/{document.pk}"
    html = owner.get(url).content.decode()
    assert all(f'id="action-{name}"' in html for name in ("edit", "confirm", "cancel"))
    assert 'id="action-post"' not in html
    owner.post(f"{url}/confirm")
    html = owner.get(url).content.decode()
    assert 'id="action-post"' in html and 'id="action-edit"' not in html
    owner.post(f"{url}/post")
    html = owner.get(url).content.decode()
    assert 'data-status="posted"' in html and 'id="action-reverse"' in html and 'id="document-moves"' in html
    assert in_a(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main, shop_a.a)) == D("10")
    response = owner.post(f"{url}/reverse", {"date": TODAY.isoformat()}, follow=True)
    reversal = in_a(tenant_a, lambda: StockDocument.objects.get(reverses=document))
    assert response.redirect_chain[-1][0] == f"/stock/documents/{reversal.pk}"
    assert 'id="reverses"' in response.content.decode()
    html = owner.get(url).content.decode()
    assert 'id="reversed-by"' in html and 'id="action-reverse"' not in html
    assert in_a(tenant_a, lambda: on_hand(shop_a.cola, shop_a.main, shop_a.a)) == D("0")


def test_a_refused_post_shows_why_and_changes_nothing(owner, tenant_a, shop_a):
    document = draft(tenant_a, shop_a, "stock_out", [LineInput(shop_a.cola, shop_a.bottle, "5")])
    owner.post(f"/stock/documents/{document.pk}/confirm")
    before = in_a(tenant_a, ledger_state)
    response = owner.post(f"/stock/documents/{document.pk}/post", follow=True)
    assert "Line 1: not enough" in response.content.decode()
    assert in_a(tenant_a, ledger_state) == before


def test_revalued_documents_are_shown_after_posting(owner, tenant_a, shop_a):
    issue, receipt = in_a(tenant_a, lambda: backdated_receipt_confirmed(shop_a))
    html = owner.post(f"/stock/documents/{receipt.pk}/post", follow=True).content.decode()
    assert f"changed the cost of later documents: {issue.number} (-20.00 → -26.00)" in html


def test_edit_a_draft(owner, tenant_a, shop_a):
    document = draft(tenant_a, shop_a)
    html = owner.get(f"/stock/documents/{document.pk}/edit").content.decode()
    assert 'value="10"' in html and 'value="5"' in html and f'value="{shop_a.cola.pk}"' in html
    rows = [{"item": shop_a.cola.pk, "unit": shop_a.bottle.pk, "quantity": "7", "unit_cost": "2"}]
    assert owner.post(f"/stock/documents/{document.pk}/edit", form_data(shop_a, rows, note="改")).status_code == 302
    assert in_a(tenant_a, lambda: [x.quantity for x in document.lines.all()]) == [D("7")]


def test_a_view_only_role_sees_no_buttons_and_may_not_act(client_a, tenant_a, shop_a):
    document = draft(tenant_a, shop_a)
    sales = login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    html = sales.get(f"/stock/documents/{document.pk}").content.decode()
    assert 'id="document-actions"' in html and "data-action=" not in html
    assert 'id="new-stock_in"' not in sales.get("/stock/documents/").content.decode()
    assert sales.get("/stock/documents/new/stock_in").status_code == 403
    assert sales.post(f"/stock/documents/{document.pk}/confirm").status_code == 403
    assert in_a(tenant_a, lambda: StockDocument.objects.get().status) == "draft"


def test_a_warehouse_clerk_may_create_and_post(client_a, tenant_a, shop_a):
    document = draft(tenant_a, shop_a)
    clerk = login(client_a, tenant_a, make_user(tenant_a, "clerk@alpha.test", Role.WAREHOUSE))
    clerk.post(f"/stock/documents/{document.pk}/confirm")
    clerk.post(f"/stock/documents/{document.pk}/post")
    assert in_a(tenant_a, lambda: StockDocument.objects.get().status) == "posted"


def test_another_shop_gets_404(client_b, tenant_a, tenant_b, owner_b, shop_a):
    document = draft(tenant_a, shop_a)
    assert in_a(tenant_b, lambda: StockDocument.objects.filter(pk=document.pk).exists()) is False
    owner = login(client_b, tenant_b, owner_b)
    assert owner.get(f"/stock/documents/{document.pk}").status_code == 404
    assert owner.get(f"/stock/documents/{document.pk}/edit").status_code == 404
    for action in ("confirm", "post", "cancel", "reverse"):
        assert owner.post(f"/stock/documents/{document.pk}/{action}").status_code == 404
    assert in_a(tenant_a, lambda: StockDocument.objects.get().status) == "draft"


def test_pages_speak_chinese_by_default(client_a, tenant_a, owner_a, shop_a):
    document = draft(tenant_a, shop_a)
    chinese = login(client_a, tenant_a, owner_a).get(f"/stock/documents/{document.pk}").content.decode()
    assert "其它入库" in chinese and 'data-action="confirm">审核</button>' in chinese and "草稿" in chinese
    form = client_a.get("/stock/documents/new/transfer").content.decode()
    assert "调入仓库" in form and "扫描条码" in form


def test_the_list_page_costs_the_same_few_queries_for_more_documents(
    owner, tenant_a, shop_a, django_assert_max_num_queries
):
    draft(tenant_a, shop_a)
    owner.get("/stock/documents/")
    with django_assert_max_num_queries(20) as few:
        owner.get("/stock/documents/")
    baseline = len(few.captured_queries)  # read now: every request clears the connection's query log
    for _ in range(5):
        draft(tenant_a, shop_a, "stock_out", [LineInput(shop_a.cola, shop_a.bottle, "1")], partner=shop_a.customer)
    with django_assert_max_num_queries(baseline):
        assert owner.get("/stock/documents/").content.decode().count("data-document=") == 6


def test_the_document_page_links_its_pdf_in_a_new_tab(owner, client_a, tenant_a, shop_a):
    document = draft(tenant_a, shop_a)
    link = f'href="/print/stock_document/{document.pk}.pdf" target="_blank">'
    assert link + "Print</a>" in owner.get(f"/stock/documents/{document.pk}").content.decode()
    pdf = owner.get(f"/print/stock_document/{document.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # A role that may only look at stock documents may print them too.
    sales = login(client_a, tenant_a, make_user(tenant_a, "sales@alpha.test", Role.SALES))
    assert link in sales.get(f"/stock/documents/{document.pk}").content.decode()
