"""Catalog writes. Each function is one transaction and raises AppError (with the field at fault) on bad input."""

import itertools
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.catalog.domain import barcode_is_valid, pinyin_initials
from modules.catalog.models import VAT_RATES, Barcode, Brand, Category, Item, ItemUnit, Unit
from modules.catalog.selectors import quantity_to_base  # noqa: F401  (a read; kept importable from here too)

_UNSET = object()


def _clean_name(value: str, *, field: str = "name", max_length: int = 100) -> str:
    name = (value or "").strip()
    if not name:
        raise AppError("required", _("This field is required."), field=field)
    if len(name) > max_length:
        raise AppError("too_long", _("At most %(n)s characters.") % {"n": max_length}, field=field)
    return name


def _decimal(value, *, field: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise AppError("invalid_number", _("Enter a number."), field=field) from None
    if not number.is_finite():
        raise AppError("invalid_number", _("Enter a number."), field=field)
    return number


def _price(value, *, field: str) -> Decimal:
    price = _decimal(value, field=field)
    if price < 0:
        raise AppError("negative_price", _("A price cannot be negative."), field=field)
    if price != price.quantize(Decimal("0.01")) or price >= Decimal("1e12"):
        raise AppError("invalid_price", _("Enter a price with at most 2 decimal places."), field=field)
    return price.quantize(Decimal("0.01"))


# Units, brands, categories --------------------------------------------------------------------------


def unit_create(*, name: str) -> Unit:
    name = _clean_name(name, max_length=20)
    with transaction.atomic():
        if Unit.objects.filter(name=name).exists():
            raise AppError("duplicate_unit", _("A unit with this name exists already."), field="name")
        return Unit.objects.create(name=name)


def brand_create(*, name: str) -> Brand:
    name = _clean_name(name)
    with transaction.atomic():
        if Brand.objects.filter(name=name).exists():
            raise AppError("duplicate_brand", _("A brand with this name exists already."), field="name")
        return Brand.objects.create(name=name)


def brand_rename(*, brand: Brand, name: str) -> Brand:
    name = _clean_name(name)
    with transaction.atomic():
        if Brand.objects.filter(name=name).exclude(pk=brand.pk).exists():
            raise AppError("duplicate_brand", _("A brand with this name exists already."), field="name")
        brand.name = name
        brand.save(update_fields=["name"])
        return brand


def _check_sibling_name(*, name: str, parent: Category | None, exclude_pk: int | None = None) -> None:
    siblings = Category.objects.filter(parent=parent, name=name)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        raise AppError("duplicate_category", _("This parent has a category with this name already."), field="name")


def category_create(*, name: str, parent: Category | None = None) -> Category:
    name = _clean_name(name)
    with transaction.atomic():
        _check_sibling_name(name=name, parent=parent)
        return Category.objects.create(name=name, parent=parent)


def category_rename(*, category: Category, name: str) -> Category:
    name = _clean_name(name)
    with transaction.atomic():
        _check_sibling_name(name=name, parent=category.parent, exclude_pk=category.pk)
        category.name = name
        category.save(update_fields=["name"])
        return category


def category_move(*, category: Category, parent: Category | None) -> Category:
    """Put `category` under `parent` (None: a root), refusing to move it under itself or a descendant."""
    with transaction.atomic():
        # Lock the tree rows touched so two concurrent moves cannot build a cycle together.
        list(Category.objects.select_for_update().filter(pk__in=[category.pk] + ([parent.pk] if parent else [])))
        node = parent
        while node is not None:
            if node.pk == category.pk:
                raise AppError(
                    "category_cycle",
                    _("A category cannot be moved under itself or its own subcategory."),
                    field="parent",
                )
            node = node.parent
        _check_sibling_name(name=category.name, parent=parent, exclude_pk=category.pk)
        category.parent = parent
        category.save(update_fields=["parent"])
        return category


# Items ------------------------------------------------------------------------------------------------

ITEM_FIELDS = (
    "name",
    "category",
    "brand",
    "base_unit",
    "vat_rate",
    "purchase_price",
    "sale_price",
    "shelf_life_days",
    "lot_tracked",
    "is_active",
)


def _clean_item_fields(values: dict) -> dict:
    clean = dict(values)
    if "name" in clean:
        clean["name"] = _clean_name(clean["name"], max_length=200)
    if "vat_rate" in clean:
        rate = _decimal(clean["vat_rate"], field="vat_rate")
        if rate not in VAT_RATES:
            raise AppError(
                "invalid_vat_rate",
                _("VAT rate must be one of %(rates)s.") % {"rates": ", ".join(str(r) for r in VAT_RATES)},
                field="vat_rate",
            )
        clean["vat_rate"] = rate.quantize(Decimal("0.01"))
    for field in ("purchase_price", "sale_price"):
        if field in clean:
            clean[field] = _price(clean[field], field=field)
    if "shelf_life_days" in clean and clean["shelf_life_days"] is not None:
        days = clean["shelf_life_days"]
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            raise AppError("invalid_shelf_life", _("Shelf life is a whole number of days."), field="shelf_life_days")
    if "base_unit" in clean and not isinstance(clean["base_unit"], Unit):
        raise AppError("unknown_unit", _("Choose a known unit."), field="base_unit")
    return clean


def _clean_code(code: str, *, field: str = "code") -> str:
    code = (code or "").strip()
    if not code:
        raise AppError("required", _("This field is required."), field=field)
    if len(code) > 64 or any(ch.isspace() for ch in code):
        raise AppError("invalid_code", _("A code has at most 64 characters and no spaces."), field=field)
    return code


def item_create(
    *,
    code: str,
    name: str,
    base_unit: Unit,
    max_items: int | None,
    category: Category | None = None,
    brand: Brand | None = None,
    vat_rate: Decimal = Decimal("0.13"),
    purchase_price: Decimal = Decimal("0"),
    sale_price: Decimal = Decimal("0"),
    shelf_life_days: int | None = None,
    lot_tracked: bool = False,
    is_active: bool = True,
    barcodes: list[str] | None = None,
    units: list[tuple[Unit, Decimal]] | None = None,
    variant_of: Item | None = None,
    attributes: dict | None = None,
    barcode_units: dict[str, Unit | None] | None = None,
) -> Item:
    """Create an item (with its barcodes and further units). `max_items` is the tenant plan's limit (None: none).

    `barcode_units` names the unit of a barcode printed on a package (missing: the base unit)."""
    code = _clean_code(code)
    values = _clean_item_fields(
        {
            "name": name,
            "category": category,
            "brand": brand,
            "base_unit": base_unit,
            "vat_rate": vat_rate,
            "purchase_price": purchase_price,
            "sale_price": sale_price,
            "shelf_life_days": shelf_life_days,
            "lot_tracked": bool(lot_tracked),
            "is_active": bool(is_active),
        }
    )
    with transaction.atomic():
        # Serialise creations so two concurrent ones cannot both pass the plan limit.
        if max_items is not None:
            _lock_item_creation()
            if Item.objects.count() >= max_items:
                raise AppError(
                    "plan_limit_items",
                    _("Your plan allows %(n)s items. Upgrade the plan to add more.") % {"n": max_items},
                    field="code",
                )
        if Item.objects.filter(code=code).exists():
            raise AppError("duplicate_code", _("An item with this code exists already."), field="code")
        item = Item(
            code=code,
            pinyin_initials=pinyin_initials(values["name"])[:200],
            variant_of=variant_of,
            attributes=attributes or {},
            **values,
        )
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError:
            raise AppError("duplicate_code", _("An item with this code exists already."), field="code") from None
        # Units first: a barcode may be printed on a package of one of them.
        for unit, factor in units or []:
            item_unit_set(item=item, unit=unit, factor=factor)
        for barcode in barcodes or []:
            barcode_add(item=item, code=barcode, unit=(barcode_units or {}).get(barcode))
        return item


def _lock_item_creation() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # A transaction-scoped advisory lock; the key is per schema since each tenant has its own search_path.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':catalog_item_create'))")


def item_update(*, item: Item, **changes) -> Item:
    """Change any of ITEM_FIELDS (and `code`); the pinyin initials follow the name."""
    unknown = set(changes) - set(ITEM_FIELDS) - {"code"}
    if unknown:
        raise AppError("unknown_field", _("Unknown field."), field=sorted(unknown)[0])
    values = _clean_item_fields(changes)
    with transaction.atomic():
        if "code" in values:
            values["code"] = _clean_code(values["code"])
            if Item.objects.filter(code=values["code"]).exclude(pk=item.pk).exists():
                raise AppError("duplicate_code", _("An item with this code exists already."), field="code")
        new_base = values.get("base_unit")
        if (
            new_base is not None
            and new_base.pk != item.base_unit_id
            and ItemUnit.objects.filter(item=item, unit=new_base).exists()
        ):
            raise AppError(
                "base_unit_repeated",
                _("This unit is a further unit of the item; remove it there first."),
                field="base_unit",
            )
        for field, value in values.items():
            setattr(item, field, value)
        item.pinyin_initials = pinyin_initials(item.name)[:200]
        item.save()
        return item


def item_deactivate(*, item: Item) -> Item:
    """Items are never deleted (documents refer to them); an inactive one is hidden from pickers."""
    with transaction.atomic():
        item.is_active = False
        item.save(update_fields=["is_active", "updated_at"])
        return item


def item_activate(*, item: Item) -> Item:
    with transaction.atomic():
        item.is_active = True
        item.save(update_fields=["is_active", "updated_at"])
        return item


# Units of an item and barcodes ------------------------------------------------------------------------


def item_unit_set(*, item: Item, unit: Unit, factor) -> ItemUnit:
    """Declare 1 `unit` = `factor` base units of `item` (create or change)."""
    if not isinstance(unit, Unit):
        raise AppError("unknown_unit", _("Choose a known unit."), field="unit")
    factor = _decimal(factor, field="factor")
    if factor <= 0:
        raise AppError("invalid_factor", _("The conversion factor must be greater than zero."), field="factor")
    if factor != factor.quantize(Decimal("0.000001")) or factor >= Decimal("1e12"):
        raise AppError("invalid_factor", _("The conversion factor has at most 6 decimal places."), field="factor")
    if unit.pk == item.base_unit_id:
        raise AppError("base_unit_repeated", _("The base unit needs no conversion."), field="unit")
    with transaction.atomic():
        item_unit, _created = ItemUnit.objects.update_or_create(item=item, unit=unit, defaults={"factor": factor})
        return item_unit


def item_unit_remove(*, item: Item, unit: Unit) -> None:
    with transaction.atomic():
        if Barcode.objects.filter(item=item, unit=unit).exists():
            raise AppError(
                "unit_has_barcode",
                _("A barcode of this item is printed on a %(unit)s; change that barcode first.") % {"unit": unit.name},
                field="units",
            )
        ItemUnit.objects.filter(item=item, unit=unit).delete()


def _barcode_unit(item: Item, unit: Unit | None) -> Unit | None:
    """The unit to store on a barcode: None for the base unit, else one of the item's further units."""
    if unit is None or unit.pk == item.base_unit_id:
        return None
    if not ItemUnit.objects.filter(item=item, unit=unit).exists():
        raise AppError(
            "unknown_unit", _("%(unit)s is not a unit of this item.") % {"unit": unit.name}, field="barcodes"
        )
    return unit


def barcode_add(*, item: Item, code: str, unit: Unit | None = None) -> Barcode:
    """Add a barcode; `unit` is the package it is printed on (None: one base unit)."""
    code = (code or "").strip()
    if not barcode_is_valid(code):
        raise AppError(
            "invalid_barcode",
            _("This barcode is not valid (an 8- or 13-digit EAN code needs a correct check digit)."),
            field="barcodes",
        )
    with transaction.atomic():
        unit = _barcode_unit(item, unit)
        if Barcode.objects.filter(code=code).exists():
            raise AppError("duplicate_barcode", _("This barcode belongs to another item already."), field="barcodes")
        try:
            with transaction.atomic():
                return Barcode.objects.create(item=item, code=code, unit=unit)
        except IntegrityError:
            raise AppError(
                "duplicate_barcode", _("This barcode belongs to another item already."), field="barcodes"
            ) from None


def barcode_remove(*, item: Item, code: str) -> None:
    with transaction.atomic():
        Barcode.objects.filter(item=item, code=code).delete()


def item_barcodes_replace(
    *, item: Item, codes: list[str], units: dict[str, Unit | None] | None = None
) -> list[Barcode]:
    """Make `codes` the item's barcodes: keep the ones still listed, add new ones, remove the rest.

    `units` gives each listed barcode's package unit (missing: the base unit); without it, kept
    barcodes keep their unit and new ones are base-unit barcodes."""
    wanted = []
    for code in codes:
        code = (code or "").strip()
        if code and code not in wanted:
            wanted.append(code)
    with transaction.atomic():
        Barcode.objects.filter(item=item).exclude(code__in=wanted).delete()
        existing = {barcode.code: barcode for barcode in Barcode.objects.filter(item=item)}
        for code in wanted:
            unit = units.get(code) if units is not None else None
            if code not in existing:
                barcode_add(item=item, code=code, unit=unit)
            elif units is not None:
                barcode = existing[code]
                barcode.unit = _barcode_unit(item, unit)
                barcode.save(update_fields=["unit"])
        return list(item.barcodes.all())


# Variants ---------------------------------------------------------------------------------------------


def item_variants_generate(*, item: Item, attributes: dict[str, list[str]], max_items: int | None = None) -> list[Item]:
    """Create one variant per combination of attribute values (颜色 × 尺码), coded "<parent code>-<n>".

    A combination the item has already is refused, as is an empty or repeated value list."""
    if item.variant_of_id is not None:
        raise AppError("variant_of_variant", _("A variant cannot have variants of its own."), field="attributes")
    if not attributes or not isinstance(attributes, dict):
        raise AppError("required", _("Give at least one attribute with values."), field="attributes")
    names, value_lists = [], []
    for name, values in attributes.items():
        name = (name or "").strip()
        cleaned = [str(v).strip() for v in (values or []) if str(v).strip()]
        if not name or not cleaned:
            raise AppError("required", _("Each attribute needs a name and at least one value."), field="attributes")
        if len(set(cleaned)) != len(cleaned):
            raise AppError(
                "duplicate_value", _("Attribute %(name)s lists a value twice.") % {"name": name}, field="attributes"
            )
        names.append(name)
        value_lists.append(cleaned)
    combos = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*value_lists)]
    with transaction.atomic():
        Item.objects.select_for_update().filter(pk=item.pk).first()
        existing = list(item.variants.all())
        existing_attrs = [v.attributes for v in existing]
        for combo in combos:
            if combo in existing_attrs:
                raise AppError(
                    "duplicate_variant",
                    _("The variant %(attrs)s exists already.") % {"attrs": " ".join(combo.values())},
                    field="attributes",
                )
        index = len(existing)
        created = []
        for combo in combos:
            index += 1
            code = f"{item.code}-{index}"
            while Item.objects.filter(code=code).exists():
                index += 1
                code = f"{item.code}-{index}"
            created.append(
                item_create(
                    code=code,
                    name=f"{item.name} {' '.join(combo.values())}"[:200],
                    base_unit=item.base_unit,
                    max_items=max_items,
                    category=item.category,
                    brand=item.brand,
                    vat_rate=item.vat_rate,
                    purchase_price=item.purchase_price,
                    sale_price=item.sale_price,
                    shelf_life_days=item.shelf_life_days,
                    lot_tracked=item.lot_tracked,
                    variant_of=item,
                    attributes=combo,
                )
            )
        return created
