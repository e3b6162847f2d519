"""Stock data in a tenant's schema: warehouses and their location trees, the per-tenant settings.

Writes go through `modules.inventory.services`; the models hold structure and constraints so the
database refuses what a service forgot to check.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Warehouse(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Every tenant has exactly one default warehouse (see services.warehouse_default_ensure).
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="inventory_one_default"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LocationKind(models.TextChoices):
    ZONE = "zone", _("Zone")
    SHELF = "shelf", _("Shelf")
    BIN = "bin", _("Bin")


# The kind a child of each kind must have: zone → shelf → bin; a zone sits at the top.
CHILD_KIND = {None: LocationKind.ZONE, LocationKind.ZONE: LocationKind.SHELF, LocationKind.SHELF: LocationKind.BIN}


class Location(models.Model):
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="locations"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=LocationKind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["warehouse", "code"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "code"], name="inventory_location_code_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in LocationKind]), name="inventory_location_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class CostingMethod(models.TextChoices):
    AVERAGE = "average", _("Moving weighted average")
    FIFO = "fifo", _("First in, first out (FIFO)")


class MoveRole(models.TextChoices):
    IN = "in", _("Incoming at its cost")
    IN_AVG = "in_avg", _("Incoming at the average cost")
    OUT = "out", _("Outgoing")
    TRANSFER = "transfer", _("Transfer")
    REVERSAL = "reversal", _("Reversal")


class InventorySettings(models.Model):
    """The tenant's stock settings: one row (pk 1), created on first read."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    allow_negative_stock = models.BooleanField(_("allow negative stock"), default=False)
    costing_method = models.CharField(
        _("costing method"), max_length=10, choices=CostingMethod.choices, default=CostingMethod.AVERAGE
    )

    class Meta:
        verbose_name = _("stock settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="inventory_settings_singleton")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class Lot(models.Model):
    """A batch of one item (批次), with its expiry date when the item has a shelf life."""

    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="lots")
    code = models.CharField(_("lot"), max_length=64)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "expiry_date", "code"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="inventory_lot_code_unique")]

    def __str__(self) -> str:
        return self.code


class StockMove(models.Model):
    """One append-only line of the stock ledger: a signed quantity in the item's base unit.

    Never updated or deleted by the application: a correction is a further move.
    """

    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        Location, verbose_name=_("location"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6)
    role = models.CharField(pgettext_lazy("inventory", "role"), max_length=10, choices=MoveRole.choices)
    reverses = models.ForeignKey(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The cost this move took and its signed value; re-computed when a backdated move lands before it.
    unit_cost = models.DecimalField(_("unit cost"), max_digits=20, decimal_places=6)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    # The item's cost pool (all places) after this move: running balance and as-of-date reads in one row.
    balance_quantity = models.DecimalField(_("balance quantity"), max_digits=20, decimal_places=6)
    balance_value = models.DecimalField(_("balance value"), max_digits=20, decimal_places=2)
    balance_cost = models.DecimalField(_("balance unit cost"), max_digits=20, decimal_places=6)
    fifo_layers = models.JSONField(_("FIFO layers"), null=True, blank=True)
    posted_at = models.DateTimeField(_("posted at"))
    source_type = models.CharField(_("source document type"), max_length=40)
    source_id = models.BigIntegerField(_("source document id"))
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["posted_at", "id"]
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        indexes = [
            models.Index(fields=["item", "posted_at", "id"], name="inventory_move_item_time"),
            models.Index(fields=["warehouse", "item", "posted_at"], name="inventory_move_place_time"),
            models.Index(fields=["source_type", "source_id"], name="inventory_move_source"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="inventory_move_quantity_nonzero"),
            # A move is reversed at most once (the backstop for two reversals racing each other).
            models.UniqueConstraint(
                fields=["reverses"], condition=Q(reverses__isnull=False), name="inventory_move_reversed_once"
            ),
            models.CheckConstraint(condition=Q(role__in=[r.value for r in MoveRole]), name="inventory_move_role_valid"),
            models.CheckConstraint(
                condition=~Q(role="reversal") | Q(reverses__isnull=False),
                name="inventory_move_reversal_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_type}#{self.source_id} {self.quantity}"


class StockBalance(models.Model):
    """The quantities of one item × warehouse × location × lot, updated with every move under a row lock.

    Invariant: on_hand equals the sum of the key's moves. Value lives in the item's cost pool
    (ItemValuation); a place's share of it is on_hand × the pool's average.
    """

    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        Location, verbose_name=_("location"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_hand = models.DecimalField(_("on hand"), max_digits=20, decimal_places=6, default=0)
    reserved = models.DecimalField(_("reserved"), max_digits=20, decimal_places=6, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            # One row per key; "no location" and "no lot" are values of the key, not unknowns.
            models.UniqueConstraint(
                fields=["item", "warehouse", "location", "lot"],
                name="inventory_balance_key_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="inventory_balance_reserved_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.warehouse_id}: {self.on_hand}"


class ItemValuation(models.Model):
    """An item's cost pool across all places: what its latest move (in ledger order) left.

    Every posting locks this row first (items in id order, then balance rows), which orders the
    postings of one item for costing. Invariant: quantity and value equal the sums of the item's moves.
    """

    item = models.OneToOneField(
        "catalog.Item", verbose_name=_("item"), primary_key=True, on_delete=models.PROTECT, related_name="valuation"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6, default=0)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2, default=0)
    cost = models.DecimalField(_("unit cost"), max_digits=20, decimal_places=6, default=0)
    fifo_layers = models.JSONField(_("FIFO layers"), null=True, blank=True)
    last_posted_at = models.DateTimeField(_("last posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("item valuation")
        verbose_name_plural = _("item valuations")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.quantity} / {self.value}"


class StockReservation(models.Model):
    """Quantity of an item held in a warehouse for a document (a sales order) until it ships or is released.

    The warehouse's total reserved lives on its balance row without location and lot, so that
    available = on hand − reserved adds up per warehouse.
    """

    item = models.ForeignKey("catalog.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=6)
    source_type = models.CharField(_("source document type"), max_length=40)
    source_id = models.BigIntegerField(_("source document id"))
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("stock reservation")
        verbose_name_plural = _("stock reservations")
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "item", "warehouse"], name="inventory_reservation_unique"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_reservation_quantity_gt_0"),
        ]
        indexes = [models.Index(fields=["item", "warehouse"], name="inventory_reservation_place")]

    def __str__(self) -> str:
        return f"{self.source_type}#{self.source_id} {self.item_id}@{self.warehouse_id}: {self.quantity}"
