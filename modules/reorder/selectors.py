"""Reorder reads: rules, the live low-stock list, the stored snapshot and the dashboard's card.

`low_stock` answers in two queries whatever the number of rules: one for the rules that are low (with
their available quantity, supplier, price and purchase unit computed by correlated subqueries in the
database) and one for the suppliers' names.
"""

from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from modules.catalog.models import Category, Item, ItemUnit
from modules.catalog.selectors import item_search
from modules.inventory.models import StockBalance, Warehouse
from modules.partners.models import Partner, SupplierItem
from modules.reorder import domain
from modules.reorder.models import LowStockAlert, LowStockSnapshot, ReorderRule

QTY_FIELD = DecimalField(max_digits=20, decimal_places=6)
PRICE_FIELD = DecimalField(max_digits=20, decimal_places=6)


def rule_list(
    *, warehouse_id: int | None = None, item_id: int | None = None, q: str = "", active: bool | None = None
) -> QuerySet[ReorderRule]:
    """Rules by warehouse, item, item search (code, name, pinyin initials, barcode) or active flag."""
    rules = ReorderRule.objects.select_related("item", "item__base_unit", "warehouse", "preferred_supplier")
    if warehouse_id is not None:
        rules = rules.filter(warehouse_id=warehouse_id)
    if item_id is not None:
        rules = rules.filter(item_id=item_id)
    if (q or "").strip():
        rules = rules.filter(item_id__in=item_search(queryset=Item.objects.all(), q=q).values("pk"))
    if active is not None:
        rules = rules.filter(is_active=active)
    return rules.order_by("item__code", "warehouse__code")


def rule_get(*, rule_id: int) -> ReorderRule | None:
    return rule_list().filter(pk=rule_id).first()


def _category_subtree(category_id: int) -> RawSQL:
    """The category and every category below it, as a subquery (no extra round trip)."""
    table = Category._meta.db_table
    # The table name is the model's own and the id a bound parameter: nothing of the caller's is spliced in.
    return RawSQL(  # noqa: S611
        f"""WITH RECURSIVE tree(id) AS (
                SELECT id FROM {table} WHERE id = %s
                UNION SELECT c.id FROM {table} c JOIN tree t ON c.parent_id = t.id)
            SELECT id FROM tree""",
        [category_id],
    )


def item_default_supplier_id():
    """The supplier an item is ordered from when its rule names none: its only supplier, or with several
    the one whose supplier item was updated last (the latest price paid). Active suppliers only."""
    return (
        SupplierItem.objects.filter(item_id=OuterRef("item_id"), supplier__is_supplier=True, supplier__is_active=True)
        .order_by("-updated_at", "-id")
        .values("supplier_id")[:1]
    )


@dataclass(frozen=True)
class LowStockLine:
    """One item × warehouse at or below its reorder point, with what to order (see `domain`)."""

    rule_id: int
    item: Item
    warehouse: Warehouse
    available: Decimal
    minimum: Decimal
    reorder_point: Decimal
    maximum: Decimal
    severity: str
    suggested_quantity: Decimal  # base units
    purchase_unit: str  # "" when the item has none
    purchase_unit_factor: Decimal | None
    suggested_purchase_units: Decimal | None
    supplier: Partner | None
    supplier_preferred: bool  # named by the rule (else the item's default supplier)
    last_price: Decimal | None  # per base unit, from the supplier's SupplierItem

    @property
    def item_id(self) -> int:
        return self.item.pk

    @property
    def warehouse_id(self) -> int:
        return self.warehouse.pk

    @property
    def supplier_id(self) -> int | None:
        return self.supplier.pk if self.supplier else None

    @property
    def estimated_amount(self) -> Decimal | None:
        return domain.estimated_amount(quantity=self.suggested_quantity, unit_price=self.last_price)

    def get_severity_display(self) -> str:
        return domain.Severity(self.severity).label


