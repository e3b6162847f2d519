"""Stock reads."""

from django.db.models import QuerySet

from modules.inventory.models import InventorySettings, Location, Warehouse


def warehouse_list(*, active: bool | None = None) -> QuerySet[Warehouse]:
    qs = Warehouse.objects.order_by("-is_default", "code")
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def location_tree(*, warehouse: Warehouse) -> list[tuple[Location, int]]:
    """The warehouse's locations in depth-first order, each with its depth (0 for a zone). One query."""
    locations = list(Location.objects.filter(warehouse=warehouse).order_by("code"))
    children: dict[int | None, list[Location]] = {}
    for location in locations:
        children.setdefault(location.parent_id, []).append(location)
    result: list[tuple[Location, int]] = []

    def walk(parent_id, depth):
        for child in children.get(parent_id, []):
            result.append((child, depth))
            walk(child.pk, depth + 1)

    walk(None, 0)
    return result


def inventory_settings() -> InventorySettings:
    """The tenant's settings; the defaults (unsaved) until someone changes them, so reads never insert."""
    return InventorySettings.objects.filter(pk=1).first() or InventorySettings(pk=1)
