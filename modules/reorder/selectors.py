"""Reorder reads: rules, the live low-stock list, the stored snapshot and the dashboard's card.

`low_stock` answers in two queries whatever the number of rules: one for the rules that are low (with
their available quantity, supplier, price and purchase unit computed by correlated subqueries in the
database) and one for the suppliers' names.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.catalog.models import Category, Item, ItemUnit
from modules.catalog.selectors import item_search
from modules.inventory.models import StockBalance, StockMove, StockReservation, Warehouse
from modules.partners.models import Partner, SupplierItem
from modules.purchasing.enums import OrderStatus
from modules.purchasing.models import PurchaseOrder, PurchaseOrderLine
from modules.reorder import domain
from modules.reorder.demand import sale_source_types
from modules.reorder.models import LowStockAlert, LowStockSnapshot, ReorderRule, ReplenishmentBatch

QTY_FIELD = DecimalField(max_digits=20, decimal_places=6)
PRICE_FIELD = DecimalField(max_digits=20, decimal_places=6)
# Purchase orders whose outstanding quantities are on their way (a draft has not been sent yet).
OPEN_ORDER_STATUSES = (OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_RECEIVED)


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


# ---- Replenishment suggestions (库存补充建议): the formula is in `domain` -------------------------------------


@dataclass(frozen=True)
class SupplierChoice:
    """Who an item is bought from, why, and on what terms (lead time, purchase unit, last price)."""

    supplier: Partner
    reason: str  # "rule": the rule names it; "last_price": its price is the latest; "only": the latest updated
    supplier_item: SupplierItem | None  # None: a supplier named by a rule that has no supplier item yet

    @property
    def lead_days(self) -> int:
        if self.supplier_item is not None and self.supplier_item.lead_time_days is not None:
            return self.supplier_item.lead_time_days
        return self.supplier.lead_time_days

    @property
    def lead_source(self) -> str:
        """ "item": the supplier item's own lead time; "supplier": the supplier's default."""
        if self.supplier_item is not None and self.supplier_item.lead_time_days is not None:
            return "item"
        return "supplier"

    @property
    def purchase_unit(self) -> ItemUnit | None:
        return self.supplier_item.purchase_unit if self.supplier_item is not None else None

    @property
    def last_price(self) -> Decimal | None:
        return self.supplier_item.last_purchase_price if self.supplier_item is not None else None


def supplier_items_by_item(*, item_ids) -> dict[int, list[SupplierItem]]:
    """The active suppliers' supplier items of these items, most recently updated first (one query)."""
    rows = (
        SupplierItem.objects.filter(item_id__in=item_ids, supplier__is_supplier=True, supplier__is_active=True)
        .select_related("supplier", "purchase_unit__unit")
        .order_by("item_id", "-updated_at", "-id")
    )
    by_item: dict[int, list[SupplierItem]] = {}
    for row in rows:
        by_item.setdefault(row.item_id, []).append(row)
    return by_item


def supplier_choice(*, linked: list[SupplierItem], preferred: Partner | None = None) -> SupplierChoice | None:
    """The supplier to order an item from: the one a rule prefers (when still an active supplier), else the
    active supplier whose last purchase price is the most recent, else the one most recently linked to it.
    `linked`: the item's supplier items as `supplier_items_by_item` gives them."""
    if preferred is not None and preferred.is_supplier and preferred.is_active:
        row = next((row for row in linked if row.supplier_id == preferred.pk), None)
        return SupplierChoice(supplier=preferred, reason="rule", supplier_item=row)
    priced = [row for row in linked if row.last_purchase_price is not None]
    if priced:
        return SupplierChoice(supplier=priced[0].supplier, reason="last_price", supplier_item=priced[0])
    if linked:
        return SupplierChoice(supplier=linked[0].supplier, reason="only", supplier_item=linked[0])
    return None


