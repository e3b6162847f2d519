"""Stock writes: warehouses, locations, settings and the stock ledger. One transaction per service."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError

# The ledger's write path lives in its own module; these are the names documents post through.
from modules.inventory.ledger import (  # noqa: F401
    MoveLine,
    PostingResult,
    RevaluedDocument,
    stock_moves_post,
    stock_moves_reverse,
)
from modules.inventory.models import (
    CHILD_KIND,
    CostingMethod,
    InventorySettings,
    Location,
    LocationKind,
    StockMove,
    Warehouse,
)

DEFAULT_WAREHOUSE_CODE = "MAIN"


def _text(value, *, field: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise AppError("required", _("This field is required."), field=field)
    if len(text) > max_length:
        raise AppError("too_long", _("At most %(n)s characters.") % {"n": max_length}, field=field)
    return text


def _code(value, *, field: str = "code") -> str:
    code = _text(value, field=field, max_length=32)
    if any(ch.isspace() for ch in code):
        raise AppError("invalid_code", _("A code has at most 32 characters and no spaces."), field=field)
    return code


def _lock(name: str) -> None:
    with connection.cursor() as cursor:
        # A transaction-scoped advisory lock; the key is per schema since each tenant has its own search_path.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || %s))", [":inventory:" + name])


def warehouse_create(
    *, code: str, name: str, max_warehouses: int | None, address: str = "", is_active: bool = True
) -> Warehouse:
    """Create a warehouse. `max_warehouses` is the tenant plan's limit (None: none)."""
    code = _code(code)
    name = _text(name, field="name", max_length=100)
    address = _text(address, field="address", max_length=200, required=False)
    # The default warehouse first, in its own transaction: it must exist even when this creation fails.
    warehouse_default_ensure()
    with transaction.atomic():
        # Serialise creations so two concurrent ones cannot both pass the plan limit.
        _lock("warehouse_create")
        if max_warehouses is not None and Warehouse.objects.count() >= max_warehouses:
            raise AppError(
                "plan_limit_warehouses",
                _("Your plan allows %(n)s warehouses. Upgrade the plan to add more.") % {"n": max_warehouses},
                field="code",
            )
        if Warehouse.objects.filter(code=code).exists():
            raise AppError("duplicate_code", _("A warehouse with this code exists already."), field="code")
        return Warehouse.objects.create(code=code, name=name, address=address, is_active=bool(is_active))


