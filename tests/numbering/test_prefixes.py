"""Each shop's own document number prefixes (/settings/numbering/): used by the next number, the year's count
goes on without a gap, refusals name the field and change nothing, owner and manager only, each shop its own."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction
from django_tenants.utils import schema_context

from jxc.kernel.errors import AppError
from modules.identity.roles import Role
from modules.identity.services import roles_sync
from modules.numbering.models import DocumentPrefix, RetiredPrefix
from modules.numbering.registry import doc_type_get, doc_types
from modules.numbering.services import document_number_next, document_prefix_set
from modules.purchasing.enums import PURCHASE_BILL, PURCHASE_ORDER, PURCHASE_ORDER_PREFIX
from modules.sales.enums import RETAIL_SALE
from modules.stockops.enums import DocumentKind

ON = date(2026, 11, 25)
SETTINGS = "/settings/numbering/"


def _next(doc_type: str = PURCHASE_ORDER) -> str:
    with transaction.atomic():
        return document_number_next(doc_type=doc_type, prefix=doc_type_get(doc_type).default_prefix, on=ON)


def test_every_module_type_is_registered():
    registered = {entry.doc_type for entry in doc_types()}
    assert {PURCHASE_ORDER, PURCHASE_BILL, RETAIL_SALE, "stock_count"} <= registered
    assert {str(kind.value) for kind in DocumentKind} <= registered
    prefixes = [entry.default_prefix for entry in doc_types()]
    assert len(prefixes) == len(set(prefixes))


def test_the_override_numbers_the_next_document_and_the_count_goes_on(in_tenant_a):
    assert _next() == "CG202600001"
    assert document_prefix_set(doc_type=PURCHASE_ORDER, prefix=" po ") == "PO"
    assert _next() == "PO202600002"
    # The prefix argument is only the default: the shop's own wins.
    with transaction.atomic():
        assert document_number_next(doc_type=PURCHASE_ORDER, prefix="XX", on=ON) == "PO202600003"
    assert document_prefix_set(doc_type=PURCHASE_ORDER, prefix="") == PURCHASE_ORDER_PREFIX
    assert not DocumentPrefix.objects.exists()
    assert _next() == "CG202600004"


@pytest.mark.parametrize("prefix", ["TOOLONGPX", "CG-1", "采购", "A B"])
def test_a_bad_prefix_is_refused_naming_the_field(in_tenant_a, prefix):
    with pytest.raises(AppError) as refused:
        document_prefix_set(doc_type=PURCHASE_ORDER, prefix=prefix)
    assert refused.value.field == "prefix"
    assert not DocumentPrefix.objects.exists()


def test_an_unknown_type_is_refused(in_tenant_a):
    with pytest.raises(AppError) as refused:
        document_prefix_set(doc_type="no_such_type", prefix="AB")
    assert refused.value.field == "doc_type"


def test_a_prefix_of_another_type_is_refused(in_tenant_a):
    # The bill's default prefix, and then a prefix another type was given.
    with pytest.raises(AppError) as refused:
        document_prefix_set(doc_type=PURCHASE_ORDER, prefix="CGFP")
    assert refused.value.field == "prefix" and refused.value.code == "prefix_taken"
    document_prefix_set(doc_type=PURCHASE_BILL, prefix="FP")
    with pytest.raises(AppError):
        document_prefix_set(doc_type=PURCHASE_ORDER, prefix="FP")
    # Freed when the bill goes back to its default; CGFP is not retired, no bill was numbered with it.
    document_prefix_set(doc_type=PURCHASE_BILL, prefix="")
    assert document_prefix_set(doc_type=PURCHASE_ORDER, prefix="FP") == "FP"
    assert DocumentPrefix.objects.get().doc_type == PURCHASE_ORDER


def test_a_prefix_that_numbered_documents_stays_with_its_type(in_tenant_a):
    assert _next() == "CG202600001"
    document_prefix_set(doc_type=PURCHASE_ORDER, prefix="PO")
    assert RetiredPrefix.objects.filter(doc_type=PURCHASE_ORDER, prefix="CG").exists()
    # A bill numbered CG202600001 would share the order's number.
    with pytest.raises(AppError) as refused:
        document_prefix_set(doc_type=PURCHASE_BILL, prefix="CG")
    assert refused.value.field == "prefix"
    # The order itself may go back to it: its own count keeps the numbers apart.
    assert document_prefix_set(doc_type=PURCHASE_ORDER, prefix="CG") == "CG"
    assert _next() == "CG202600002"


# The settings page.


def _user(tenant, email: str, role: str) -> User:
    with schema_context(tenant.schema_name):
        user = User.objects.create_user(username=email, email=email, password="x-Secret-123")
        user.groups.add(Group.objects.get(name=role))
        return user


def _login(client, tenant, user):
    with schema_context(tenant.schema_name):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def synced(tenant_a, tenant_b):
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            roles_sync()


def _prefixes(tenant) -> dict:
    with schema_context(tenant.schema_name):
        return dict(DocumentPrefix.objects.values_list("doc_type", "prefix"))


def test_the_page_lists_every_type_in_both_languages(synced, client_a, tenant_a, owner_a):
    owner = _login(client_a, tenant_a, owner_a)
    page = owner.get(SETTINGS)
    assert page.status_code == 200
    body = page.content.decode()
    assert "单据编号" in body and "采购订单" in body
    for entry in doc_types():
        assert f'id="prefix-{entry.doc_type}"' in body
    assert "Document numbers" in owner.get(SETTINGS, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_owner_sets_a_prefix_and_a_refusal_names_the_row(synced, client_a, tenant_a, owner_a):
    owner = _login(client_a, tenant_a, owner_a)
    assert owner.post(SETTINGS, {"doc_type": PURCHASE_ORDER, "prefix": "po"}).status_code == 302
    assert _prefixes(tenant_a) == {PURCHASE_ORDER: "PO"}
    assert "PO202600001" in owner.get(SETTINGS).content.decode()
    refused = owner.post(SETTINGS, {"doc_type": PURCHASE_BILL, "prefix": "PO"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    body = refused.content.decode()
    assert f'id="prefix-error-{PURCHASE_BILL}"' in body and "Purchase order" in body
    bad = owner.post(SETTINGS, {"doc_type": PURCHASE_BILL, "prefix": "TOO-LONG-1"})
    assert bad.status_code == 400 and f'id="prefix-error-{PURCHASE_BILL}"' in bad.content.decode()
    assert _prefixes(tenant_a) == {PURCHASE_ORDER: "PO"}


def test_only_the_owner_and_manager_change_it(synced, client_a, tenant_a):
    manager = _login(client_a, tenant_a, _user(tenant_a, "manager@alpha.test", Role.MANAGER))
    assert manager.post(SETTINGS, {"doc_type": PURCHASE_ORDER, "prefix": "PO"}).status_code == 302
    for role in (Role.PURCHASING, Role.SALES, Role.WAREHOUSE, Role.ACCOUNTANT):
        client = _login(client_a, tenant_a, _user(tenant_a, f"{role}@alpha.test", role))
        assert client.get(SETTINGS).status_code == 403
        assert client.post(SETTINGS, {"doc_type": PURCHASE_ORDER, "prefix": role[:8].upper()}).status_code == 403
    assert _prefixes(tenant_a) == {PURCHASE_ORDER: "PO"}


def test_each_shop_keeps_its_own_prefixes(synced, client_a, client_b, tenant_a, tenant_b, owner_a, owner_b):
    _login(client_a, tenant_a, owner_a).post(SETTINGS, {"doc_type": PURCHASE_ORDER, "prefix": "PO"})
    assert _prefixes(tenant_b) == {}
    other = _login(client_b, tenant_b, owner_b)
    assert 'value="PO"' not in other.get(SETTINGS).content.decode()
    with schema_context(tenant_b.schema_name):
        assert _next() == "CG202600001"
    with schema_context(tenant_a.schema_name):
        assert _next() == "PO202600001"