@dataclass(frozen=True)
class SuggestionLine:
    """One item × warehouse with what to order and why (quantities in base units unless said otherwise)."""

    rule_id: int
    item: Item
    warehouse: Warehouse
    minimum: Decimal
    reorder_point: Decimal
    maximum: Decimal
    on_hand: Decimal
    on_order: Decimal  # outstanding on confirmed and partially received purchase orders
    on_draft: Decimal  # on draft purchase orders: shown, not counted (a draft may never be sent)
    reserved: Decimal  # held by open sales orders
    sold: Decimal  # net sales over the window
    window_days: int
    review_days: int
    choice: SupplierChoice | None
    plan: domain.Plan

    @property
    def key(self) -> str:
        return f"{self.item.pk}-{self.warehouse.pk}"

    @property
    def item_id(self) -> int:
        return self.item.pk

    @property
    def warehouse_id(self) -> int:
        return self.warehouse.pk

    @property
    def supplier(self) -> Partner | None:
        return self.choice.supplier if self.choice else None

    @property
    def lead_days(self) -> int:
        return self.choice.lead_days if self.choice else 0

    @property
    def purchase_unit(self) -> ItemUnit | None:
        return self.choice.purchase_unit if self.choice else None

    @property
    def order_unit_name(self) -> str:
        return self.purchase_unit.unit.name if self.purchase_unit else self.item.base_unit.name

    @property
    def order_quantity(self) -> Decimal:
        """What the order line will say: whole purchase units, or base units."""
        return self.plan.packs if self.purchase_unit and self.plan.packs is not None else self.plan.quantity

    @property
    def base_price(self) -> Decimal | None:
        """Per base unit: the supplier's last price, else the item's purchase price (None: neither known)."""
        if self.choice and self.choice.last_price is not None:
            return self.choice.last_price
        return self.item.purchase_price if self.item.purchase_price else None

    @property
    def price_source(self) -> str:
        if self.choice and self.choice.last_price is not None:
            return "last_price"
        return "item" if self.base_price is not None else "none"

    @property
    def unit_price(self) -> Decimal | None:
        """Per order unit."""
        price = self.base_price
        if price is None:
            return None
        factor = self.purchase_unit.factor if self.purchase_unit else Decimal(1)
        return (price * factor).quantize(domain.QTY, rounding=ROUND_HALF_UP)

    @property
    def estimated_amount(self) -> Decimal | None:
        return domain.estimated_amount(quantity=self.plan.quantity, unit_price=self.base_price)

    @property
    def orderable(self) -> bool:
        return self.choice is not None

    @property
    def reasons(self) -> list[str]:
        return suggestion_reasons(self)


