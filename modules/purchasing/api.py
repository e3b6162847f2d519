"""Purchasing under /api/v1/purchasing/: orders (list by supplier, status, date; create, retrieve, change a
draft; confirm, cancel, close, receive 采购入库), receipts (read, reverse), supplier bills, payments and
returns (list, retrieve, create — posted at once — and reverse 红冲).

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
from modules.purchasing.models import PurchaseBill, PurchaseOrder, PurchasePayment, PurchaseReceipt, PurchaseReturn
from modules.purchasing.serializers import (
    BillDetailSerializer,
    BillSerializer,
    BillWriteSerializer,
    OrderDetailSerializer,
    OrderLineInputSerializer,
    OrderSerializer,
    OrderWriteSerializer,
    PaymentSerializer,
    PaymentWriteSerializer,
    ReceiptDetailSerializer,
    ReceiptSerializer,
    ReceiveSerializer,
    ReturnDetailSerializer,
    ReturnSerializer,
    ReturnWriteSerializer,
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


# --- Receipts, bills, payments, returns -----------------------------------------------------------------


class DocumentPermission(permissions.BasePermission):
    """Reads for any key or user with the read scope; a signed-in user writing needs the view's permission
    of the action (`permissions_by_action`, else the change permission)."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request_api_key(request) is not None:
            return True
        needed = view.permissions_by_action.get(view.action, view.permissions_by_action["default"])
        if not request.user.has_perm(needed):
            raise exceptions.PermissionDenied(_("Your role may not do this."))
        return True


def _dates_and_supplier(params) -> dict:
    values = _filters({key: params.get(key) for key in ("supplier", "date_from", "date_to")})
    values.pop("status")
    return values


class DocumentViewSet(ApiViewSet):
    """A posted document kind: list (by supplier and date), retrieve, create (posts at once), reverse (红冲)."""

    permission_classes = [HasScope, DocumentPermission]
    lookup_value_regex = r"\d+"
    filter_backends: list = []
    model = None
    list_serializer = None
    detail_serializer = None
    permissions_by_action: dict[str, str] = {}

    # Each kind defines select(**filters) -> its list, fetch(pk) -> one with its lines, and
    # reverse_document(document, request) -> the reversal.

    def list_filters(self, params) -> dict:
        return _dates_and_supplier(params)

    def get_queryset(self):
        return self.select(**self.list_filters(self.request.query_params))

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.list_serializer(page, many=True).data)

    def _document(self, pk):
        document = self.model.objects.filter(pk=int(pk)).first()
        if document is None:
            raise exceptions.NotFound()
        return document

    def _detail(self, pk: int) -> dict:
        return self.detail_serializer(self.fetch(pk)).data

    def retrieve(self, request, pk=None):
        return Response(self._detail(self._document(pk).pk))

    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        reversal = self.reverse_document(self._document(pk), request)
        return Response(self._detail(reversal.pk), status=status.HTTP_201_CREATED)


def _document_schema(kind: str, serializer, detail_serializer, write_serializer, parameters=(), description=""):
    return extend_schema_view(
        list=_schema(
            f"purchase_{kind}_list",
            parameters=[
                OpenApiParameter("supplier", int),
                OpenApiParameter("date_from", date),
                OpenApiParameter("date_to", date),
                *parameters,
            ],
            responses={200: serializer(many=True), **ERRORS},
        ),
        retrieve=_schema(f"purchase_{kind}_retrieve", responses={200: detail_serializer, **ERRORS}),
        create=_schema(
            f"purchase_{kind}_create",
            request=write_serializer,
            parameters=[IDEMPOTENCY_PARAMETER],
            responses={201: detail_serializer, **ERRORS},
            description=description,
        ),
        reverse=_schema(
            f"purchase_{kind}_reverse",
            request=None,
            parameters=[IDEMPOTENCY_PARAMETER],
            responses={201: detail_serializer, **ERRORS},
            description="Reverses (红冲) the document today; returns the reversal.",
        ),
    )


@extend_schema_view(
    list=_schema(
        "purchase_receipts_list",
        parameters=[OpenApiParameter("order", int)],
        responses={200: ReceiptSerializer(many=True), **ERRORS},
    ),
    retrieve=_schema("purchase_receipts_retrieve", responses={200: ReceiptDetailSerializer, **ERRORS}),
    reverse=_schema(
        "purchase_receipts_reverse",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: ReceiptDetailSerializer, **ERRORS},
        description="Reverses (红冲) the receipt today. 409 in_use while bills or returns stand on it.",
    ),
)
class PurchaseReceiptViewSet(DocumentViewSet):
    """Receipts (采购入库) are made on their order (`/orders/{id}/receive`); here they are read and reversed."""

    http_method_names = ["get", "post", "head", "options"]
    model = PurchaseReceipt
    list_serializer = ReceiptSerializer
    detail_serializer = ReceiptDetailSerializer
    permissions_by_action = {"default": "purchasing.reverse_purchasereceipt"}

    def list_filters(self, params) -> dict:
        order = params.get("order") or ""
        if order and not order.isdigit():
            raise exceptions.ValidationError({"order": [_("Enter an order id.")]})
        return {"order_id": int(order) if order else None}

    def select(self, *, order_id):
        qs = PurchaseReceipt.objects.select_related("reverses", "reversal").order_by("-date", "-id")
        return qs.filter(order_id=order_id) if order_id else qs

    def fetch(self, pk):
        return selectors.purchase_receipt_detail(receipt_id=pk)

    def reverse_document(self, document, request):
        return services.purchase_receipt_reverse(
            receipt=document, tz_name=request.tenant.timezone, created_by=_user(request)
        )


