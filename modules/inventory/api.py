"""Stock under /api/v1/stock/: thin views over the services; reads need "read", writes "write"."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status
from rest_framework.response import Response

from jxc.api.base import ApiViewSet, GenericApiView
from jxc.api.permissions import HasScope
from jxc.api.principals import request_api_key
from jxc.kernel.errors import AppError
from modules.inventory import selectors, services
from modules.inventory.models import Warehouse
from modules.inventory.serializers import (
    InventorySettingsSerializer,
    LocationSerializer,
    StockOnHandSerializer,
    WarehouseSerializer,
)


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


def _int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise AppError("invalid_filter", _("Enter a whole number."), field=name) from None


class StockOnHandView(GenericApiView):
    """Stock on hand per item × warehouse × location × lot; filters: warehouse, location (with the
    locations below it), category (with its subcategories), item."""

    serializer_class = StockOnHandSerializer
    permission_classes = [HasScope]

    @extend_schema(
        operation_id="stock_on_hand_list",
        parameters=[
            OpenApiParameter(name, int, required=False) for name in ("warehouse", "location", "category", "item")
        ],
        tags=["stock"],
    )
    def get(self, request):
        rows = selectors.stock_on_hand(
            warehouse_id=_int_param(request, "warehouse"),
            location_id=_int_param(request, "location"),
            category_id=_int_param(request, "category"),
            item_id=_int_param(request, "item"),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(StockOnHandSerializer(page, many=True).data)


class InventorySettingsView(GenericApiView):
    """The tenant's stock settings (allow_negative_stock). Changing them needs "write" and, signed in,
    the permission to change inventory settings."""

    serializer_class = InventorySettingsSerializer
    permission_classes = [HasScope, InventoryPermission]
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
