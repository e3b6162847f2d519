"""Reorder writes: rules (settings: created, changed and deleted freely), the low-stock snapshot, and draft
purchase orders from accepted replenishment suggestions (through purchasing's own service).

One transaction per service; bad input raises AppError naming the field and writes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError, NotFound
from jxc.kernel.numbers import decimal_parse, today_in
from modules.catalog.models import Item
from modules.inventory.models import Warehouse
from modules.partners.models import Partner
from modules.purchasing.models import PurchaseOrder
from modules.purchasing.services import OrderLineInput, purchase_order_create
from modules.reorder import domain, selectors
from modules.reorder.domain import Code
from modules.reorder.models import LowStockAlert, LowStockSnapshot, ReorderRule, ReplenishmentBatch

UPDATABLE = frozenset({"minimum", "reorder_point", "maximum", "preferred_supplier_id", "is_active"})


def _id(value, *, field: str) -> int:
    if value in (None, ""):
        raise AppError(Code.REQUIRED, _("This field is required."), field=field)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AppError(Code.INVALID, _("Enter a whole number."), field=field) from None


def _item(item_id) -> Item:
    item = Item.objects.filter(pk=_id(item_id, field="item_id")).first()
    if item is None:
        raise AppError(Code.NOT_FOUND, _("No such item."), field="item_id")
    if not item.is_active:
        raise AppError(Code.INACTIVE, _("This item is inactive."), field="item_id")
    return item


def _warehouse(warehouse_id) -> Warehouse:
    warehouse = Warehouse.objects.filter(pk=_id(warehouse_id, field="warehouse_id")).first()
    if warehouse is None:
        raise AppError(Code.NOT_FOUND, _("No such warehouse."), field="warehouse_id")
    if not warehouse.is_active:
        raise AppError(Code.INACTIVE, _("This warehouse is inactive."), field="warehouse_id")
    return warehouse


def _supplier(supplier_id) -> Partner | None:
    if supplier_id in (None, ""):
        return None
    supplier = Partner.objects.filter(pk=_id(supplier_id, field="preferred_supplier_id")).first()
    if supplier is None:
        raise AppError(Code.NOT_FOUND, _("No such partner."), field="preferred_supplier_id")
    if not supplier.is_supplier:
        raise AppError(Code.NOT_A_SUPPLIER, _("This partner is not a supplier."), field="preferred_supplier_id")
    if not supplier.is_active:
        raise AppError(Code.INACTIVE, _("This supplier is inactive."), field="preferred_supplier_id")
    return supplier


def _duplicate() -> AppError:
    return AppError(Code.DUPLICATE, _("This item has a rule in this warehouse already."), field="item_id")


@transaction.atomic
def reorder_rule_create(
    *,
    item_id: int,
    warehouse_id: int,
    minimum,
    reorder_point,
    maximum,
    preferred_supplier_id: int | None = None,
    is_active: bool = True,
) -> ReorderRule:
    """Add the rule of one item in one warehouse (levels in the item's base unit; see domain for the order)."""
    item = _item(item_id)
    warehouse = _warehouse(warehouse_id)
    levels = {
        "minimum": domain.quantity_clean(minimum, field="minimum"),
        "reorder_point": domain.quantity_clean(reorder_point, field="reorder_point"),
        "maximum": domain.quantity_clean(maximum, field="maximum"),
    }
    domain.levels_check(**levels, changed=frozenset(domain.LEVELS))
    supplier = _supplier(preferred_supplier_id)
    if ReorderRule.objects.filter(item=item, warehouse=warehouse).exists():
        raise _duplicate()
    rule = ReorderRule(item=item, warehouse=warehouse, preferred_supplier=supplier, is_active=bool(is_active), **levels)
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        # A concurrent creation of the same pair won the race the check above could not see.
        raise _duplicate() from None
    return rule


@transaction.atomic
def reorder_rule_update(*, rule_id: int, **changes) -> ReorderRule:
    """Change levels, preferred supplier (None: the item's default) or the active flag. The item and the
    warehouse of a rule are fixed: delete it and add another."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise AppError(Code.UNKNOWN_FIELD, _("This field cannot be changed."), field=sorted(unknown)[0])
    rule = ReorderRule.objects.select_for_update().filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(Code.NOT_FOUND, _("No such rule."), field="rule_id")
    levels = {name: getattr(rule, name) for name in domain.LEVELS}
    for name in domain.LEVELS:
        if name in changes:
            levels[name] = domain.quantity_clean(changes[name], field=name)
    # A form sends every level; the ones whose value moved are those to blame for a broken order.
    moved = frozenset(name for name in domain.LEVELS if levels[name] != getattr(rule, name))
    domain.levels_check(**levels, changed=moved)
    for name, value in levels.items():
        setattr(rule, name, value)
    supplier_id = changes.get("preferred_supplier_id", rule.preferred_supplier_id)
    supplier_id = None if supplier_id in (None, "") else _id(supplier_id, field="preferred_supplier_id")
    # Only a new choice is checked: keeping a supplier deactivated since does not block editing the levels.
    if supplier_id != rule.preferred_supplier_id:
        rule.preferred_supplier = _supplier(supplier_id)
    if "is_active" in changes:
        rule.is_active = bool(changes["is_active"])
    rule.save()
    return rule


@transaction.atomic
def reorder_rule_delete(*, rule_id: int) -> None:
    deleted, _detail = ReorderRule.objects.filter(pk=rule_id).delete()
    if not deleted:
        raise NotFound(Code.NOT_FOUND, _("No such rule."), field="rule_id")


@transaction.atomic
def low_stock_snapshot_refresh(*, now: datetime | None = None) -> LowStockSnapshot:
    """Compute the low-stock list of the current tenant and store it as the snapshot, replacing the last one."""
    with connection.cursor() as cursor:
        # Serialise refreshes (the nightly task and a "recompute now" click) so their lines never mix;
        # the key is per schema since each tenant has its own search_path.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':reorder:snapshot'))")
    lines = selectors.low_stock()
    snapshot, _created = LowStockSnapshot.objects.update_or_create(
        pk=1,
        defaults={
            "computed_at": now or timezone.now(),
            "line_count": len(lines),
            "item_count": len({line.item_id for line in lines}),
            "below_minimum_count": sum(1 for line in lines if line.severity == domain.Severity.BELOW_MINIMUM),
        },
    )
    LowStockAlert.objects.filter(snapshot=snapshot).delete()
    LowStockAlert.objects.bulk_create(
        [
            LowStockAlert(
                snapshot=snapshot,
                position=position,
                rule_id=line.rule_id,
                item=line.item,
                warehouse=line.warehouse,
                available=line.available,
                minimum=line.minimum,
                reorder_point=line.reorder_point,
                maximum=line.maximum,
                severity=line.severity,
                suggested_quantity=line.suggested_quantity,
                purchase_unit=line.purchase_unit,
                purchase_unit_factor=line.purchase_unit_factor,
                suggested_purchase_units=line.suggested_purchase_units,
                supplier=line.supplier,
                supplier_preferred=line.supplier_preferred,
                last_price=line.last_price,
            )
            for position, line in enumerate(lines)
        ]
    )
    return snapshot


# ---- Replenishment suggestions → draft purchase orders ------------------------------------------------------


@dataclass(frozen=True)
class AcceptedLine:
    """An accepted suggestion: order `quantity` of the item for the warehouse, in the supplier's purchase unit
    when the supplier item names one (whole units only), else in the item's base unit. `supplier_id` None:
    the suggested supplier (see `selectors.supplier_choice`)."""

    item_id: int | str | None
    warehouse_id: int | str | None
    quantity: Decimal | str | None
    supplier_id: int | str | None = None


@dataclass(frozen=True)
class OrdersResult:
    batch: ReplenishmentBatch
    orders: list[PurchaseOrder]
    created: bool  # False: the token was used before; these are the orders it created then


def _batch_result(batch: ReplenishmentBatch, *, created: bool) -> OrdersResult:
    orders = list(batch.orders.select_related("supplier", "warehouse").order_by("number"))
    return OrdersResult(batch=batch, orders=orders, created=created)


def _line_id(value, *, field: str, n: int) -> int:
    if value in (None, ""):
        raise AppError(Code.REQUIRED, _("Line %(n)s: this field is required.") % {"n": n}, field=field)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AppError(Code.INVALID, _("Line %(n)s: enter a whole number.") % {"n": n}, field=field) from None


@dataclass(frozen=True)
class _Planned:
    supplier: Partner
    warehouse: Warehouse
    lead_days: int
    line: OrderLineInput


def _plan_line(index: int, line: AcceptedLine, *, items, warehouses, linked, suppliers, rules) -> _Planned:
    prefix, n = f"lines.{index}", index + 1
    item = items.get(_line_id(line.item_id, field=f"{prefix}.item_id", n=n))
    if item is None or not item.is_active:
        raise AppError(Code.NOT_FOUND, _("Line %(n)s: no such active item.") % {"n": n}, field=f"{prefix}.item_id")
    warehouse = warehouses.get(_line_id(line.warehouse_id, field=f"{prefix}.warehouse_id", n=n))
    if warehouse is None or not warehouse.is_active:
        raise AppError(
            Code.NOT_FOUND, _("Line %(n)s: no such active warehouse.") % {"n": n}, field=f"{prefix}.warehouse_id"
        )
    preferred = None
    if line.supplier_id not in (None, ""):
        preferred = suppliers.get(_line_id(line.supplier_id, field=f"{prefix}.supplier_id", n=n))
        if preferred is None or not (preferred.is_supplier and preferred.is_active):
            raise AppError(
                Code.NOT_A_SUPPLIER,
                _("Line %(n)s: choose an active supplier.") % {"n": n},
                field=f"{prefix}.supplier_id",
            )
    else:
        rule = rules.get((item.pk, warehouse.pk))
        preferred = rule.preferred_supplier if rule else None
    choice = selectors.supplier_choice(linked=linked.get(item.pk, []), preferred=preferred)
    if choice is None:
        raise AppError(
            Code.NO_SUPPLIER,
            _("Line %(n)s: no active supplier supplies %(item)s; choose one.") % {"n": n, "item": item.code},
            field=f"{prefix}.supplier_id",
        )
    quantity = decimal_parse(line.quantity, field=f"{prefix}.quantity") if line.quantity not in (None, "") else None
    if quantity is None or quantity <= 0:
        raise AppError(
            Code.NON_POSITIVE,
            _("Line %(n)s: the quantity must be greater than zero.") % {"n": n},
            field=f"{prefix}.quantity",
        )
    pack = choice.purchase_unit
    if pack is not None and quantity != quantity.to_integral_value():
        raise AppError(
            Code.WHOLE_UNITS,
            _("Line %(n)s: %(supplier)s sells %(item)s by the %(unit)s: order whole ones.")
            % {"n": n, "supplier": choice.supplier.name, "item": item.code, "unit": pack.unit.name},
            field=f"{prefix}.quantity",
        )
    base_price = choice.last_price if choice.last_price is not None else item.purchase_price
    factor = pack.factor if pack is not None else Decimal(1)
    return _Planned(
        supplier=choice.supplier,
        warehouse=warehouse,
        lead_days=choice.lead_days,
        line=OrderLineInput(
            item=item,
            unit=pack.unit if pack is not None else item.base_unit,
            quantity=quantity,
            unit_price=(base_price * factor).quantize(domain.QTY, rounding=ROUND_HALF_UP),
        ),
    )


TOKEN_MAX = ReplenishmentBatch._meta.get_field("token").max_length


@transaction.atomic
def suggestion_orders_create(
    *, token: str, lines: list[AcceptedLine], tz_name: str, window_days: int | None = None, created_by=None
) -> OrdersResult:
    """Turn accepted suggestions into draft purchase orders, one per supplier × warehouse, priced at the
    supplier's last price (else the item's purchase price), expected after the longest lead time among its
    lines. All or nothing. The same `token` again returns the orders it created the first time, even when two
    requests race (the second waits on the token's unique index, then finds the first one's batch)."""
    token = (token or "").strip()
    if not token or len(token) > TOKEN_MAX:
        raise AppError(Code.INVALID, _("The form token is missing or too long."), field="token")
    existing = ReplenishmentBatch.objects.filter(token=token).first()
    if existing is not None:
        return _batch_result(existing, created=False)
    if not lines:
        raise AppError(Code.REQUIRED, _("Choose at least one suggestion."), field="lines")
    ids = {"item": set(), "warehouse": set(), "supplier": set()}
    for line in lines:
        for name in ids:
            value = getattr(line, f"{name}_id")
            if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
                ids[name].add(int(value))
    items = Item.objects.select_related("base_unit").in_bulk(ids["item"])
    warehouses = Warehouse.objects.in_bulk(ids["warehouse"])
    suppliers = Partner.objects.in_bulk(ids["supplier"])
    linked = selectors.supplier_items_by_item(item_ids=list(items))
    rules = {
        (rule.item_id, rule.warehouse_id): rule
        for rule in ReorderRule.objects.filter(
            item_id__in=list(items), warehouse_id__in=list(warehouses)
        ).select_related("preferred_supplier")
    }
    planned: list[_Planned] = []
    seen: set[tuple[int, int]] = set()
    for index, line in enumerate(lines):
        entry = _plan_line(
            index, line, items=items, warehouses=warehouses, linked=linked, suppliers=suppliers, rules=rules
        )
        pair = (entry.line.item.pk, entry.warehouse.pk)
        if pair in seen:
            raise AppError(
                Code.DUPLICATE_LINE,
                _("Line %(n)s: this item is already on another line for this warehouse.") % {"n": index + 1},
                field=f"lines.{index}.item_id",
            )
        seen.add(pair)
        planned.append(entry)
    try:
        with transaction.atomic():
            batch = ReplenishmentBatch.objects.create(token=token, window_days=window_days, created_by=created_by)
    except IntegrityError:
        # A concurrent request with the same token committed first: answer with its orders.
        return _batch_result(ReplenishmentBatch.objects.get(token=token), created=False)
    groups: dict[tuple[int, int], list[_Planned]] = {}
    for entry in planned:
        groups.setdefault((entry.supplier.pk, entry.warehouse.pk), []).append(entry)
    today = today_in(tz_name)
    orders = []
    for group in sorted(groups.values(), key=lambda entries: (entries[0].supplier.code, entries[0].warehouse.code)):
        lead = max(entry.lead_days for entry in group)
        orders.append(
            purchase_order_create(
                supplier=group[0].supplier,
                warehouse=group[0].warehouse,
                date=today,
                expected_date=today + timedelta(days=lead),
                lines=[entry.line for entry in group],
                note=_("From replenishment suggestions"),
                created_by=created_by,
            )
        )
    batch.orders.set(orders)
    return _batch_result(batch, created=True)
