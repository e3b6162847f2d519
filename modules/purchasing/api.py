"""Purchase orders under /api/v1/purchasing/orders: list (by supplier, status, date), create, retrieve,
change a draft, and the actions confirm, cancel, close and receive (采购入库).

Reads need the "read" scope, writes "write"; a signed-in user also needs the model permission of the
action (the warehouse role may receive only). POSTs take an `Idempotency-Key`.
"""

from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.api.base import ApiViewSet
from jxc.api.permissions import HasScope
from jxc.api.principals import request_api_key
from jxc.api.views import ERRORS, IDEMPOTENCY_PARAMETER
from modules.purchasing import selectors, services
from modules.purchasing.enums import OrderStatus
from modules.purchasing.models import PurchaseOrder
from modules.purchasing.serializers import (
    OrderDetailSerializer,
    OrderLineInputSerializer,
    OrderSerializer,
    OrderWriteSerializer,
    ReceiveSerializer,
)

# The model permission each write needs from a signed-in user.
ACTION_PERMISSIONS = {
    "create": "purchasing.add_purchaseorder",
    "receive": "purchasing.receive_purchaseorder",
}


class PurchaseOrderPermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request_api_key(request) is not None:
            return True
        if not request.user.has_perm(ACTION_PERMISSIONS.get(view.action, "purchasing.change_purchaseorder")):
            raise exceptions.PermissionDenied(_("Your role may not do this to purchase orders."))
        return True


def _user(request):
    return None if request_api_key(request) is not None else request.user


def _filters(params) -> dict:
    """The list's query parameters, checked (a bad one is a 400 naming it)."""
    errors, values = {}, {}
    state = params.get("status") or None
    if state and state not in OrderStatus.values:
        errors["status"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(OrderStatus.values)}]
    values["status"] = state
    supplier = params.get("supplier") or None
    if supplier and not supplier.isdigit():
        errors["supplier"] = [_("Enter a supplier id.")]
    values["supplier_id"] = int(supplier) if supplier and supplier.isdigit() else None
    for name in ("date_from", "date_to"):
        try:
            values[name] = date.fromisoformat(params[name]) if params.get(name) else None
        except ValueError:
            errors[name] = [_("Enter a date as YYYY-MM-DD.")]
    if errors:
        raise exceptions.ValidationError(errors)
    return values


def _schema(operation_id: str, **kwargs):
    return extend_schema(operation_id=operation_id, tags=["purchasing"], **kwargs)


def _detail(order_id: int):
    return OrderDetailSerializer(selectors.purchase_order_detail(order_id=order_id)).data


class OrderUpdateSerializer(OrderWriteSerializer):
    """Any of the order's fields; `lines`, when given, replaces them all."""

    lines = OrderLineInputSerializer(many=True, required=False)


@extend_schema_view(
    list=_schema(
        "purchase_orders_list",
        parameters=[
            OpenApiParameter("supplier", int),
            OpenApiParameter("status", str, enum=OrderStatus.values),
            OpenApiParameter("date_from", date),
            OpenApiParameter("date_to", date),
        ],
        responses={200: OrderSerializer(many=True), **ERRORS},
    ),
    retrieve=_schema("purchase_orders_retrieve", responses={200: OrderDetailSerializer, **ERRORS}),
)
class PurchaseOrderViewSet(ApiViewSet):
    """Purchase orders (采购订单): draft → confirmed → (partially) received → closed, or cancelled before
    anything arrives. Amounts per line: net, tax and gross."""

    permission_classes = [HasScope, PurchaseOrderPermission]
    serializer_class = OrderSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.purchase_order_list(**_filters(self.request.query_params))

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(OrderSerializer(page, many=True).data)

    def _order(self, pk) -> PurchaseOrder:
        order = PurchaseOrder.objects.filter(pk=int(pk)).first()
        if order is None:
            raise exceptions.NotFound()
        return order

    def retrieve(self, request, pk=None):
        return Response(_detail(self._order(pk).pk))

    @_schema(
        "purchase_orders_create",
        request=OrderWriteSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: OrderDetailSerializer, **ERRORS},
    )
    def create(self, request):
        serializer = OrderWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.purchase_order_create(created_by=_user(request), **serializer.service_values())
        return Response(_detail(order.pk), status=status.HTTP_201_CREATED)

    @_schema("purchase_orders_update", request=OrderUpdateSerializer, responses={200: OrderDetailSerializer, **ERRORS})
    def partial_update(self, request, pk=None):
        order = self._order(pk)
        serializer = OrderUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.purchase_order_update(order=order, **serializer.service_values())
        return Response(_detail(order.pk))

    @_schema(
        "purchase_orders_confirm",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: OrderDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return Response(_detail(services.purchase_order_confirm(order=self._order(pk)).pk))

    @_schema(
        "purchase_orders_cancel",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: OrderDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return Response(_detail(services.purchase_order_cancel(order=self._order(pk)).pk))

    @_schema(
        "purchase_orders_close",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: OrderDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return Response(_detail(services.purchase_order_close(order=self._order(pk)).pk))

    @_schema(
        "purchase_orders_receive",
        request=ReceiveSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: OrderDetailSerializer, **ERRORS},
        description="Receives goods (采购入库) and posts them to stock at once. 409 over_receipt names the line.",
    )
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        order = self._order(pk)
        serializer = ReceiveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.purchase_receive(
            order=order, tz_name=request.tenant.timezone, created_by=_user(request), **serializer.service_values()
        )
        return Response(_detail(order.pk), status=status.HTTP_201_CREATED)