def suggestion_reasons(line: SuggestionLine) -> list[str]:
    """Why this line suggests what it does, in the user's language, one step of the formula per sentence."""
    q, unit, plan = domain.qty_text, line.item.base_unit.name, line.plan
    reasons = [
        _("Sold %(sold)s %(unit)s in the last %(days)s days (returns deducted): %(daily)s a day.")
        % {"sold": q(line.sold), "unit": unit, "days": line.window_days, "daily": q(plan.daily_sales)},
    ]
    if line.choice is None:
        reasons.append(_("No active supplier supplies this item: link one to order it."))
    else:
        who = {
            "rule": _("named by the reorder rule"),
            "last_price": _("the supplier with the latest purchase price"),
            "only": _("the supplier linked to the item most recently"),
        }[line.choice.reason]
        source = _("its own for this item") if line.choice.lead_source == "item" else _("the supplier's default")
        reasons.append(
            _("Supplier %(supplier)s (%(who)s); lead time %(lead)s days (%(source)s).")
            % {"supplier": line.choice.supplier.name, "who": who, "lead": line.lead_days, "source": source}
        )
    reasons.append(
        _(
            "Position: on hand %(on_hand)s + on order %(on_order)s − reserved %(reserved)s = %(position)s; "
            "reorder when at most max(reorder point %(reorder_point)s, minimum + lead-time sales %(lead_sales)s) "
            "= %(trigger)s."
        )
        % {
            "on_hand": q(line.on_hand),
            "on_order": q(line.on_order),
            "reserved": q(line.reserved),
            "position": q(plan.position),
            "reorder_point": q(line.reorder_point),
            "lead_sales": q(line.minimum + plan.daily_sales * line.lead_days),
            "trigger": q(plan.trigger),
        }
    )
    reasons.append(
        _(
            "Target: max(maximum %(maximum)s, minimum %(minimum)s + %(days)s days of sales %(demand)s) = %(target)s "
            "(lead time %(lead)s + review period %(review)s days)."
        )
        % {
            "maximum": q(line.maximum),
            "minimum": q(line.minimum),
            "days": line.lead_days + line.review_days,
            "demand": q(plan.demand),
            "target": q(plan.target),
            "lead": line.lead_days,
            "review": line.review_days,
        }
    )
    if plan.position > plan.trigger:
        reasons.append(_("Above the reorder trigger: nothing to order yet."))
    elif line.purchase_unit and plan.packs:
        reasons.append(
            _(
                "Order %(target)s − %(position)s = %(needed)s, rounded up to %(packs)s %(pack)s of %(factor)s: "
                "%(quantity)s."
            )
            % {
                "target": q(plan.target),
                "position": q(plan.position),
                "needed": q(plan.needed),
                "packs": q(plan.packs),
                "pack": line.purchase_unit.unit.name,
                "factor": q(line.purchase_unit.factor),
                "quantity": q(plan.quantity),
            }
        )
    else:
        reasons.append(
            _("Order %(target)s − %(position)s = %(needed)s.")
            % {"target": q(plan.target), "position": q(plan.position), "needed": q(plan.needed)}
        )
    if line.on_draft:
        reasons.append(
            _("%(quantity)s more are on draft purchase orders, not counted until confirmed.")
            % {"quantity": q(line.on_draft)}
        )
    if line.choice is not None and line.price_source == "item":
        reasons.append(_("No purchase price from this supplier yet: the item's purchase price is used."))
    return reasons


def _sums(rows, key_fields: tuple[str, str], value: str) -> dict[tuple[int, int], Decimal]:
    return {(row[key_fields[0]], row[key_fields[1]]): row[value] or Decimal("0") for row in rows}


