"""Pricing writes: price lists and their entries, customer prices, promotions, the selling checks, and the
bulk change of prices by percentage for a category. One transaction per service; bad input raises an
AppError naming the field and writes nothing."""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError, Conflict, NotFound
from modules.catalog.models import Category, Item, Unit
from modules.catalog.selectors import category_descendant_ids
from modules.catalog.services import item_update
from modules.partners.models import Partner, PriceTier
from modules.pricing import domain
from modules.pricing.enums import CheckMode, Code, PromotionKind
from modules.pricing.models import CustomerPrice, PriceList, PriceListItem, PricingSettings, Promotion
from modules.pricing.selectors import unit_factor


def _id(value, *, field: str) -> int:
    if value in (None, ""):
        raise AppError(Code.REQUIRED, _("This field is required."), field=field)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AppError(Code.INVALID, _("Enter a whole number."), field=field) from None


def _text(value, *, field: str, max_length: int) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if not text:
        raise AppError(Code.REQUIRED, _("This field is required."), field=field)
    if len(text) > max_length:
        raise AppError(Code.INVALID, _("At most %(n)s characters.") % {"n": max_length}, field=field)
    return text


def _unknown(changes: dict, allowed: frozenset[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise AppError(Code.UNKNOWN_FIELD, _("This field cannot be changed."), field=sorted(unknown)[0])


def _item(item_id, *, field: str = "item_id") -> Item:
    item = Item.objects.select_related("base_unit").filter(pk=_id(item_id, field=field)).first()
    if item is None:
        raise AppError(Code.NOT_FOUND, _("No such item."), field=field)
    return item


def _unit(item: Item, unit_id, *, field: str = "unit_id") -> Unit:
    """The unit of a price: the item's base unit when none is given, else one of the item's units."""
    if unit_id in (None, ""):
        return item.base_unit
    unit = Unit.objects.filter(pk=_id(unit_id, field=field)).first()
    if unit is None:
        raise AppError(Code.NOT_FOUND, _("No such unit."), field=field)
    unit_factor(item, unit, field=field)
    return unit


def _price_list(price_list_id, *, field: str = "price_list_id", lock: bool = False) -> PriceList:
    qs = PriceList.objects.select_for_update() if lock else PriceList.objects
    price_list = qs.filter(pk=_id(price_list_id, field=field)).first()
    if price_list is None:
        raise AppError(Code.NOT_FOUND, _("No such price list."), field=field)
    return price_list


def _customer(customer_id, *, field: str = "customer_id") -> Partner:
    customer = Partner.objects.filter(pk=_id(customer_id, field=field)).first()
    if customer is None:
        raise AppError(Code.NOT_FOUND, _("No such partner."), field=field)
    if not customer.is_customer:
        raise AppError(Code.NOT_A_CUSTOMER, _("This partner is not a customer."), field=field)
    return customer


def _category(category_id, *, field: str = "category_id") -> Category:
    category = Category.objects.filter(pk=_id(category_id, field=field)).first()
    if category is None:
        raise AppError(Code.NOT_FOUND, _("No such category."), field=field)
    return category


def _date(value, *, field: str) -> date:
    if isinstance(value, date):
        return value
    if value in (None, ""):
        raise AppError(Code.REQUIRED, _("This field is required."), field=field)
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise AppError(Code.INVALID, _("Enter a date as YYYY-MM-DD."), field=field) from None


# --- Price lists -----------------------------------------------------------------------------------------


@transaction.atomic
def price_list_create(*, tier: str, name: str, tax_inclusive: bool = True, is_active: bool = True) -> PriceList:
    """The list of one price tier (a tier has at most one list)."""
    if tier not in PriceTier.values:
        raise AppError(Code.INVALID, _("Choose one of the price tiers."), field="tier")
    name = _text(name, field="name", max_length=100)
    if PriceList.objects.filter(tier=tier).exists():
        raise AppError(Code.DUPLICATE, _("This price tier has a list already."), field="tier")
    price_list = PriceList(tier=tier, name=name, tax_inclusive=bool(tax_inclusive), is_active=bool(is_active))
    try:
        with transaction.atomic():
            price_list.save()
    except IntegrityError:
        raise AppError(Code.DUPLICATE, _("This price tier has a list already."), field="tier") from None
    return price_list


@transaction.atomic
def price_list_update(*, price_list_id: int, **changes) -> PriceList:
    """Rename a list, or change whether it is tax-inclusive or active; its tier is fixed."""
    _unknown(changes, frozenset({"name", "tax_inclusive", "is_active"}))
    price_list = _price_list(price_list_id, lock=True)
    if "name" in changes:
        price_list.name = _text(changes["name"], field="name", max_length=100)
    for flag in ("tax_inclusive", "is_active"):
        if flag in changes:
            setattr(price_list, flag, bool(changes[flag]))
    price_list.save()
    return price_list


@transaction.atomic
def price_list_item_set(
    *, price_list_id: int, item_id: int, price, unit_id: int | None = None, min_quantity=Decimal(0)
) -> tuple[PriceListItem, bool]:
    """Set the price of an item in a unit (default its base unit) from `min_quantity` of that unit on
    (0: any quantity). Returns the entry and whether it is new."""
    price_list = _price_list(price_list_id)
    item = _item(item_id)
    unit = _unit(item, unit_id)
    min_quantity = domain.quantity_parse(min_quantity, field="min_quantity", allow_zero=True)
    price = domain.price_parse(price, field="price")
    entry, created = PriceListItem.objects.update_or_create(
        price_list=price_list, item=item, unit=unit, min_quantity=min_quantity, defaults={"price": price}
    )
    return entry, created


@transaction.atomic
def price_list_item_update(*, entry_id: int, price) -> PriceListItem:
    entry = PriceListItem.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(Code.NOT_FOUND, _("No such price list entry."), field="entry_id")
    entry.price = domain.price_parse(price, field="price")
    entry.save(update_fields=["price", "updated_at"])
    return entry


@transaction.atomic
def price_list_item_delete(*, entry_id: int) -> None:
    deleted, _detail = PriceListItem.objects.filter(pk=entry_id).delete()
    if not deleted:
        raise NotFound(Code.NOT_FOUND, _("No such price list entry."), field="entry_id")


# --- Customer prices -------------------------------------------------------------------------------------


@transaction.atomic
def customer_price_set(
    *, customer_id: int, item_id: int, price, unit_id: int | None = None
) -> tuple[CustomerPrice, bool]:
    """Set the price agreed with a customer for an item in a unit (default its base unit)."""
    customer = _customer(customer_id)
    item = _item(item_id)
    unit = _unit(item, unit_id)
    price = domain.price_parse(price, field="price")
    return CustomerPrice.objects.update_or_create(customer=customer, item=item, unit=unit, defaults={"price": price})


@transaction.atomic
def customer_price_update(*, customer_price_id: int, price) -> CustomerPrice:
    row = CustomerPrice.objects.select_for_update().filter(pk=customer_price_id).first()
    if row is None:
        raise NotFound(Code.NOT_FOUND, _("No such customer price."), field="customer_price_id")
    row.price = domain.price_parse(price, field="price")
    row.save(update_fields=["price", "updated_at"])
    return row


@transaction.atomic
def customer_price_delete(*, customer_price_id: int) -> None:
    deleted, _detail = CustomerPrice.objects.filter(pk=customer_price_id).delete()
    if not deleted:
        raise NotFound(Code.NOT_FOUND, _("No such customer price."), field="customer_price_id")


# --- Promotions ------------------------------------------------------------------------------------------

PROMOTION_FIELDS = frozenset(
    {"name", "item_id", "category_id", "kind", "percent_off", "fixed_price", "valid_from", "valid_to", "is_active"}
)


def _promotion_clean(values: dict) -> dict:
    """All of a promotion's fields checked together (scope, kind and value, dates), naming the field."""
    clean = {"name": _text(values.get("name"), field="name", max_length=100)}
    item_id, category_id = values.get("item_id"), values.get("category_id")
    if item_id in (None, "") and category_id in (None, ""):
        raise AppError(Code.REQUIRED, _("Choose an item or a category."), field="item_id")
    if item_id not in (None, "") and category_id not in (None, ""):
        raise AppError(Code.INVALID, _("Choose an item or a category, not both."), field="category_id")
    clean["item"] = _item(item_id) if item_id not in (None, "") else None
    clean["category"] = _category(category_id) if category_id not in (None, "") else None
    kind = values.get("kind")
    if kind not in PromotionKind.values:
        raise AppError(Code.INVALID, _("Choose percent off or fixed price."), field="kind")
    clean["kind"] = kind
    if kind == PromotionKind.PERCENT_OFF:
        clean["percent_off"] = domain.percent_parse(values.get("percent_off"), field="percent_off", signed=False)
        clean["fixed_price"] = None
    else:
        clean["fixed_price"] = domain.price_parse(values.get("fixed_price"), field="fixed_price")
        clean["percent_off"] = None
    clean["valid_from"] = _date(values.get("valid_from"), field="valid_from")
    clean["valid_to"] = _date(values.get("valid_to"), field="valid_to")
    if clean["valid_to"] < clean["valid_from"]:
        raise AppError(Code.INVALID, _("The promotion cannot end before it starts."), field="valid_to")
    clean["is_active"] = bool(values.get("is_active", True))
    return clean


@transaction.atomic
def promotion_create(**values) -> Promotion:
    """A promotion of an item (`item_id`) or a category with its subcategories (`category_id`): `kind`
    percent_off (`percent_off`, 0 < p < 100) or fixed_price (`fixed_price` per base unit), valid from
    `valid_from` to `valid_to`, both included."""
    _unknown(values, PROMOTION_FIELDS)
    promotion = Promotion(**_promotion_clean(values))
    promotion.save()
    return promotion


@transaction.atomic
def promotion_update(*, promotion_id: int, **changes) -> Promotion:
    _unknown(changes, PROMOTION_FIELDS)
    promotion = Promotion.objects.select_for_update().filter(pk=promotion_id).first()
    if promotion is None:
        raise NotFound(Code.NOT_FOUND, _("No such promotion."), field="promotion_id")
    current = {name: getattr(promotion, name) for name in PROMOTION_FIELDS}
    # A change of kind drops the other kind's value.
    if changes.get("kind") == PromotionKind.PERCENT_OFF:
        current["fixed_price"] = None
    elif changes.get("kind") == PromotionKind.FIXED_PRICE:
        current["percent_off"] = None
    # Naming one scope replaces the other.
    if changes.get("item_id") not in (None, ""):
        current["category_id"] = None
    if changes.get("category_id") not in (None, ""):
        current["item_id"] = None
    for name, value in _promotion_clean({**current, **changes}).items():
        setattr(promotion, name, value)
    promotion.save()
    return promotion


@transaction.atomic
def promotion_delete(*, promotion_id: int) -> None:
    deleted, _detail = Promotion.objects.filter(pk=promotion_id).delete()
    if not deleted:
        raise NotFound(Code.NOT_FOUND, _("No such promotion."), field="promotion_id")


# --- Settings --------------------------------------------------------------------------------------------


@transaction.atomic
def pricing_settings_update(*, below_cost: str | None = None, beyond_stock: str | None = None) -> PricingSettings:
    """Whether selling below cost / beyond available stock warns or blocks (None: unchanged)."""
    settings = PricingSettings.objects.select_for_update().filter(pk=1).first() or PricingSettings(pk=1)
    for name, value in (("below_cost", below_cost), ("beyond_stock", beyond_stock)):
        if value is None:
            continue
        if value not in CheckMode.values:
            raise AppError(Code.INVALID, _("Choose warn or block."), field=name)
        setattr(settings, name, value)
    settings.save()
    return settings


# --- Bulk change by percentage ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkRow:
    item: Item
    unit: Unit
    min_quantity: Decimal | None  # None: the item's sale price
    old_price: Decimal
    new_price: Decimal
    row_id: int  # the item (sale price) or the price list entry


@dataclass(frozen=True)
class BulkChange:
    rows: list[BulkRow]
    digest: str  # names exactly these rows and prices: apply refuses when they moved since the preview


def _bulk_rows(*, category: Category, percent: Decimal, price_list: PriceList | None, lock: bool) -> list[BulkRow]:
    category_ids = category_descendant_ids(category_id=category.pk)
    rows = []
    if price_list is None:
        items = Item.objects.select_related("base_unit").filter(category_id__in=category_ids).order_by("pk")
        if lock:
            items = items.select_for_update(of=("self",))
        for item in items:
            new = domain.percent_change(item.sale_price, percent)
            if new != item.sale_price:
                rows.append(BulkRow(item, item.base_unit, None, item.sale_price, new, item.pk))
    else:
        entries = (
            PriceListItem.objects.select_related("item", "unit")
            .filter(price_list=price_list, item__category_id__in=category_ids)
            .order_by("pk")
        )
        if lock:
            entries = entries.select_for_update(of=("self",))
        for entry in entries:
            new = domain.percent_change(entry.price, percent)
            if new != entry.price:
                rows.append(BulkRow(entry.item, entry.unit, entry.min_quantity, entry.price, new, entry.pk))
    rows.sort(key=lambda row: (row.item.code, row.unit.name, row.min_quantity or Decimal(0)))
    return rows


def _digest(rows: list[BulkRow]) -> str:
    text = "|".join(f"{row.row_id}:{row.old_price}:{row.new_price}" for row in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _bulk_inputs(category_id, percent, price_list_id) -> tuple[Category, Decimal, PriceList | None]:
    category = _category(category_id)
    percent = domain.percent_parse(percent, field="percent", signed=True)
    price_list = _price_list(price_list_id) if price_list_id not in (None, "") else None
    return category, percent, price_list


def price_bulk_change_preview(*, category_id: int, percent, price_list_id: int | None = None) -> BulkChange:
    """What changing by `percent` (e.g. 10 or -5) the prices of the items of a category and its
    subcategories would do: on the price list `price_list_id`, or (None) the items' sale prices. New prices
    are rounded half up to cents; prices the change leaves equal are not listed. Writes nothing."""
    category, percent, price_list = _bulk_inputs(category_id, percent, price_list_id)
    rows = _bulk_rows(category=category, percent=percent, price_list=price_list, lock=False)
    return BulkChange(rows=rows, digest=_digest(rows))


@transaction.atomic
def price_bulk_change_apply(
    *, category_id: int, percent, price_list_id: int | None = None, digest: str | None = None
) -> BulkChange:
    """Make the change the preview showed, all rows or none. With the preview's `digest`, a change of any of
    those prices (or of the rows) since then is refused (409) rather than applied to what was not seen."""
    category, percent, price_list = _bulk_inputs(category_id, percent, price_list_id)
    rows = _bulk_rows(category=category, percent=percent, price_list=price_list, lock=True)
    change = BulkChange(rows=rows, digest=_digest(rows))
    if digest not in (None, "") and digest != change.digest:
        raise Conflict(
            Code.PREVIEW_STALE, _("Prices changed since the preview: preview again before applying."), field="digest"
        )
    if price_list is None:
        for row in rows:
            item_update(item=row.item, sale_price=row.new_price)
    else:
        entries = {row.row_id: row.new_price for row in rows}
        for entry in PriceListItem.objects.filter(pk__in=entries).order_by("pk"):
            entry.price = entries[entry.pk]
            entry.save(update_fields=["price", "updated_at"])
    return change