def warehouse_update(*, warehouse: Warehouse, **changes) -> Warehouse:
    """Change name, address, code or active flag. The default warehouse cannot be deactivated."""
    allowed = {"code", "name", "address", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise AppError("unknown_field", _("Unknown field."), field=sorted(unknown)[0])
    if "code" in changes:
        changes["code"] = _code(changes["code"])
    if "name" in changes:
        changes["name"] = _text(changes["name"], field="name", max_length=100)
    if "address" in changes:
        changes["address"] = _text(changes["address"], field="address", max_length=200, required=False)
    if "is_active" in changes:
        changes["is_active"] = bool(changes["is_active"])
        if warehouse.is_default and not changes["is_active"]:
            raise AppError("default_warehouse", _("The default warehouse cannot be deactivated."), field="is_active")
    with transaction.atomic():
        if "code" in changes and Warehouse.objects.filter(code=changes["code"]).exclude(pk=warehouse.pk).exists():
            raise AppError("duplicate_code", _("A warehouse with this code exists already."), field="code")
        for key, value in changes.items():
            setattr(warehouse, key, value)
        warehouse.save()
        return warehouse


def warehouse_default_ensure() -> Warehouse:
    """The tenant's default warehouse, created on first need (called lazily by pages, API and postings).

    It ignores the plan limit: every plan must at least allow the one warehouse a shop needs.
    """
    existing = Warehouse.objects.filter(is_default=True).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        _lock("warehouse_default")
        existing = Warehouse.objects.filter(is_default=True).first()
        if existing is not None:
            return existing
        code = DEFAULT_WAREHOUSE_CODE
        n = 1
        while Warehouse.objects.filter(code=code).exists():
            n += 1
            code = f"{DEFAULT_WAREHOUSE_CODE}{n}"
        return Warehouse.objects.create(code=code, name=_("Main warehouse"), is_default=True)


def location_create(
    *, warehouse: Warehouse, code: str, kind: str | None = None, parent: Location | None = None, name: str = ""
) -> Location:
    """Add a location: a zone at the top, a shelf under a zone, a bin under a shelf."""
    code = _code(code)
    name = _text(name, field="name", max_length=100, required=False)
    if parent is not None and parent.warehouse_id != warehouse.pk:
        raise AppError("wrong_warehouse", _("The parent location is in another warehouse."), field="parent")
    expected = CHILD_KIND.get(parent.kind if parent is not None else None)
    if expected is None:
        raise AppError("too_deep", _("A bin cannot hold further locations."), field="parent")
    if kind is None:
        kind = expected
    if kind not in LocationKind.values:
        raise AppError("invalid_kind", _("Choose zone, shelf or bin."), field="kind")
    if kind != expected:
        raise AppError(
            "wrong_kind",
            _("A location of this kind must be a %(kind)s here.") % {"kind": LocationKind(expected).label},
            field="kind",
        )
    try:
        with transaction.atomic():
            return Location.objects.create(warehouse=warehouse, parent=parent, code=code, name=name, kind=kind)
    except IntegrityError:
        raise AppError(
            "duplicate_code", _("A location with this code exists already in this warehouse."), field="code"
        ) from None


def location_update(*, location: Location, code: str | None = None, name: str | None = None) -> Location:
    if code is not None:
        location.code = _code(code)
    if name is not None:
        location.name = _text(name, field="name", max_length=100, required=False)
    try:
        with transaction.atomic():
            location.save()
    except IntegrityError:
        raise AppError(
            "duplicate_code", _("A location with this code exists already in this warehouse."), field="code"
        ) from None
    return location


def inventory_settings_update(
    *, allow_negative_stock: bool | None = None, costing_method: str | None = None
) -> InventorySettings:
    """Change the stock settings. The costing method is chosen before the first move and then kept
    (switching would re-cost the whole history); FIFO needs negative stock refused (no layers to take
    from)."""
    from modules.inventory.selectors import inventory_settings

    with transaction.atomic():
        _lock("settings")
        settings = inventory_settings()
        if costing_method is not None and costing_method != settings.costing_method:
            if costing_method not in CostingMethod.values:
                raise AppError("invalid_choice", _("Choose a costing method."), field="costing_method")
            if StockMove.objects.exists():
                raise AppError(
                    "costing_method_locked",
                    _("The costing method cannot change once stock has moved."),
                    field="costing_method",
                )
            settings.costing_method = costing_method
        if allow_negative_stock is not None:
            settings.allow_negative_stock = bool(allow_negative_stock)
        if settings.allow_negative_stock and settings.costing_method == CostingMethod.FIFO:
            raise AppError(
                "fifo_negative_stock",
                _("FIFO costing needs negative stock to be refused."),
                field="allow_negative_stock" if allow_negative_stock else "costing_method",
            )
        settings.save()
        return settings


def posting_time(*, on: date, tz_name: str, now: datetime | None = None) -> datetime:
    """When a document dated `on` (a date in the tenant's time zone) takes effect in the ledger.

    Today: now. A past date: the last moment of that day, so it follows what was posted on it before.
    A future date is refused: stock cannot move before it is there.
    """
    tz = ZoneInfo(tz_name)
    now = (now or timezone.now()).astimezone(tz)
    if on > now.date():
        raise AppError("future_date", _("The date cannot be in the future."), field="date")
    if on == now.date():
        return now
    return datetime.combine(on, time(23, 59, 59, 999999), tzinfo=tz)
