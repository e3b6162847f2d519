"""Purchase receipts name themselves in the ledger's history, and link to their order."""

import pytest
from django.utils import translation

from modules.identity.roles import Role
from modules.inventory.sources import source_label, source_url
from modules.purchasing.services import ReceiveLineInput, purchase_receive
from tests.purchasing.conftest import TZ, confirmed, line, login, make_user

pytestmark = pytest.mark.usefixtures("roles_synced")


def test_receipts_are_registered():
    with translation.override("zh-hans"):
        assert source_label("purchase_receipt") == "采购入库"
    with translation.override("en"):
        assert source_label("purchase_receipt") == "Purchase receipt"
    assert source_url("purchase_receipt", 7) == "/purchasing/receipts/7"
    with translation.override("zh-hans"):
        assert [source_label(t) for t in ("purchase_return", "purchase_bill", "purchase_payment")] == [
            "采购退货", "采购发票", "付款单",
        ]  # fmt: skip


def test_a_receipt_page_leads_to_its_order(client_a, tenant_a, shop):
    order = confirmed(shop)
    receipt = purchase_receive(order=order, tz_name=TZ, lines=[ReceiveLineInput(line(order, 0).pk, "1")])
    viewer = login(client_a, tenant_a, make_user(tenant_a, "acc@alpha.test", Role.ACCOUNTANT))
    response = viewer.get(f"/purchasing/receipts/{receipt.pk}")
    assert response.status_code == 302 and response["Location"] == f"/purchasing/{order.pk}"
