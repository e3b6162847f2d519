"""Pricing reads: the price a sales line gets and why (`price_quote`), what the seller should know about a
line (`sale_line_facts`, `sale_line_check`), the lists, customer prices and promotions for the pages.

## How `price_quote` chooses (strongest rule first; the first that applies wins)

1. **Customer price** (客户专价): a price agreed with this customer for the item.
2. **Promotion** (促销): an active promotion valid on the date (from and to included) of the item itself
   or of its category or any category above it. Percent off is taken from the price rules 3–5 would give
   (so a wholesale customer gets the promotion off the wholesale price); a fixed price replaces it even
   when that price would have been lower: the order of the rules is the rule, not the lowest number.
   Several promotions: the lowest resulting price wins; on an equal price an item's own promotion wins
   over a category's, then the older promotion (lower id).
3. **Quantity break** in the customer's tier list: the entry with the largest minimum quantity above 0
   that the line's quantity reaches (in the entry's unit).
4. **Tier list**: the entry with minimum 0 of the list of the customer's price tier (walk-in: retail).
   An inactive list, or a tier without a list, counts as no list; there is no fall-back to another tier.
5. **Item sale price**: the catalog's sale price (per base unit).

Units: a rule's price in the line's own unit is used first; without one, its price per base unit times the
unit's factor (1 箱 = 24 瓶: 24 × the bottle's price), and a break's minimum is then compared with the
line's quantity in base units. A tax-exclusive list's price gets the item's VAT added (to cents): the
quote is always tax-inclusive, like the catalog's sale price. `list_price` is what rule 4 (else 5) gives:
the price before customer prices, promotions and quantity breaks.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.catalog.models import Category, Item, ItemUnit, Unit
from modules.catalog.selectors import category_descendant_ids
from modules.inventory.models import ItemValuation, StockBalance, Warehouse
from modules.inventory.selectors import stock_on_hand, stock_on_hand_totals
from modules.partners.models import Partner, PriceTier, SupplierItem
from modules.pricing import domain
from modules.pricing.enums import MANAGE_PERMISSION, CheckMode, Code, PriceSource, PromotionKind, WarningCode
from modules.pricing.models import CustomerPrice, PriceList, PriceListItem, PricingSettings, Promotion


@dataclass(frozen=True)
class PriceQuote:
    """The price of one unit of a line (tax-inclusive), the rule it came from and why, in words."""

    unit_price: Decimal
    source: str  # a PriceSource value
    reason: str  # in the active language: "客户专价", "促销: 双十一 -10%", "批发价 ≥ 10 件"
    list_price: Decimal
    unit: Unit
    source_id: int | None = None  # the CustomerPrice, Promotion or PriceListItem behind it


def pricing_manager(user) -> bool:
    """Whether `user` may change prices, promotions and the selling checks: the owner and the manager (the
    roles that hold the pricing app in full, identity.roles)."""
    return user.has_perm(MANAGE_PERMISSION)


def pricing_settings() -> PricingSettings:
    """The tenant's settings; the defaults (unsaved) until someone changes them, so reads never insert.
    Read on a plain cursor: every order confirmation asks (bench/order_to_cash.py)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, below_cost, beyond_stock FROM {PricingSettings._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return PricingSettings(pk=1)
    return PricingSettings.from_db(connection.alias, ["id", "below_cost", "beyond_stock"], row)


def unit_factor(item: Item, unit: Unit, *, field: str = "unit") -> Decimal:
    """How many base units one `unit` of `item` is; an AppError naming `field` for a unit not of the item."""
    if unit.pk == item.base_unit_id:
        return Decimal(1)
    factor = ItemUnit.objects.filter(item=item, unit=unit).values_list("factor", flat=True).first()
    if factor is None:
        raise AppError(Code.INVALID, _("%(unit)s is not a unit of this item.") % {"unit": unit.name}, field=field)
    return factor


def _category_ancestor_ids(category_id: int) -> list[int]:
    """The category and every category above it, in one recursive query."""
    table = Category._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH RECURSIVE up(id, parent_id) AS (
                    SELECT id, parent_id FROM {table} WHERE id = %s
                    UNION SELECT c.id, c.parent_id FROM {table} c JOIN up ON c.id = up.parent_id)
                SELECT id FROM up""",
            [category_id],
        )
        return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class _Priced:
    price: Decimal  # per the line's unit, tax-inclusive
    row: object
    min_quantity: Decimal = Decimal(0)
    unit: Unit | None = None


def _own_or_converted(rows: list, *, unit: Unit, item: Item, factor: Decimal, quantity: Decimal) -> _Priced | None:
    """The row for the line's unit that applies to `quantity` (of that unit), else the base unit's row
    for the quantity in base units, converted to the line's unit."""
    own = domain.break_pick([r for r in rows if r.unit_id == unit.pk], quantity)
    if own is not None:
        return _Priced(price=own.price, row=own, min_quantity=own.min_quantity, unit=unit)
    if unit.pk == item.base_unit_id:
        return None
    base = domain.break_pick([r for r in rows if r.unit_id == item.base_unit_id], quantity * factor)
    if base is None:
        return None
    return _Priced(
        price=domain.price_for_unit(base.price, factor), row=base, min_quantity=base.min_quantity, unit=item.base_unit
    )


def _customer_check(customer: Partner | None) -> None:
    if customer is not None and not customer.is_customer:
        raise AppError(Code.NOT_A_CUSTOMER, _("This partner is not a customer."), field="customer")


def price_quote(
    *,
    item: Item,
    unit: Unit | None = None,
    customer: Partner | None = None,
    quantity: Decimal = Decimal(1),
    on: date,
) -> PriceQuote:
    """The unit price (per `unit`, default the base unit) of `quantity` of `item` sold to `customer`
    (None: a walk-in) on the date `on`, by the rules in this module's docstring."""
    unit = unit or item.base_unit
    factor = unit_factor(item, unit)
    quantity = domain.quantity_parse(quantity, field="quantity")
    _customer_check(customer)

    # Rules 3-5: the customer's tier list, then the item's sale price.
    tier = customer.price_tier if customer is not None else PriceTier.RETAIL
    price_list = PriceList.objects.filter(tier=tier, is_active=True).first()
    entries = (
        list(PriceListItem.objects.filter(price_list=price_list, item=item, unit_id__in={unit.pk, item.base_unit_id}))
        if price_list
        else []
    )

    def taxed(price: Decimal) -> Decimal:
        return price if price_list.tax_inclusive else domain.price_with_vat(price, item.vat_rate)

    plain = _own_or_converted(entries, unit=unit, item=item, factor=factor, quantity=Decimal(0))
    if plain is not None:
        list_price = taxed(plain.price)
        base_quote = PriceQuote(list_price, PriceSource.PRICE_LIST, price_list.name, list_price, unit, plain.row.pk)
    else:
        list_price = domain.price_for_unit(item.sale_price, factor)
        base_quote = PriceQuote(list_price, PriceSource.ITEM_PRICE, _("Item sale price"), list_price, unit)
    reached = _own_or_converted(entries, unit=unit, item=item, factor=factor, quantity=quantity)
    if reached is not None and reached.min_quantity > 0:
        reason = _("%(list)s ≥ %(quantity)s %(unit)s") % {
            "list": price_list.name,
            "quantity": domain.number_text(reached.min_quantity),
            "unit": reached.unit.name,
        }
        base_quote = PriceQuote(
            taxed(reached.price), PriceSource.QUANTITY_BREAK, reason, list_price, unit, reached.row.pk
        )

    # Rule 1: the customer's own price.
    if customer is not None:
        rows = {
            row.unit_id: row
            for row in CustomerPrice.objects.filter(
                customer=customer, item=item, unit_id__in={unit.pk, item.base_unit_id}
            )
        }
        # The line's own unit first, else the base unit's price converted.
        agreed = rows.get(unit.pk)
        price = agreed.price if agreed is not None else None
        if agreed is None and item.base_unit_id in rows:
            agreed = rows[item.base_unit_id]
            price = domain.price_for_unit(agreed.price, factor)
        if agreed is not None:
            return PriceQuote(price, PriceSource.CUSTOMER_PRICE, _("Customer price"), list_price, unit, agreed.pk)

    # Rule 2: the promotions of the day.
    promotion = _best_promotion(item=item, on=on, factor=factor, underlying=base_quote.unit_price)
    if promotion is not None:
        price, row = promotion
        if row.kind == PromotionKind.PERCENT_OFF:
            reason = _("Promotion: %(name)s -%(percent)s%%") % {
                "name": row.name,
                "percent": domain.number_text(row.percent_off),
            }
        else:
            reason = _("Promotion: %(name)s, special price") % {"name": row.name}
        return PriceQuote(price, PriceSource.PROMOTION, reason, list_price, unit, row.pk)
    return base_quote


def _best_promotion(*, item: Item, on: date, factor: Decimal, underlying: Decimal) -> tuple[Decimal, Promotion] | None:
    scope = Q(item=item)
    if item.category_id is not None:
        scope |= Q(category_id__in=_category_ancestor_ids(item.category_id))
    candidates = Promotion.objects.filter(scope, is_active=True, valid_from__lte=on, valid_to__gte=on)
    priced = []
    for row in candidates:
        if row.kind == PromotionKind.PERCENT_OFF:
            price = domain.percent_off(underlying, row.percent_off)
        else:
            price = domain.price_for_unit(row.fixed_price, factor)
        priced.append((price, 0 if row.item_id else 1, row.pk, row))
    if not priced:
        return None
    price, _scope, _pk, row = min(priced, key=lambda entry: entry[:3])
    return price, row


# --- What the seller sees beside a line ------------------------------------------------------------------


@dataclass(frozen=True)
class LineFacts:
    """Per base unit: the last price paid to a supplier (as the order priced it) and the current cost (net of
    VAT, the stock ledger's moving average or FIFO pool); the warehouse's available stock in base units."""

    last_purchase_price: Decimal | None
    last_supplier: Partner | None
    unit_cost: Decimal | None
    available: Decimal


@dataclass(frozen=True)
class LineWarning:
    code: str  # a WarningCode value
    message: str
    field: str  # the line's field at fault: "unit_price" or "quantity" (with the caller's prefix)
    blocking: bool = False


@dataclass(frozen=True)
class LineCheck:
    facts: LineFacts
    warnings: list[LineWarning] = field(default_factory=list)


def sale_line_facts(*, item: Item, warehouse: Warehouse) -> LineFacts:
    supplied = (
        SupplierItem.objects.filter(item=item, last_purchase_price__isnull=False)
        .select_related("supplier")
        .order_by("-updated_at", "-pk")
        .first()
    )
    valuation = ItemValuation.objects.filter(item=item).first()
    # The pool's cost stays what the last move left even when the stock is gone: still the best guess.
    cost = valuation.cost if valuation is not None and (valuation.quantity > 0 or valuation.cost > 0) else None
    available = stock_on_hand_totals(stock_on_hand(warehouse_id=warehouse.pk, item_id=item.pk))["available"]
    return LineFacts(
        last_purchase_price=supplied.last_purchase_price if supplied else None,
        last_supplier=supplied.supplier if supplied else None,
        unit_cost=cost,
        available=available,
    )


def _line_warnings(
    *,
    item: Item,
    warehouse: Warehouse,
    facts: LineFacts,
    unit_price: Decimal,
    base_quantity: Decimal,
    factor: Decimal,
    field_prefix: str,
    settings: PricingSettings | None = None,
) -> list[LineWarning]:
    settings = settings or pricing_settings()
    warnings = []
    base = item.base_unit.name
    if facts.unit_cost is not None and facts.unit_cost > 0:
        net = domain.price_without_vat(unit_price / factor, item.vat_rate)
        if net < facts.unit_cost:
            warnings.append(
                LineWarning(
                    WarningCode.BELOW_COST,
                    _("Below cost: %(net)s per %(unit)s net of VAT, the cost is %(cost)s.")
                    % {"net": domain.number_text(net), "unit": base, "cost": domain.number_text(facts.unit_cost)},
                    f"{field_prefix}unit_price",
                    settings.below_cost == CheckMode.BLOCK,
                )
            )
    if base_quantity > facts.available:
        warnings.append(
            LineWarning(
                WarningCode.BEYOND_STOCK,
                _("Beyond available stock: %(quantity)s %(unit)s wanted, %(available)s available in %(warehouse)s.")
                % {
                    "quantity": domain.number_text(base_quantity),
                    "available": domain.number_text(facts.available),
                    "unit": base,
                    "warehouse": warehouse.name,
                },
                f"{field_prefix}quantity",
                settings.beyond_stock == CheckMode.BLOCK,
            )
        )
    return warnings


def _check_facts(item_ids: list[int], warehouse_id: int) -> dict[int, LineFacts]:
    """What the selling checks need of each item, in one query: the pool's cost (as `sale_line_facts`
    gives it) and the warehouse's available stock. The last purchase price is not read (the checks do
    not use it): None here."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.id, v.quantity, v.cost,"
            f" (SELECT SUM(b.on_hand - b.reserved) FROM {StockBalance._meta.db_table} b"
            f"  WHERE b.item_id = u.id AND b.warehouse_id = %s)"
            f" FROM unnest(%s::bigint[]) AS u(id) LEFT JOIN {ItemValuation._meta.db_table} v ON v.item_id = u.id",
            [warehouse_id, list(item_ids)],
        )
        rows = cursor.fetchall()
    facts = {}
    for item_id, quantity, cost, available in rows:
        # The pool's cost stays what the last move left even when the stock is gone: still the best guess.
        known = quantity is not None and (quantity > 0 or cost > 0)
        facts[item_id] = LineFacts(
            last_purchase_price=None, last_supplier=None, unit_cost=cost if known else None,
            available=available if available is not None else Decimal("0"),
        )  # fmt: skip
    return facts


@dataclass(frozen=True)
class SaleLine:
    """One line of `sale_lines_check`."""

    item: Item
    unit_price: Decimal
    base_quantity: Decimal
    unit: Unit | None = None
    field_prefix: str = ""


def sale_lines_check(*, warehouse: Warehouse, lines: list[SaleLine]) -> list[list[LineWarning]]:
    """`sale_line_check` of several lines from one warehouse, each line's warnings in order, reading the
    settings once and every item's cost and stock in one query. A blocking warning raises (AppError
    naming that line's field), the first line's first; an unparsable figure or a unit not of the item
    raises for its line too (`field_prefix` + "unit_price", "quantity" or "unit")."""
    settings = pricing_settings()
    facts = _check_facts(sorted({line.item.pk for line in lines}), warehouse.pk)
    out = []
    for line in lines:
        item, prefix = line.item, line.field_prefix
        factor = unit_factor(item, line.unit, field=f"{prefix}unit") if line.unit is not None else Decimal(1)
        warnings = _line_warnings(
            item=item,
            warehouse=warehouse,
            facts=facts[item.pk],
            unit_price=domain.decimal_parse(line.unit_price, field=f"{prefix}unit_price"),
            base_quantity=domain.decimal_parse(line.base_quantity, field=f"{prefix}quantity"),
            factor=factor,
            field_prefix=prefix,
            settings=settings,
        )
        for warning in warnings:
            if warning.blocking:
                raise AppError(warning.code, warning.message, field=warning.field)
        out.append(warnings)
    return out


def sale_line_check(
    *,
    item: Item,
    warehouse: Warehouse,
    unit_price: Decimal,
    base_quantity: Decimal,
    unit: Unit | None = None,
    field_prefix: str = "",
) -> list[LineWarning]:
    """The warnings of selling `base_quantity` base units of `item` from `warehouse` at `unit_price`
    (tax-inclusive, per `unit`; None: per base unit): below cost (the price net of the item's VAT is under
    the current unit cost) and beyond the warehouse's available stock (on hand − reserved).

    A check the tenant set to "block" raises an AppError naming the line's field instead
    (`field_prefix` + "unit_price" or "quantity", e.g. "lines[2].unit_price"); below cost is checked first.
    """
    line = SaleLine(item, unit_price, base_quantity, unit, field_prefix)
    return sale_lines_check(warehouse=warehouse, lines=[line])[0]


def sale_line_review(
    *, item: Item, warehouse: Warehouse, unit_price: Decimal, base_quantity: Decimal, unit: Unit | None = None
) -> LineCheck:
    """The facts and the warnings of a line for showing them (a blocking one is flagged, never raised)."""
    factor = unit_factor(item, unit) if unit is not None else Decimal(1)
    facts = sale_line_facts(item=item, warehouse=warehouse)
    warnings = _line_warnings(
        item=item,
        warehouse=warehouse,
        facts=facts,
        unit_price=unit_price,
        base_quantity=base_quantity,
        factor=factor,
        field_prefix="",
    )
    return LineCheck(facts=facts, warnings=warnings)


def sale_line_quote(
    *,
    item: Item,
    unit: Unit | None,
    customer: Partner | None,
    quantity,
    warehouse: Warehouse,
    on: date,
    unit_price=None,
) -> dict:
    """The quote of a line with its facts and warnings, prices and costs per the line's unit (shared by the
    API and the htmx fragment). `unit_price`: the price typed on the line (None: the quoted one)."""
    quote = price_quote(item=item, unit=unit, customer=customer, quantity=quantity, on=on)
    factor = unit_factor(item, quote.unit)
    quantity = domain.quantity_parse(quantity, field="quantity")
    checked = quote.unit_price
    if unit_price not in (None, ""):
        checked = domain.decimal_parse(unit_price, field="unit_price")
        if checked < 0:
            raise AppError(Code.INVALID_NUMBER, _("The price cannot be negative."), field="unit_price")
    base_quantity = quantity * factor
    review = sale_line_review(
        item=item, warehouse=warehouse, unit_price=checked, base_quantity=base_quantity, unit=quote.unit
    )
    facts = review.facts

    def per_unit(value: Decimal | None) -> Decimal | None:
        return None if value is None else domain.price_for_unit(value, factor)

    return {
        "item": item,
        "item_id": item.pk,
        "unit_id": quote.unit.pk,
        "unit": quote.unit.name,
        "quantity": quantity,
        "base_quantity": base_quantity,
        "unit_price": quote.unit_price,
        "source": quote.source,
        "source_id": quote.source_id,
        "reason": quote.reason,
        "list_price": quote.list_price,
        "checked_price": checked,
        "unit_cost": per_unit(facts.unit_cost),
        "last_purchase_price": per_unit(facts.last_purchase_price),
        "last_supplier": facts.last_supplier,
        "available": facts.available,
        "warehouse": warehouse,
        "warehouse_id": warehouse.pk,
        "warnings": review.warnings,
    }


# --- Lists for the pages and the API -------------------------------------------------------------------


def price_list_list(*, active: bool | None = None) -> QuerySet[PriceList]:
    qs = PriceList.objects.all()
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("tier")


def price_list_entries(
    *, price_list_id: int | None = None, item_id: int | None = None, q: str = ""
) -> QuerySet[PriceListItem]:
    qs = PriceListItem.objects.select_related("price_list", "item", "item__base_unit", "unit")
    if price_list_id is not None:
        qs = qs.filter(price_list_id=price_list_id)
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    if q:
        qs = qs.filter(Q(item__code__icontains=q) | Q(item__name__icontains=q) | Q(item__pinyin_initials__icontains=q))
    return qs.order_by("price_list__tier", "item__code", "unit__name", "min_quantity")


def customer_price_list(*, customer_id: int | None = None, item_id: int | None = None) -> QuerySet[CustomerPrice]:
    qs = CustomerPrice.objects.select_related("customer", "item", "unit")
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    return qs.order_by("customer__code", "item__code", "unit__name")


def promotion_list(*, on: date | None = None, active: bool | None = None) -> QuerySet[Promotion]:
    """Promotions, newest first; `on`: only those valid that day (and active)."""
    qs = Promotion.objects.select_related("item", "category")
    if active is not None:
        qs = qs.filter(is_active=active)
    if on is not None:
        qs = qs.filter(is_active=True, valid_from__lte=on, valid_to__gte=on)
    return qs.order_by("-valid_from", "name", "id")


def customer_choices() -> QuerySet[Partner]:
    return Partner.objects.filter(is_customer=True, is_active=True).order_by("code")


def category_item_ids(*, category_id: int) -> QuerySet:
    return Item.objects.filter(category_id__in=category_descendant_ids(category_id=category_id)).values("pk")
