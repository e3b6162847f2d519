"""Stock under /api/v1/stock/: thin views over the services; reads need "read", writes "write"."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from jxc.api.base import ApiViewSet, GenericApiView
from jxc.api.permissions import HasScope
from jxc.api.principals import request_api_key
from jxc.kernel.errors import AppError, NotFound
from modules.catalog.models import Item
from modules.inventory import selectors, services
from modules.inventory.models import Location, Warehouse
from modules.inventory.serializers import (
    InventorySettingsSerializer,
    ItemMoveSerializer,
    LocationSerializer,
    StockAsOfSerializer,
    StockBySupplierSerializer,
    StockLotSerializer,
    StockOnHandSerializer,
    WarehouseSerializer,
)
from modules.partners.selectors import partner_get


class InventoryPermission(permissions.BasePermission):
    """A signed-in user also needs the inventory model permission of the write (a key's scopes suffice)."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request_api_key(request) is not None:
            return True
        action_name = "add" if request.method == "POST" else "change"
        return request.user.has_perm(f"inventory.{action_name}_{view.permission_model}")


def max_warehouses(request) -> int | None:
    plan = getattr(request.tenant, "plan", None)
    return plan.max_warehouses if plan is not None else None


@extend_schema_view(
    list=extend_schema(operation_id="stock_warehouses_list", tags=["stock"]),
    retrieve=extend_schema(operation_id="stock_warehouses_retrieve", tags=["stock"]),
    create=extend_schema(operation_id="stock_warehouses_create", tags=["stock"]),
    partial_update=extend_schema(operation_id="stock_warehouses_update", tags=["stock"]),
)
class WarehouseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Warehouses. There is no delete: deactivate one instead (moves keep referring to it)."""

    queryset = Warehouse.objects.all()
    serializer_class = WarehouseSerializer
    permission_classes = [HasScope, InventoryPermission]
    permission_model = "warehouse"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        services.warehouse_default_ensure()
        return selectors.warehouse_list()

    def create(self, request):
        serializer = WarehouseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        warehouse = services.warehouse_create(
            code=data["code"],
            name=data["name"],
            address=data.get("address", ""),
            is_active=data.get("is_active", True),
            max_warehouses=max_warehouses(request),
        )
        return Response(WarehouseSerializer(warehouse).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        warehouse = self.get_object()
        serializer = WarehouseSerializer(warehouse, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        warehouse = services.warehouse_update(warehouse=warehouse, **serializer.validated_data)
        return Response(WarehouseSerializer(warehouse).data)


class LocationListView(GenericApiView):
    """A warehouse's locations in tree order (depth 0: zones); POST adds one."""

    queryset = Location.objects.none()  # for the schema: it types the warehouse_id path parameter
    serializer_class = LocationSerializer
    permission_classes = [HasScope, InventoryPermission]
    permission_model = "location"
    pagination_class = None

    @extend_schema(operation_id="stock_locations_list", responses=LocationSerializer(many=True), tags=["stock"])
    def get(self, request, warehouse_id: int):
        warehouse = get_object_or_404(Warehouse, pk=warehouse_id)
        rows = []
        for location, depth in selectors.location_tree(warehouse=warehouse):
            location.depth = depth
            rows.append(location)
        return Response(LocationSerializer(rows, many=True).data)

    @extend_schema(operation_id="stock_locations_create", responses={201: LocationSerializer}, tags=["stock"])
    def post(self, request, warehouse_id: int):
        warehouse = get_object_or_404(Warehouse, pk=warehouse_id)
        serializer = LocationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        parent = data.get("parent")
        location = services.location_create(
            warehouse=warehouse, code=data["code"], name=data.get("name", ""), kind=data.get("kind"), parent=parent
        )
        return Response(LocationSerializer(location).data, status=status.HTTP_201_CREATED)


def _int_param(request, name: str, *, minimum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        number = int(raw)
    except ValueError:
        raise AppError("invalid_filter", _("Enter a whole number."), field=name) from None
    if minimum is not None and number < minimum:
        raise AppError("invalid_filter", _("Enter a whole number of at least %(n)s.") % {"n": minimum}, field=name)
    return number


def _date_param(request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise AppError("invalid_date", _("Enter a date as YYYY-MM-DD."), field=name) from None


def _tz(request) -> ZoneInfo:
    return ZoneInfo(request.tenant.timezone)


def _start_of(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def _end_of(day: date, tz: ZoneInfo) -> datetime:
    # The same last moment a document dated that day posts at (services.posting_time).
    return datetime.combine(day, time.max, tzinfo=tz)


_QUANTITY = serializers.DecimalField(max_digits=20, decimal_places=6)
_MONEY = serializers.DecimalField(max_digits=20, decimal_places=2)


def _figures(**values: Decimal | None) -> dict[str, str | None]:
    """Totals as the rows show them: strings, 2 places for value(s), 6 for quantities."""
    return {
        name: None if value is None else (_MONEY if name.startswith("value") else _QUANTITY).to_representation(value)
        for name, value in values.items()
    }


class TotalsPagination(LimitOffsetPagination):
    """A page of rows and, under `totals`, the sums over all the rows (not just this page)."""

    extra = "totals"

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"][self.extra] = {
            "type": "object",
            "additionalProperties": {"type": "string", "format": "decimal", "nullable": True},
        }
        return schema


class OpeningPagination(TotalsPagination):
    """A page of moves and, under `opening`, the balances just before the first move of the range."""

    extra = "opening"


class _PagedWithFigures(GenericApiView):
    """A list read whose filters are its own query parameters (parsed here, applied by a selector)."""

    filter_backends = []

    def paged_response(self, rows, serializer: type[serializers.Serializer], figures: dict, **context):
        page = self.paginate_queryset(rows)
        context = {**self.get_serializer_context(), **context}
        response = self.get_paginated_response(serializer(page, many=True, context=context).data)
        response.data[self.paginator.extra] = figures
        return response


class StockOnHandView(_PagedWithFigures):
    """Stock on hand per item × warehouse × location × lot, with the item pool's average cost and
    totals; filters: warehouse, location (with the locations below it), category (with its
    subcategories), item, supplier (the items it supplies)."""

    serializer_class = StockOnHandSerializer
    permission_classes = [HasScope]
    pagination_class = TotalsPagination

    @extend_schema(
        operation_id="stock_on_hand_list",
        responses=StockOnHandSerializer(many=True),
        parameters=[
            OpenApiParameter(name, int, required=False)
            for name in ("warehouse", "location", "category", "item", "supplier")
        ],
        tags=["stock"],
    )
    def get(self, request):
        rows = selectors.stock_on_hand(
            warehouse_id=_int_param(request, "warehouse"),
            location_id=_int_param(request, "location"),
            category_id=_int_param(request, "category"),
            item_id=_int_param(request, "item"),
            supplier_id=_int_param(request, "supplier"),
        )
        return self.paged_response(rows, StockOnHandSerializer, _figures(**selectors.stock_on_hand_totals(rows)))


class StockBySupplierView(_PagedWithFigures):
    """The items a supplier supplies with their stock (all places, or one warehouse), totals."""

    serializer_class = StockBySupplierSerializer
    permission_classes = [HasScope]
    pagination_class = TotalsPagination

    @extend_schema(
        operation_id="stock_by_supplier_list",
        responses=StockBySupplierSerializer(many=True),
        parameters=[OpenApiParameter("supplier", int, required=True), OpenApiParameter("warehouse", int)],
        tags=["stock"],
    )
    def get(self, request):
        supplier_id = _int_param(request, "supplier")
        if supplier_id is None:
            raise AppError("required", _("Choose a supplier."), field="supplier")
        supplier = partner_get(partner_id=supplier_id)
        if supplier is None or not supplier.is_supplier:
            raise NotFound("not_found", _("No such supplier."), field="supplier")
        rows = selectors.stock_by_supplier(supplier_id=supplier.pk, warehouse_id=_int_param(request, "warehouse"))
        return self.paged_response(rows, StockBySupplierSerializer, _figures(**selectors.stock_on_hand_totals(rows)))


class StockLotsView(_PagedWithFigures):
    """Stock in lots, the soonest expiry first, with days to expiry and an expired / expiring flag
    ("today" in the shop's time zone); filters: warehouse, category, expiring_within_days."""

    serializer_class = StockLotSerializer
    permission_classes = [HasScope]
    pagination_class = TotalsPagination

    @extend_schema(
        operation_id="stock_lots_list",
        responses=StockLotSerializer(many=True),
        parameters=[
            OpenApiParameter("warehouse", int),
            OpenApiParameter("category", int),
            OpenApiParameter(
                "expiring_within_days",
                int,
                description="Only lots expiring within this many days from today (expired ones included); also "
                "the window of the expiring flag (default 30).",
            ),
        ],
        tags=["stock"],
    )
    def get(self, request):
        rows = selectors.stock_lots(
            today=datetime.now(_tz(request)).date(),
            warehouse_id=_int_param(request, "warehouse"),
            category_id=_int_param(request, "category"),
            expiring_within_days=_int_param(request, "expiring_within_days", minimum=0),
        )
        return self.paged_response(rows, StockLotSerializer, _figures(**selectors.stock_on_hand_totals(rows)))


class StockAsOfView(_PagedWithFigures):
    """Each item's quantity and value at the end of `date` (in the shop's time zone), with totals.
    With a warehouse: the quantity there, valued at the item pool's average of that time."""

    serializer_class = StockAsOfSerializer
    permission_classes = [HasScope]
    pagination_class = TotalsPagination

    @extend_schema(
        operation_id="stock_as_of_list",
        responses=StockAsOfSerializer(many=True),
        parameters=[
            OpenApiParameter("date", date, required=True, description="YYYY-MM-DD; the stock at the end of that day."),
            OpenApiParameter("warehouse", int),
            OpenApiParameter("category", int),
            OpenApiParameter("item", int),
        ],
        tags=["stock"],
    )
    def get(self, request):
        day = _date_param(request, "date")
        if day is None:
            raise AppError("required", _("Choose a date."), field="date")
        result = selectors.stock_value_as_of(
            at=_end_of(day, _tz(request)),
            warehouse_id=_int_param(request, "warehouse"),
            category_id=_int_param(request, "category"),
            item_id=_int_param(request, "item"),
        )
        return self.paged_response(
            result.rows, StockAsOfSerializer, _figures(quantity=result.quantity, value=result.value)
        )


class ItemMovesView(_PagedWithFigures):
    """An item's moves in ledger order with the running balance of its cost pool (all places) and,
    filtered by warehouse, the running quantity there; `opening` holds the balances before
    date_from. Dates are in the shop's time zone."""

    serializer_class = ItemMoveSerializer
    permission_classes = [HasScope]
    pagination_class = OpeningPagination

    @extend_schema(
        operation_id="stock_item_moves_list",
        responses=ItemMoveSerializer(many=True),
        parameters=[
            OpenApiParameter("warehouse", int),
            OpenApiParameter("date_from", date, description="YYYY-MM-DD, included."),
            OpenApiParameter("date_to", date, description="YYYY-MM-DD, included."),
        ],
        tags=["stock"],
    )
    def get(self, request, item_id: int):
        item = get_object_or_404(Item, pk=item_id)
        tz = _tz(request)
        warehouse_id = _int_param(request, "warehouse")
        date_from, date_to = _date_param(request, "date_from"), _date_param(request, "date_to")
        if date_from and date_to and date_to < date_from:
            raise AppError("invalid_range", _("The end date is before the start date."), field="date_to")
        history = selectors.item_move_history(
            item=item,
            warehouse_id=warehouse_id,
            start=_start_of(date_from, tz) if date_from else None,
            end=_end_of(date_to, tz) if date_to else None,
        )
        opening = history.opening
        figures = _figures(
            quantity=opening.quantity, value=opening.value, warehouse_quantity=opening.warehouse_quantity
        )
        return self.paged_response(history.moves, ItemMoveSerializer, figures, tz=tz)


class SettingsPermission(InventoryPermission):
    """Changing the stock settings, signed in, is for the owner and the manager (and their permission)."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request_api_key(request) is not None:
            return True
        return selectors.settings_manager(request.user) and super().has_permission(request, view)


class InventorySettingsView(GenericApiView):
    """The tenant's stock settings (allow_negative_stock, costing_method). Changing them needs "write"
    and, signed in, the owner or manager role."""

    serializer_class = InventorySettingsSerializer
    permission_classes = [HasScope, SettingsPermission]
    permission_model = "inventorysettings"

    @extend_schema(operation_id="stock_settings_retrieve", tags=["stock"])
    def get(self, request):
        return Response(InventorySettingsSerializer(selectors.inventory_settings()).data)

    @extend_schema(operation_id="stock_settings_update", tags=["stock"])
    def patch(self, request):
        serializer = InventorySettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        settings = services.inventory_settings_update(**serializer.validated_data)
        return Response(InventorySettingsSerializer(settings).data)
