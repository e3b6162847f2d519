"""Reads on partners."""

from django.db.models import F, Q, QuerySet

from modules.partners.domain import taxpayer_id_normalise
from modules.partners.models import Contact, Partner, SupplierItem


class Kind:
    SUPPLIER = "supplier"
    CUSTOMER = "customer"


def partner_list(*, search: str = "", kind: str = "", active: bool | None = None) -> QuerySet[Partner]:
    """Partners by code, name, pinyin initials or taxpayer id; `kind` is "supplier", "customer" or "" (all)."""
    partners = Partner.objects.all()
    search = (search or "").strip()
    if search:
        partners = partners.filter(
            Q(code__icontains=search)
            | Q(name__icontains=search)
            | Q(name_initials__icontains=search.lower())
            | Q(taxpayer_id__icontains=taxpayer_id_normalise(search))
        )
    if kind == Kind.SUPPLIER:
        partners = partners.filter(is_supplier=True)
    elif kind == Kind.CUSTOMER:
        partners = partners.filter(is_customer=True)
    if active is not None:
        partners = partners.filter(is_active=active)
    return partners.order_by("code")


def partner_get(*, partner_id: int) -> Partner | None:
    return Partner.objects.filter(pk=partner_id).first()


def partner_contacts(*, partner_id: int) -> QuerySet[Contact]:
    return Contact.objects.filter(partner_id=partner_id).order_by("-is_primary", "id")


def partner_primary_contact(*, partner_id: int) -> Contact | None:
    return Contact.objects.filter(partner_id=partner_id, is_primary=True).first()


def supplier_items(*, supplier_id: int) -> QuerySet[SupplierItem]:
    """The items one supplier supplies, with the item loaded."""
    return (
        SupplierItem.objects.filter(supplier_id=supplier_id)
        .select_related("item__base_unit", "purchase_unit__unit")
        .order_by("item__code")
    )


def item_suppliers(*, item_id: int, active_only: bool = True) -> QuerySet[SupplierItem]:
    """The suppliers of one item (with their code and last price), cheapest known price first."""
    rows = SupplierItem.objects.filter(item_id=item_id, supplier__is_supplier=True).select_related("supplier")
    if active_only:
        rows = rows.filter(supplier__is_active=True)
    return rows.order_by(F("last_purchase_price").asc(nulls_last=True), "supplier__code")