def replenishment_suggestions(
    *,
    warehouse_id: int | None = None,
    supplier_id: int | None = None,
    window_days: int = domain.DEFAULT_WINDOW,
    review_days: int = domain.REVIEW_DAYS,
    now: datetime | None = None,
    due_only: bool = True,
) -> list[SuggestionLine]:
    """Active rules (active items, active warehouses) with what to order now, most urgent first; `due_only`
    False keeps the lines with nothing to order. Seven queries whatever the number of rules.
    Filters: warehouse, supplier (the one the line would be ordered from)."""
    now = now or timezone.now()
    rules = ReorderRule.objects.filter(is_active=True, item__is_active=True, warehouse__is_active=True).select_related(
        "item", "item__base_unit", "warehouse", "preferred_supplier"
    )
    if warehouse_id is not None:
        rules = rules.filter(warehouse_id=warehouse_id)
    rules = list(rules)
    if not rules:
        return []
    item_ids = sorted({rule.item_id for rule in rules})
    warehouse_ids = sorted({rule.warehouse_id for rule in rules})
    place = {"item_id__in": item_ids, "warehouse_id__in": warehouse_ids}
    on_hand = _sums(
        StockBalance.objects.filter(**place).order_by().values("item_id", "warehouse_id").annotate(q=Sum("on_hand")),
        ("item_id", "warehouse_id"),
        "q",
    )
    reserved = _sums(
        StockReservation.objects.filter(**place)
        .order_by()
        .values("item_id", "warehouse_id")
        .annotate(q=Sum("quantity")),
        ("item_id", "warehouse_id"),
        "q",
    )
    sold = _sums(
        StockMove.objects.filter(
            **place,
            source_type__in=sorted(sale_source_types()),
            posted_at__gt=now - timedelta(days=window_days),
            posted_at__lte=now,
        )
        .order_by()
        .values("item_id", "warehouse_id")
        .annotate(q=-Sum("quantity")),
        ("item_id", "warehouse_id"),
        "q",
    )
    # Outstanding in base units: a line's unreceived share of its base quantity (received counts in its unit).
    outstanding = ExpressionWrapper(
        (F("quantity") - F("received_quantity")) * F("base_quantity") / F("quantity"), output_field=QTY_FIELD
    )
    ordered = list(
        PurchaseOrderLine.objects.filter(item_id__in=item_ids, order__warehouse_id__in=warehouse_ids)
        .filter(order__status__in=[*OPEN_ORDER_STATUSES, OrderStatus.DRAFT])
        .order_by()
        .values("item_id", "order__warehouse_id")
        .annotate(
            open=Sum(outstanding, filter=Q(order__status__in=OPEN_ORDER_STATUSES)),
            draft=Sum("base_quantity", filter=Q(order__status=OrderStatus.DRAFT)),
        )
    )
    on_order = _sums(ordered, ("item_id", "order__warehouse_id"), "open")
    on_draft = _sums(ordered, ("item_id", "order__warehouse_id"), "draft")
    linked = supplier_items_by_item(item_ids=item_ids)
    zero = Decimal("0")
    lines = []
    for rule in rules:
        pair = (rule.item_id, rule.warehouse_id)
        choice = supplier_choice(linked=linked.get(rule.item_id, []), preferred=rule.preferred_supplier)
        if supplier_id is not None and (choice is None or choice.supplier.pk != supplier_id):
            continue
        pack = choice.purchase_unit if choice else None
        plan = domain.replenishment_plan(
            on_hand=on_hand.get(pair, zero),
            on_order=on_order.get(pair, zero).quantize(domain.QTY, rounding=ROUND_HALF_UP),
            reserved=reserved.get(pair, zero),
            sold=sold.get(pair, zero),
            window_days=window_days,
            lead_days=choice.lead_days if choice else 0,
            review_days=review_days,
            minimum=rule.minimum,
            reorder_point=rule.reorder_point,
            maximum=rule.maximum,
            pack_factor=pack.factor if pack else None,
        )
        if due_only and not plan.due:
            continue
        lines.append(
            SuggestionLine(
                rule_id=rule.pk,
                item=rule.item,
                warehouse=rule.warehouse,
                minimum=rule.minimum,
                reorder_point=rule.reorder_point,
                maximum=rule.maximum,
                on_hand=on_hand.get(pair, zero),
                on_order=on_order.get(pair, zero).quantize(domain.QTY, rounding=ROUND_HALF_UP),
                on_draft=on_draft.get(pair, zero),
                reserved=reserved.get(pair, zero),
                sold=sold.get(pair, zero),
                window_days=window_days,
                review_days=review_days,
                choice=choice,
                plan=plan,
            )
        )
    # Most urgent first: below the minimum, then the emptiest relative to the target.
    lines.sort(
        key=lambda line: (
            line.plan.position >= line.minimum,
            line.plan.position / line.plan.target if line.plan.target else Decimal(1),
            line.item.code,
            line.warehouse.code,
        )
    )
    return lines


def replenishment_batch_get(*, batch_id: int) -> ReplenishmentBatch | None:
    return ReplenishmentBatch.objects.filter(pk=batch_id).first()


def replenishment_batch_orders(*, batch: ReplenishmentBatch) -> QuerySet[PurchaseOrder]:
    """The draft purchase orders (now perhaps confirmed) one accepted set of suggestions made."""
    return batch.orders.select_related("supplier", "warehouse").prefetch_related("lines").order_by("number")
