from decimal import Decimal

import pytest

from jxc.kernel.errors import AppError
from modules.partners.models import Contact, Partner, PriceTier
from modules.partners.selectors import partner_list
from modules.partners.services import (
    contact_create,
    contact_delete,
    contact_update,
    partner_create,
    partner_deactivate,
    partner_update,
)

pytestmark = pytest.mark.usefixtures("in_tenant_a")


def make(code="S001", name="上海万达贸易", **kwargs):
    kwargs.setdefault("is_supplier", True)
    return partner_create(code=code, name=name, **kwargs)


def test_create_computes_initials_and_normalises():
    partner = make(
        taxpayer_id=" 9144030071526726xg ",
        credit_limit="1000.5",
        payment_terms_days=30,
        price_tier=PriceTier.WHOLESALE,
        is_customer=True,
    )
    partner.refresh_from_db()
    assert partner.name_initials == "shwdmy"
    assert partner.taxpayer_id == "9144030071526726XG"
    assert partner.credit_limit == Decimal("1000.50")
    assert partner.payment_terms_days == 30
    assert partner.is_supplier and partner.is_customer
    assert partner.is_active


@pytest.mark.parametrize(
    "kwargs,field,code",
    [
        ({"code": " "}, "code", "required"),
        ({"name": ""}, "name", "required"),
        ({"is_supplier": False, "is_customer": False}, "is_supplier", "partner_kind_required"),
        ({"taxpayer_id": "9144030071526726XH"}, "taxpayer_id", "taxpayer_id_invalid"),
        ({"taxpayer_id": "12345"}, "taxpayer_id", "taxpayer_id_invalid"),
        ({"taxpayer_id": "31010412345678-"}, "taxpayer_id", "taxpayer_id_invalid"),
        ({"payment_terms_days": -1}, "payment_terms_days", "must_not_be_negative"),
        ({"payment_terms_days": "x"}, "payment_terms_days", "invalid"),
        ({"credit_limit": "-0.01"}, "credit_limit", "must_not_be_negative"),
        ({"credit_limit": "1.005"}, "credit_limit", "invalid"),
        ({"credit_limit": "abc"}, "credit_limit", "invalid"),
        ({"credit_limit": "NaN"}, "credit_limit", "invalid"),
        ({"price_tier": "vip"}, "price_tier", "invalid"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(kwargs, field, code):
    values = {"code": "S001", "name": "供应商", "is_supplier": True} | kwargs
    with pytest.raises(AppError) as caught:
        partner_create(**values)
    assert caught.value.field == field
    assert caught.value.code == code
    assert Partner.objects.count() == 0


def test_code_is_unique():
    make()
    with pytest.raises(AppError) as caught:
        make(name="另一家")
    assert caught.value.field == "code"
    assert caught.value.code == "partner_code_taken"
    assert list(Partner.objects.values_list("name", flat=True)) == ["上海万达贸易"]


def test_update_changes_only_given_fields_and_recomputes_initials():
    partner = make(address="上海市")
    partner_update(partner_id=partner.pk, name="北京商店", credit_limit=Decimal("20"))
    partner.refresh_from_db()
    assert (partner.name, partner.name_initials, partner.credit_limit, partner.address) == (
        "北京商店",
        "bjsd",
        Decimal("20.00"),
        "上海市",
    )


def test_update_refuses_removing_both_kinds_and_changes_nothing():
    partner = make(name="甲")
    with pytest.raises(AppError) as caught:
        partner_update(partner_id=partner.pk, name="乙", is_supplier=False)
    assert caught.value.field == "is_supplier"
    partner.refresh_from_db()
    assert (partner.name, partner.is_supplier) == ("甲", True)


def test_update_unknown_partner_is_not_found():
    with pytest.raises(AppError) as caught:
        partner_update(partner_id=999999, name="x")
    assert caught.value.status_code == 404


def test_deactivate_keeps_the_row():
    partner = make()
    partner_deactivate(partner_id=partner.pk)
    partner.refresh_from_db()
    assert partner.is_active is False
    assert list(partner_list(active=True)) == []
    assert list(partner_list(active=False)) == [partner]


def test_search_by_code_name_initials_taxpayer_id_and_kind():
    supplier = make(code="S001", name="上海万达贸易", taxpayer_id="9144030071526726XG")
    customer = partner_create(code="C001", name="北京商店", is_customer=True)
    both = partner_create(code="B001", name="两用", is_customer=True, is_supplier=True)
    assert list(partner_list(search="s00")) == [supplier]
    assert list(partner_list(search="万达")) == [supplier]
    assert list(partner_list(search="BJSD")) == [customer]
    assert list(partner_list(search="71526726x")) == [supplier]
    assert list(partner_list(kind="supplier")) == [both, supplier]
    assert list(partner_list(kind="customer")) == [both, customer]


def test_contacts_one_primary_per_partner():
    partner = make()
    first = contact_create(partner_id=partner.pk, name="张三", is_primary=True, email="A@B.cn")
    second = contact_create(partner_id=partner.pk, name="李四", is_primary=True)
    first.refresh_from_db()
    assert first.email == "a@b.cn"
    assert (first.is_primary, second.is_primary) == (False, True)
    contact_update(partner_id=partner.pk, contact_id=first.pk, is_primary=True)
    assert list(Contact.objects.filter(is_primary=True).values_list("name", flat=True)) == ["张三"]
    contact_delete(partner_id=partner.pk, contact_id=second.pk)
    assert Contact.objects.count() == 1


def test_contact_bad_input_writes_nothing():
    partner = make()
    with pytest.raises(AppError) as caught:
        contact_create(partner_id=partner.pk, name="张三", email="not-an-email")
    assert caught.value.field == "email"
    with pytest.raises(AppError) as caught:
        contact_create(partner_id=partner.pk, name=" ")
    assert caught.value.field == "name"
    assert Contact.objects.count() == 0


def test_contact_of_another_partner_is_not_found():
    partner = make()
    other = make(code="S002")
    contact = contact_create(partner_id=partner.pk, name="张三")
    with pytest.raises(AppError) as caught:
        contact_update(partner_id=other.pk, contact_id=contact.pk, name="x")
    assert caught.value.status_code == 404
    contact.refresh_from_db()
    assert contact.name == "张三"
