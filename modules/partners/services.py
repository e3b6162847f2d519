"""Writes on partners and their contacts: one transaction each; bad input raises AppError naming the field."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError, NotFound
from modules.partners.domain import pinyin_initials, taxpayer_id_normalise, taxpayer_id_problem
from modules.partners.models import Contact, Partner, PriceTier, SupplierItem


class Code:
    REQUIRED = "required"
    CODE_TAKEN = "partner_code_taken"
    NO_KIND = "partner_kind_required"
    TAXPAYER_ID_INVALID = "taxpayer_id_invalid"
    NEGATIVE = "must_not_be_negative"
    INVALID = "invalid"
    EMAIL_INVALID = "email_invalid"
    NOT_FOUND = "not_found"
    NOT_A_SUPPLIER = "partner_not_a_supplier"


# A lead time beyond a year is a typing slip rather than a supplier.
LEAD_TIME_MAX = 365

# Fields a caller may set on a partner (besides code/name/kinds, validated separately).
PARTNER_FIELDS = (
    "code",
    "name",
    "is_supplier",
    "is_customer",
    "taxpayer_id",
    "bank_name",
    "bank_account",
    "address",
    "payment_terms_days",
    "lead_time_days",
    "credit_limit",
    "price_tier",
    "notes",
    "is_active",
)
CONTACT_FIELDS = ("name", "phone", "email", "title", "is_primary")
_MAX_LENGTHS = {f.name: f.max_length for f in Partner._meta.fields if getattr(f, "max_length", None)}
_CONTACT_MAX_LENGTHS = {f.name: f.max_length for f in Contact._meta.fields if getattr(f, "max_length", None)}


def _text(value, *, field: str, max_length: int | None, required: bool = False) -> str:
    text = ("" if value is None else str(value)).strip()
    if required and not text:
        raise AppError(Code.REQUIRED, _("This field is required."), field=field)
    if max_length and len(text) > max_length:
        raise AppError(
            Code.INVALID,
            _("Use at most %(count)d characters.") % {"count": max_length},
            field=field,
        )
    return text


def _taxpayer_id(value) -> str:
    normalised = taxpayer_id_normalise(value or "")
    if not normalised:
        return ""
    problem = taxpayer_id_problem(normalised)
    if problem == "length":
        message = _("A taxpayer id has 15, 17, 18 or 20 characters.")
    elif problem == "characters":
        message = _("A taxpayer id has only digits and capital letters.")
    elif problem == "check":
        message = _("This unified social credit code is not valid: its check character does not match.")
    else:
        return normalised
    raise AppError(Code.TAXPAYER_ID_INVALID, message, field="taxpayer_id")


def _days(value, *, field: str = "payment_terms_days") -> int:
    try:
        days = int(value)
        if isinstance(value, float) and value != days:
            raise ValueError
    except (TypeError, ValueError):
        raise AppError(Code.INVALID, _("Enter a whole number of days."), field=field) from None
    if days < 0:
        if field == "payment_terms_days":
            raise AppError(Code.NEGATIVE, _("Payment terms cannot be negative."), field=field)
        raise AppError(Code.NEGATIVE, _("A lead time cannot be negative."), field=field)
    if days > LEAD_TIME_MAX and field != "payment_terms_days":
        raise AppError(Code.INVALID, _("Use at most %(count)d days.") % {"count": LEAD_TIME_MAX}, field=field)
    return days


def _lead_time(value, *, field: str, default: int | None) -> int | None:
    """Days from ordering to delivery; blank means `default` (0 for a supplier, its supplier's for an item)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    return _days(value, field=field)


def _money(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise AppError(Code.INVALID, _("Enter an amount of money."), field="credit_limit") from None
    if not amount.is_finite():
        raise AppError(Code.INVALID, _("Enter an amount of money."), field="credit_limit")
    if amount < 0:
        raise AppError(Code.NEGATIVE, _("The credit limit cannot be negative."), field="credit_limit")
    if amount != amount.quantize(Decimal("0.01")):
        raise AppError(Code.INVALID, _("Use at most two decimal places."), field="credit_limit")
    if amount >= Decimal("1e12"):
        raise AppError(Code.INVALID, _("This amount is too large."), field="credit_limit")
    return amount.quantize(Decimal("0.01"))


def _clean_partner(values: dict) -> dict:
    """Validate and normalise every field present in `values`."""
    clean: dict = {}
    for name, value in values.items():
        if name in ("code", "name"):
            clean[name] = _text(value, field=name, max_length=_MAX_LENGTHS[name], required=True)
        elif name in ("bank_name", "bank_account", "address"):
            clean[name] = _text(value, field=name, max_length=_MAX_LENGTHS[name])
        elif name == "notes":
            clean[name] = _text(value, field=name, max_length=None)
        elif name == "taxpayer_id":
            clean[name] = _taxpayer_id(value)
        elif name == "payment_terms_days":
            clean[name] = _days(value)
        elif name == "lead_time_days":
            clean[name] = _lead_time(value, field=name, default=0)
        elif name == "credit_limit":
            clean[name] = _money(value)
        elif name == "price_tier":
            if value not in PriceTier.values:
                raise AppError(Code.INVALID, _("Choose a known price tier."), field="price_tier")
            clean[name] = value
        elif name in ("is_supplier", "is_customer", "is_active"):
            clean[name] = bool(value)
        else:
            raise AppError(Code.INVALID, _("Unknown field."), field=name)
    return clean


def _save_partner(partner: Partner) -> Partner:
    if not (partner.is_supplier or partner.is_customer):
        raise AppError(Code.NO_KIND, _("A partner is a supplier, a customer, or both."), field="is_supplier")
    partner.name_initials = pinyin_initials(partner.name)[: _MAX_LENGTHS["name_initials"]]
    if Partner.objects.filter(code=partner.code).exclude(pk=partner.pk).exists():
        raise AppError(Code.CODE_TAKEN, _("Another partner already has this code."), field="code")
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError:  # a concurrent create took the code between the check and the insert
        raise AppError(Code.CODE_TAKEN, _("Another partner already has this code."), field="code") from None
    return partner


@transaction.atomic
def partner_create(
    *,
    code: str,
    name: str,
    is_supplier: bool = False,
    is_customer: bool = False,
    taxpayer_id: str = "",
    bank_name: str = "",
    bank_account: str = "",
    address: str = "",
    payment_terms_days: int = 0,
    lead_time_days: int | None = 0,
    credit_limit: Decimal | str | int = Decimal("0.00"),
    price_tier: str = PriceTier.RETAIL,
    notes: str = "",
) -> Partner:
    values = _clean_partner(
        {
            "code": code,
            "name": name,
            "is_supplier": is_supplier,
            "is_customer": is_customer,
            "taxpayer_id": taxpayer_id,
            "bank_name": bank_name,
            "bank_account": bank_account,
            "address": address,
            "payment_terms_days": payment_terms_days,
            "lead_time_days": lead_time_days,
            "credit_limit": credit_limit,
            "price_tier": price_tier,
            "notes": notes,
        }
    )
    return _save_partner(Partner(**values))


def _partner_for_update(partner_id: int) -> Partner:
    partner = Partner.objects.select_for_update().filter(pk=partner_id).first()
    if partner is None:
        raise NotFound(Code.NOT_FOUND, _("No such partner."), field="partner_id")
    return partner


@transaction.atomic
def partner_update(*, partner_id: int, **changes) -> Partner:
    """Change the given fields of a partner (any of PARTNER_FIELDS)."""
    partner = _partner_for_update(partner_id)
    for name, value in _clean_partner(changes).items():
        setattr(partner, name, value)
    return _save_partner(partner)


@transaction.atomic
def partner_deactivate(*, partner_id: int) -> Partner:
    """Partners are never deleted (documents will point at them); a deactivated one is hidden from pickers."""
    partner = _partner_for_update(partner_id)
    if partner.is_active:
        partner.is_active = False
        partner.save(update_fields=["is_active", "updated_at"])
    return partner


@transaction.atomic
def partner_activate(*, partner_id: int) -> Partner:
    partner = _partner_for_update(partner_id)
    if not partner.is_active:
        partner.is_active = True
        partner.save(update_fields=["is_active", "updated_at"])
    return partner


def _clean_contact(values: dict) -> dict:
    clean: dict = {}
    for name, value in values.items():
        if name == "name":
            clean[name] = _text(value, field=name, max_length=_CONTACT_MAX_LENGTHS[name], required=True)
        elif name in ("phone", "title"):
            clean[name] = _text(value, field=name, max_length=_CONTACT_MAX_LENGTHS[name])
        elif name == "email":
            email = _text(value, field=name, max_length=_CONTACT_MAX_LENGTHS[name]).lower()
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    raise AppError(Code.EMAIL_INVALID, _("Enter a valid email address."), field="email") from None
            clean[name] = email
        elif name == "is_primary":
            clean[name] = bool(value)
        else:
            raise AppError(Code.INVALID, _("Unknown field."), field=name)
    return clean


def _save_contact(contact: Contact) -> Contact:
    if contact.is_primary:
        # At most one primary per partner: the new primary takes over (the partner row is locked by the caller).
        Contact.objects.filter(partner_id=contact.partner_id, is_primary=True).exclude(pk=contact.pk).update(
            is_primary=False
        )
    contact.save()
    return contact


@transaction.atomic
def contact_create(
    *, partner_id: int, name: str, phone: str = "", email: str = "", title: str = "", is_primary: bool = False
) -> Contact:
    partner = _partner_for_update(partner_id)
    values = _clean_contact({"name": name, "phone": phone, "email": email, "title": title, "is_primary": is_primary})
    return _save_contact(Contact(partner=partner, **values))


def _contact_for_update(partner_id: int, contact_id: int) -> Contact:
    _partner_for_update(partner_id)
    contact = Contact.objects.filter(pk=contact_id, partner_id=partner_id).first()
    if contact is None:
        raise NotFound(Code.NOT_FOUND, _("No such contact."), field="contact_id")
    return contact


@transaction.atomic
def contact_update(*, partner_id: int, contact_id: int, **changes) -> Contact:
    """Change the given fields of a contact (any of CONTACT_FIELDS)."""
    contact = _contact_for_update(partner_id, contact_id)
    for name, value in _clean_contact(changes).items():
        setattr(contact, name, value)
    return _save_contact(contact)


@transaction.atomic
def contact_delete(*, partner_id: int, contact_id: int) -> None:
    _contact_for_update(partner_id, contact_id).delete()


SUPPLIER_ITEM_FIELDS = ("supplier_item_code", "last_purchase_price", "lead_time_days", "purchase_unit_id")
PRICE_PLACES = Decimal("0.000001")


def _purchase_price(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise AppError(Code.INVALID, _("Enter a price."), field="last_purchase_price") from None
    if not price.is_finite():
        raise AppError(Code.INVALID, _("Enter a price."), field="last_purchase_price")
    if price < 0:
        raise AppError(Code.NEGATIVE, _("The price cannot be negative."), field="last_purchase_price")
    if price != price.quantize(PRICE_PLACES):
        raise AppError(Code.INVALID, _("Use at most six decimal places."), field="last_purchase_price")
    if price >= Decimal("1e14"):
        raise AppError(Code.INVALID, _("This amount is too large."), field="last_purchase_price")
    return price.quantize(PRICE_PLACES)


def _purchase_unit_id(value, *, item_id: int) -> int | None:
    """One of the item's own further units (1 箱 = 24 瓶), or None."""
    from modules.catalog.models import ItemUnit  # the catalog app owns units, as it owns items (see below)

    if value in (None, ""):
        return None
    try:
        unit_id = int(value)
    except (TypeError, ValueError):
        raise AppError(Code.INVALID, _("Enter a whole number."), field="purchase_unit_id") from None
    if not ItemUnit.objects.filter(pk=unit_id, item_id=item_id).exists():
        raise AppError(Code.NOT_FOUND, _("Choose one of the item's units."), field="purchase_unit_id")
    return unit_id


def _clean_supplier_item(values: dict, *, item_id: int) -> dict:
    clean: dict = {}
    for name, value in values.items():
        if name == "supplier_item_code":
            clean[name] = _text(value, field=name, max_length=64)
        elif name == "last_purchase_price":
            clean[name] = _purchase_price(value)
        elif name == "lead_time_days":
            clean[name] = _lead_time(value, field=name, default=None)
        elif name == "purchase_unit_id":
            clean[name] = _purchase_unit_id(value, item_id=item_id)
        else:
            raise AppError(Code.INVALID, _("Unknown field."), field=name)
    return clean


def _supplier_for_update(supplier_id: int) -> Partner:
    supplier = Partner.objects.select_for_update().filter(pk=supplier_id).first()
    if supplier is None:
        raise NotFound(Code.NOT_FOUND, _("No such partner."), field="supplier_id")
    if not supplier.is_supplier:
        raise AppError(Code.NOT_A_SUPPLIER, _("This partner is not a supplier."), field="supplier_id")
    return supplier


@transaction.atomic
def supplier_item_set(
    *,
    supplier_id: int,
    item_id: int,
    supplier_item_code: str = "",
    last_purchase_price: Decimal | str | None = None,
    lead_time_days: int | None = None,
    purchase_unit_id: int | None = None,
) -> SupplierItem:
    """Record that `supplier` supplies `item` (or update the existing row: one per supplier and item).
    `lead_time_days` None: the supplier's; `purchase_unit_id`: one of the item's units, or None."""
    from modules.catalog.models import Item  # the catalog app owns items; imported late to keep the apps loosely tied

    supplier = _supplier_for_update(supplier_id)
    if not Item.objects.filter(pk=item_id).exists():
        raise AppError(Code.NOT_FOUND, _("No such item."), field="item_id")
    values = _clean_supplier_item(
        {
            "supplier_item_code": supplier_item_code,
            "last_purchase_price": last_purchase_price,
            "lead_time_days": lead_time_days,
            "purchase_unit_id": purchase_unit_id,
        },
        item_id=item_id,
    )
    # The supplier row is locked above, so two concurrent calls for the same pair cannot both insert.
    supplier_item, _created = SupplierItem.objects.update_or_create(supplier=supplier, item_id=item_id, defaults=values)
    return supplier_item


@transaction.atomic
def supplier_item_update(*, supplier_id: int, supplier_item_id: int, **changes) -> SupplierItem:
    """Change the supplier's code and/or the last purchase price (purchasing calls this when a receipt posts)."""
    _supplier_for_update(supplier_id)
    supplier_item = SupplierItem.objects.filter(pk=supplier_item_id, supplier_id=supplier_id).first()
    if supplier_item is None:
        raise NotFound(Code.NOT_FOUND, _("No such supplier item."), field="supplier_item_id")
    for name, value in _clean_supplier_item(changes, item_id=supplier_item.item_id).items():
        setattr(supplier_item, name, value)
    supplier_item.save()
    return supplier_item


@transaction.atomic
def supplier_item_remove(*, supplier_id: int, supplier_item_id: int) -> None:
    deleted, _detail = SupplierItem.objects.filter(pk=supplier_item_id, supplier_id=supplier_id).delete()
    if not deleted:
        raise NotFound(Code.NOT_FOUND, _("No such supplier item."), field="supplier_item_id")