def _low_rules(*, warehouse_id: int | None, category_id: int | None, supplier_id: int | None) -> QuerySet:
    available = (
        StockBalance.objects.filter(item_id=OuterRef("item_id"), warehouse_id=OuterRef("warehouse_id"))
        .order_by()
        .values("item_id")
        .annotate(total=Sum(F("on_hand") - F("reserved")))
        .values("total")
    )
    # A preferred supplier that has since been deactivated (or is no longer a supplier) is skipped.
    preferred = Case(
        When(preferred_supplier__is_active=True, preferred_supplier__is_supplier=True, then=F("preferred_supplier_id")),
        default=None,
        output_field=IntegerField(),
    )
    # The item's purchase unit: its largest further unit above the base unit (箱 rather than 提 or 瓶).
    # The catalog has no "purchase unit" flag yet, so this is the unit a supplier ships in.
    pack = ItemUnit.objects.filter(item_id=OuterRef("item_id"), factor__gt=1).order_by("-factor", "id")
    rules = (
        ReorderRule.objects.filter(is_active=True, item__is_active=True, warehouse__is_active=True)
        .annotate(available=Coalesce(Subquery(available, output_field=QTY_FIELD), Value(Decimal("0"))))
        .filter(available__lte=F("reorder_point"))
        .annotate(
            preferred_id=preferred,
            supplier_ref=Coalesce(preferred, Subquery(item_default_supplier_id()), output_field=IntegerField()),
        )
        .annotate(
            last_price=Subquery(
                SupplierItem.objects.filter(item_id=OuterRef("item_id"), supplier_id=OuterRef("supplier_ref"))
                .order_by()
                .values("last_purchase_price")[:1],
                output_field=PRICE_FIELD,
            ),
            pack_factor=Subquery(pack.values("factor")[:1]),
            pack_unit=Subquery(pack.values("unit__name")[:1]),
        )
        .select_related("item", "item__base_unit", "warehouse")
    )
    if warehouse_id is not None:
        rules = rules.filter(warehouse_id=warehouse_id)
    if category_id is not None:
        rules = rules.filter(item__category_id__in=_category_subtree(category_id))
    if supplier_id is not None:
        rules = rules.filter(supplier_ref=supplier_id)
    return rules


def low_stock(
    *, warehouse_id: int | None = None, category_id: int | None = None, supplier_id: int | None = None
) -> list[LowStockLine]:
    """Active rules (of active items in active warehouses) whose available quantity — on hand minus
    reserved, summed over the warehouse's locations and lots — is at or below the reorder point; most
    urgent first. Filters: warehouse, category (with its subcategories), supplier (the one to order from)."""
    rows = list(_low_rules(warehouse_id=warehouse_id, category_id=category_id, supplier_id=supplier_id))
    supplier_ids = {row.supplier_ref for row in rows if row.supplier_ref is not None}
    suppliers = Partner.objects.only("id", "code", "name").in_bulk(supplier_ids) if supplier_ids else {}
    lines = []
    for row in rows:
        suggested = domain.suggestion(available=row.available, maximum=row.maximum, pack_factor=row.pack_factor)
        lines.append(
            LowStockLine(
                rule_id=row.pk,
                item=row.item,
                warehouse=row.warehouse,
                available=row.available,
                minimum=row.minimum,
                reorder_point=row.reorder_point,
                maximum=row.maximum,
                severity=domain.severity(available=row.available, minimum=row.minimum),
                suggested_quantity=suggested.quantity,
                purchase_unit=row.pack_unit or "",
                purchase_unit_factor=row.pack_factor,
                suggested_purchase_units=suggested.purchase_units,
                supplier=suppliers.get(row.supplier_ref),
                supplier_preferred=row.preferred_id is not None,
                last_price=row.last_price,
            )
        )
    lines.sort(
        key=lambda line: domain.urgency_key(
            severity_value=line.severity,
            available=line.available,
            maximum=line.maximum,
            item_code=line.item.code,
            warehouse_code=line.warehouse.code,
        )
    )
    return lines


def low_stock_snapshot() -> LowStockSnapshot | None:
    return LowStockSnapshot.objects.filter(pk=1).first()


def low_stock_alerts(
    *, warehouse_id: int | None = None, category_id: int | None = None, supplier_id: int | None = None
) -> QuerySet[LowStockAlert]:
    """The stored snapshot's lines, most urgent first, with the same filters as `low_stock`."""
    alerts = LowStockAlert.objects.select_related("item", "item__base_unit", "warehouse", "supplier")
    if warehouse_id is not None:
        alerts = alerts.filter(warehouse_id=warehouse_id)
    if category_id is not None:
        alerts = alerts.filter(item__category_id__in=_category_subtree(category_id))
    if supplier_id is not None:
        alerts = alerts.filter(supplier_id=supplier_id)
    return alerts.order_by("position")


@dataclass(frozen=True)
class LowStockCard:
    """What the dashboard shows: counts, the most urgent lines, and when they were computed."""

    computed_at: datetime
    tz: tzinfo  # the tenant's, to show computed_at in
    line_count: int
    item_count: int
    below_minimum_count: int
    top: list[LowStockAlert]


def low_stock_card(*, tz: tzinfo, limit: int = 5) -> LowStockCard | None:
    """From the snapshot (one query, two when something is low); None before the first computation."""
    snapshot = low_stock_snapshot()
    if snapshot is None:
        return None
    top = list(low_stock_alerts()[:limit]) if snapshot.line_count else []
    return LowStockCard(
        computed_at=snapshot.computed_at,
        tz=tz,
        line_count=snapshot.line_count,
        item_count=snapshot.item_count,
        below_minimum_count=snapshot.below_minimum_count,
        top=top,
    )


def supplier_choices() -> QuerySet[Partner]:
    """Active suppliers, for the rule form and the low-stock filter."""
    return Partner.objects.filter(is_supplier=True, is_active=True).only("id", "code", "name").order_by("code")