@_document_schema(
    "bills",
    BillSerializer,
    BillDetailSerializer,
    BillWriteSerializer,
    parameters=[OpenApiParameter("order", int), OpenApiParameter("open", bool)],
    description="Posts a supplier bill (采购发票) against receipt lines of one order. 409 over_billing names the line.",
)
class PurchaseBillViewSet(DocumentViewSet):
    """Supplier bills (采购发票/应付单): posted at once; each raises what we owe the supplier."""

    model = PurchaseBill
    list_serializer = BillSerializer
    detail_serializer = BillDetailSerializer
    permissions_by_action = {"create": "purchasing.add_purchasebill", "default": "purchasing.change_purchasebill"}

    def list_filters(self, params) -> dict:
        values = _dates_and_supplier(params)
        order = params.get("order") or ""
        if order and not order.isdigit():
            raise exceptions.ValidationError({"order": [_("Enter an order id.")]})
        values["order_id"] = int(order) if order else None
        values["open_only"] = params.get("open") in ("1", "true")
        return values

    def select(self, **filters):
        return selectors.purchase_bill_list(**filters)

    def fetch(self, pk):
        return selectors.purchase_bill_detail(bill_id=pk)

    def create(self, request):
        serializer = BillWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bill = services.purchase_bill_create(
            tz_name=request.tenant.timezone, created_by=_user(request), **serializer.service_values()
        )
        return Response(self._detail(bill.pk), status=status.HTTP_201_CREATED)

    def reverse_document(self, document, request):
        return services.purchase_bill_reverse(bill=document, tz_name=request.tenant.timezone, created_by=_user(request))


@_document_schema(
    "payments",
    PaymentSerializer,
    PaymentSerializer,
    PaymentWriteSerializer,
    description="Posts a payment (付款单) allocated over bills of one supplier. 409 over_payment names the line.",
)
class PurchasePaymentViewSet(DocumentViewSet):
    """Payments to suppliers (付款单): posted at once; each lowers what we owe the supplier."""

    model = PurchasePayment
    list_serializer = PaymentSerializer
    detail_serializer = PaymentSerializer
    permissions_by_action = {
        "create": "purchasing.add_purchasepayment",
        "default": "purchasing.change_purchasepayment",
    }

    def select(self, **filters):
        return selectors.purchase_payment_list(**filters).prefetch_related("allocations__bill")

    def fetch(self, pk):
        return selectors.purchase_payment_detail(payment_id=pk)

    def create(self, request):
        serializer = PaymentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = services.purchase_payment_create(
            tz_name=request.tenant.timezone, created_by=_user(request), **serializer.service_values()
        )
        return Response(self._detail(payment.pk), status=status.HTTP_201_CREATED)

    def reverse_document(self, document, request):
        return services.purchase_payment_reverse(
            payment=document, tz_name=request.tenant.timezone, created_by=_user(request)
        )


@_document_schema(
    "returns",
    ReturnSerializer,
    ReturnDetailSerializer,
    ReturnWriteSerializer,
    description="Posts a purchase return (采购退货): from a `receipt`, or free-standing for a `supplier`.",
)
class PurchaseReturnViewSet(DocumentViewSet):
    """Purchase returns (采购退货): posted at once; the goods leave stock and what we owe the supplier falls."""

    model = PurchaseReturn
    list_serializer = ReturnSerializer
    detail_serializer = ReturnDetailSerializer
    permissions_by_action = {
        "create": "purchasing.add_purchasereturn",
        "default": "purchasing.change_purchasereturn",
    }

    def select(self, **filters):
        return selectors.purchase_return_list(**filters)

    def fetch(self, pk):
        return selectors.purchase_return_detail(return_id=pk)

    def create(self, request):
        serializer = ReturnWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kind, values = serializer.service_values()
        run = services.purchase_return_from_receipt if kind == "receipt" else services.purchase_return_create
        purchase_return = run(tz_name=request.tenant.timezone, created_by=_user(request), **values)
        return Response(self._detail(purchase_return.pk), status=status.HTTP_201_CREATED)

    def reverse_document(self, document, request):
        return services.purchase_return_reverse(
            purchase_return=document, tz_name=request.tenant.timezone, created_by=_user(request)
        )
