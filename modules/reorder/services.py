"""Reorder writes: rules (settings: created, changed and deleted freely) and the low-stock snapshot.

One transaction per service; bad input raises AppError naming the field and writes nothing.
"""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError, NotFound
from modules.catalog.models import Item
from modules.inventory.models import Warehouse
from modules.partners.models import Partner
from modules.reorder import domain, selectors
from modules.reorder.domain import Code
from modules.reorder.models import LowStockAlert, LowStockSnapshot, ReorderRule

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
