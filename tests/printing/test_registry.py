"""A module's own builder, registered as the registry's docstring says, is printed by the same view with
the permission it names; bad registrations are refused."""

from datetime import date

import pytest

from modules.identity.roles import Role
from modules.printing.domain import PrintColumn, PrintDocument
from modules.printing.registry import print_register, print_type_get, print_unregister
from tests.printing.conftest import login, make_user
from tests.printing.pdfs import pdf_pages

pytestmark = pytest.mark.usefixtures("roles_synced")
seen = []


def delivery_note(pk: int, *, tenant) -> PrintDocument | None:
    seen.append((pk, tenant.slug))
    if pk != 7:
        return None
    return PrintDocument(
        title="送货单", number="SH202600007", date=date(2026, 11, 25),
        columns=[PrintColumn("品名"), PrintColumn("数量", align="right")], rows=[["可口可乐", "24"]],
    )  # fmt: skip


@pytest.fixture
def registered():
    print_register("test_delivery", delivery_note, permission="sales.view_retailsale")
    yield
    print_unregister("test_delivery")


def test_a_registered_builder_is_printed_by_the_view(client_a, tenant_a, owner_a, registered):
    owner = login(client_a, tenant_a, owner_a)
    response = owner.get("/print/test_delivery/7.pdf")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="SH202600007.pdf"'
    assert "送货单" in pdf_pages(response.content)[0] and seen[-1] == (7, "alpha")
    assert owner.get("/print/test_delivery/8.pdf").status_code == 404
    buyer = login(client_a, tenant_a, make_user(tenant_a, "buyer@alpha.test", Role.PURCHASING))
    calls = len(seen)
    assert buyer.get("/print/test_delivery/7.pdf").status_code == 403
    assert len(seen) == calls  # refused without building


def test_unregistered_types_are_gone():
    print_register("test_gone", delivery_note, permission="sales.view_retailsale")
    print_unregister("test_gone")
    assert print_type_get("test_gone") is None


@pytest.mark.parametrize(("doc_type", "permission"), [("", "a.b"), ("a/b", "a.b"), ("ok", "view_all"), ("ok", "a.b.c")])
def test_bad_registrations_are_refused(doc_type, permission):
    with pytest.raises(ValueError):
        print_register(doc_type, delivery_note, permission=permission)
