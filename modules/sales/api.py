"""Retail sales under /api/v1/sales/retail-sales: list, retrieve, and create (= ring up and post); the sales
documents under /api/v1/sales/orders, /deliveries, /invoices, /receipts and /returns (below).

Reads need the "read" scope, writes "write"; a signed-in user also needs sales.add_retailsale to sell
and sales.reverse_retailsale to refund. POSTs take an `Idempotency-Key`: a retried sale is answered
from the first response, never made twice.
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
from modules.sales import selectors, services
from modules.sales.enums import OrderStatus, PaymentMethod
from modules.sales.models import SalesDelivery, SalesInvoice, SalesOrder, SalesReceipt, SalesReturn
from modules.sales.serializers import (
    RetailSaleCreateSerializer,
    RetailSaleDetailSerializer,
    RetailSaleSerializer,
    SalesConfirmSerializer,
    SalesDeliverSerializer,
    SalesDeliveryDetailSerializer,
    SalesDeliverySerializer,
    SalesInvoiceDetailSerializer,
    SalesInvoiceSerializer,
    SalesInvoiceWriteSerializer,
    SalesLineWarningSerializer,
    SalesOrderConfirmedSerializer,
    SalesOrderDetailSerializer,
    SalesOrderSerializer,
    SalesOrderUpdateSerializer,
    SalesOrderWriteSerializer,
    SalesReceiptDetailSerializer,
    SalesReceiptSerializer,
    SalesReceiptWriteSerializer,
    SalesReturnDetailSerializer,
    SalesReturnSerializer,
    SalesReturnWriteSerializer,
    SalesReverseSerializer,
)

# The model permission each write needs from a signed-in user.
ACTION_PERMISSIONS = {"create": "sales.add_retailsale", "reverse": "sales.reverse_retailsale"}


class RetailSalePermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request_api_key(request) is not None:
            return True
        if not request.user.has_perm(ACTION_PERMISSIONS.get(view.action, "sales.add_retailsale")):
            raise exceptions.PermissionDenied(_("Your role may not make sales."))
        return True


def _filters(params) -> dict:
    """The list's query parameters, checked (a bad one is a 400 naming it)."""
    errors, values = {}, {}
    method = params.get("payment_method") or None
    if method and method not in PaymentMethod.values:
        errors["payment_method"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(PaymentMethod.values)}]
    values["payment_method"] = method
    for name in ("date_from", "date_to"):
        try:
            values[name] = date.fromisoformat(params[name]) if params.get(name) else None
        except ValueError:
            errors[name] = [_("Enter a date as YYYY-MM-DD.")]
    if errors:
        raise exceptions.ValidationError(errors)
    return values


def _schema(operation_id: str, **kwargs):
    return extend_schema(operation_id=operation_id, tags=["sales"], **kwargs)


@extend_schema_view(
    list=_schema(
        "retail_sales_list",
        parameters=[
            OpenApiParameter("date_from", date),
            OpenApiParameter("date_to", date),
            OpenApiParameter("payment_method", str, enum=PaymentMethod.values),
        ],
        responses={200: RetailSaleSerializer(many=True), **ERRORS},
    ),
    retrieve=_schema("retail_sales_retrieve", responses={200: RetailSaleDetailSerializer, **ERRORS}),
)
class RetailSaleViewSet(ApiViewSet):
    """Retail sales (零售单): posted when made, tax-inclusive prices, paid by cash, WeChat Pay, Alipay or card."""

    permission_classes = [HasScope, RetailSalePermission]
    serializer_class = RetailSaleSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.retail_sale_list(**_filters(self.request.query_params))

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RetailSaleSerializer(page, many=True).data)

    def _sale(self, pk):
        sale = selectors.retail_sale_detail(sale_id=int(pk))
        if sale is None:
            raise exceptions.NotFound()
        return sale

    def retrieve(self, request, pk=None):
        return Response(RetailSaleDetailSerializer(self._sale(pk)).data)

    @_schema(
        "retail_sales_create",
        request=RetailSaleCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: RetailSaleDetailSerializer, **ERRORS},
        description="Rings up and posts a sale today. 409 insufficient_stock (naming the line) writes nothing.",
    )
    def create(self, request):
        serializer = RetailSaleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sale = services.retail_sale_post(
            tz_name=request.tenant.timezone,
            created_by=None if request_api_key(request) is not None else request.user,
            **serializer.service_values(),
        )
        return Response(
            RetailSaleDetailSerializer(selectors.retail_sale_detail(sale_id=sale.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @_schema(
        "retail_sales_reverse",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: RetailSaleDetailSerializer, **ERRORS},
        description="Refunds the whole sale (红冲): answers with the refund, a sale with negated lines and total.",
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        refund = services.retail_sale_reverse(
            sale=self._sale(pk),
            tz_name=request.tenant.timezone,
            created_by=None if request_api_key(request) is not None else request.user,
        )
        return Response(
            RetailSaleDetailSerializer(selectors.retail_sale_detail(sale_id=refund.pk)).data,
            status=status.HTTP_201_CREATED,
        )


# --- Sales documents ----------------------------------------------------------------------------------
#
# /api/v1/sales/orders (quotations too), /deliveries, /invoices, /receipts, /returns. A signed-in user
# needs the model permission of the action; an API key its scopes. Every POST takes an Idempotency-Key:
# a retried request is answered from the first response and never makes a second document.


class DocumentPermission(permissions.BasePermission):
    """The permission each action needs, from the view's `action_permissions` (default: change)."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request_api_key(request) is not None:
            return True
        needed = view.action_permissions.get(view.action, view.action_permissions["default"])
        if not request.user.has_perm(needed):
            raise exceptions.PermissionDenied(_("Your role may not do this."))
        return True


def _user(request):
    return None if request_api_key(request) is not None else request.user


def _id_param(params, name: str, errors: dict) -> int | None:
    value = params.get(name) or None
    if value and not value.isdigit():
        errors[name] = [_("Enter an id.")]
        return None
    return int(value) if value else None


def _order_filters(params) -> dict:
    errors, values = {}, {}
    state = params.get("status") or None
    if state and state not in OrderStatus.values:
        errors["status"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(OrderStatus.values)}]
    values["status"] = state
    values["customer_id"] = _id_param(params, "customer", errors)
    for name in ("date_from", "date_to"):
        try:
            values[name] = date.fromisoformat(params[name]) if params.get(name) else None
        except ValueError:
            errors[name] = [_("Enter a date as YYYY-MM-DD.")]
    values["search"] = (params.get("q") or "").strip()[:64]
    if errors:
        raise exceptions.ValidationError(errors)
    return values


def _customer_filters(params, *names: str) -> dict:
    errors = {}
    values = {f"{name}_id": _id_param(params, name, errors) for name in names}
    if errors:
        raise exceptions.ValidationError(errors)
    return values


def _found(value):
    if value is None:
        raise exceptions.NotFound()
    return value


def _pk(pk) -> int:
    return int(pk)


class _DocumentViewSet(ApiViewSet):
    lookup_value_regex = r"\d+"
    filter_backends: list = []
    permission_classes = [HasScope, DocumentPermission]
    action_permissions: dict[str, str] = {}


def _order_detail(order_id: int) -> dict:
    return SalesOrderDetailSerializer(selectors.sales_order_detail(order_id=order_id)).data


@extend_schema_view(
    list=_schema(
        "sales_orders_list",
        parameters=[
            OpenApiParameter("customer", int),
            OpenApiParameter("status", str, enum=OrderStatus.values),
            OpenApiParameter("date_from", date),
            OpenApiParameter("date_to", date),
            OpenApiParameter("q", str, description="Number or customer name contains."),
        ],
        responses={200: SalesOrderSerializer(many=True), **ERRORS},
    ),
    retrieve=_schema("sales_orders_retrieve", responses={200: SalesOrderDetailSerializer, **ERRORS}),
)
class SalesOrderViewSet(_DocumentViewSet):
    """Sales orders (销售订单) and quotations (报价单): quotation → draft → confirmed (stock reserved) → (partially)
    delivered → closed, or cancelled before anything is delivered. Each with its status at a glance."""

    serializer_class = SalesOrderSerializer
    action_permissions = {
        "default": "sales.change_salesorder",
        "create": "sales.add_salesorder",
        "deliver": "sales.deliver_salesorder",
    }

    def get_queryset(self):
        return selectors.sales_order_list(**_order_filters(self.request.query_params))

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SalesOrderSerializer(page, many=True).data)

    def _order(self, pk) -> SalesOrder:
        return _found(SalesOrder.objects.filter(pk=_pk(pk)).first())

    def retrieve(self, request, pk=None):
        return Response(_order_detail(self._order(pk).pk))

    @_schema(
        "sales_orders_create",
        request=SalesOrderWriteSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: SalesOrderDetailSerializer, **ERRORS},
    )
    def create(self, request):
        serializer = SalesOrderWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.service_values()
        values["lines"] = services.order_lines_priced(
            values["lines"], customer=values["customer"], on=values["date"],
            prices_include_vat=values.get("prices_include_vat", True),
        )  # fmt: skip
        order = services.sales_order_create(created_by=_user(request), **values)
        return Response(_order_detail(order.pk), status=status.HTTP_201_CREATED)

    @_schema(
        "sales_orders_update", request=SalesOrderUpdateSerializer, responses={200: SalesOrderDetailSerializer, **ERRORS}
    )
    def partial_update(self, request, pk=None):
        order = self._order(pk)
        serializer = SalesOrderUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.sales_order_update(order=order, **serializer.service_values())
        return Response(_order_detail(order.pk))

    @_schema(
        "sales_orders_convert", request=None, parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: SalesOrderDetailSerializer, **ERRORS}, description="A quotation becomes a draft order (XS…).",
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        return Response(_order_detail(services.sales_quotation_convert(order=self._order(pk)).pk))

    @_schema(
        "sales_orders_confirm", request=SalesConfirmSerializer, parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: SalesOrderConfirmedSerializer, **ERRORS},
        description="Reserves the stock. 409 credit_limit_exceeded or insufficient_available write nothing."
        " The selling checks (below cost, beyond available stock) come back as `warnings`; a check the"
        " tenant set to block refuses (400 naming lines.N.unit_price or lines.N.quantity).",
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        serializer = SalesConfirmSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        order = self._order(pk)
        warnings = services.sales_order_checks(order)  # before the order reserves its stock
        order = services.sales_order_confirm(order=order, user=_user(request), **serializer.validated_data)
        detail = _order_detail(order.pk)
        detail["warnings"] = SalesLineWarningSerializer(warnings, many=True).data
        return Response(detail)

    @_schema(
        "sales_orders_cancel", request=None, parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: SalesOrderDetailSerializer, **ERRORS},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return Response(_order_detail(services.sales_order_cancel(order=self._order(pk)).pk))

    @_schema(
        "sales_orders_close", request=None, parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: SalesOrderDetailSerializer, **ERRORS},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return Response(_order_detail(services.sales_order_close(order=self._order(pk)).pk))


@extend_schema_view(
    list=_schema(
        "sales_deliveries_list",
        parameters=[OpenApiParameter("order", int), OpenApiParameter("customer", int)],
        responses={200: SalesDeliverySerializer(many=True), **ERRORS},
    ),
    retrieve=_schema("sales_deliveries_retrieve", responses={200: SalesDeliveryDetailSerializer, **ERRORS}),
)
class SalesDeliveryViewSet(_DocumentViewSet):
    """Deliveries (销售出库) against confirmed orders: posted to stock at once; reversed (红冲), never edited."""

    serializer_class = SalesDeliverySerializer
    action_permissions = {
        "default": "sales.deliver_salesorder",
        "reverse": "sales.reverse_salesdelivery",
    }

    def get_queryset(self):
        return selectors.sales_delivery_list(**_customer_filters(self.request.query_params, "order", "customer"))

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SalesDeliverySerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(
            SalesDeliveryDetailSerializer(_found(selectors.sales_delivery_detail(delivery_id=_pk(pk)))).data
        )

    @_schema(
        "sales_deliveries_create", request=SalesDeliverSerializer, parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: SalesDeliveryDetailSerializer, **ERRORS},
        description="Delivers and posts at once. 409 over_delivery or insufficient_stock name the line.",
    )  # fmt: skip
    def create(self, request):
        serializer = SalesDeliverSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        delivery = services.sales_deliver(
            tz_name=request.tenant.timezone, created_by=_user(request), **serializer.service_values()
        )
        return Response(
            SalesDeliveryDetailSerializer(selectors.sales_delivery_detail(delivery_id=delivery.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @_schema(
        "sales_deliveries_reverse", request=SalesReverseSerializer, parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: SalesDeliveryDetailSerializer, **ERRORS},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        serializer = SalesReverseSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        reversal = services.sales_delivery_reverse(
            delivery=_found(SalesDelivery.objects.filter(pk=_pk(pk)).first()), tz_name=request.tenant.timezone,
            on=serializer.validated_data.get("date"), created_by=_user(request),
        )  # fmt: skip
        return Response(
            SalesDeliveryDetailSerializer(selectors.sales_delivery_detail(delivery_id=reversal.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=_schema(
        "sales_invoices_list",
        parameters=[
            OpenApiParameter("order", int),
            OpenApiParameter("customer", int),
            OpenApiParameter("open", bool, description="Only invoices with money still open."),
        ],
        responses={200: SalesInvoiceSerializer(many=True), **ERRORS},
    ),
    retrieve=_schema("sales_invoices_retrieve", responses={200: SalesInvoiceDetailSerializer, **ERRORS}),
)
class SalesInvoiceViewSet(_DocumentViewSet):
    """Invoices (销售发票 / 应收单) of delivered goods: each raises what the customer owes."""

    serializer_class = SalesInvoiceSerializer
    action_permissions = {
        "default": "sales.add_salesinvoice",
        "reverse": "sales.reverse_salesinvoice",
    }

    def get_queryset(self):
        params = self.request.query_params
        filters = _customer_filters(params, "order", "customer")
        return selectors.sales_invoice_list(open_only=params.get("open") in ("1", "true"), **filters)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SalesInvoiceSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(SalesInvoiceDetailSerializer(_found(selectors.sales_invoice_detail(invoice_id=_pk(pk)))).data)

    @_schema(
        "sales_invoices_create", request=SalesInvoiceWriteSerializer, parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: SalesInvoiceDetailSerializer, **ERRORS},
    )  # fmt: skip
    def create(self, request):
        serializer = SalesInvoiceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invoice = services.sales_invoice_create(
            tz_name=request.tenant.timezone, created_by=_user(request), **serializer.service_values()
        )
        return Response(
            SalesInvoiceDetailSerializer(selectors.sales_invoice_detail(invoice_id=invoice.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @_schema(
        "sales_invoices_reverse", request=SalesReverseSerializer, parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: SalesInvoiceDetailSerializer, **ERRORS},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        serializer = SalesReverseSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        reversal = services.sales_invoice_reverse(
            invoice=_found(SalesInvoice.objects.filter(pk=_pk(pk)).first()), tz_name=request.tenant.timezone,
            on=serializer.validated_data.get("date"), created_by=_user(request),
        )  # fmt: skip
        return Response(
            SalesInvoiceDetailSerializer(selectors.sales_invoice_detail(invoice_id=reversal.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=_schema(
        "sales_receipts_list",
        parameters=[OpenApiParameter("customer", int)],
        responses={200: SalesReceiptSerializer(many=True), **ERRORS},
    ),
    retrieve=_schema("sales_receipts_retrieve", responses={200: SalesReceiptDetailSerializer, **ERRORS}),
)
class SalesReceiptViewSet(_DocumentViewSet):
    """Receipts of payment (收款单): lower what the customer owes, settling their invoices."""

    serializer_class = SalesReceiptSerializer
    action_permissions = {
        "default": "sales.add_salesreceipt",
        "reverse": "sales.reverse_salesreceipt",
    }

    def get_queryset(self):
        return selectors.sales_receipt_list(**_customer_filters(self.request.query_params, "customer"))

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SalesReceiptSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(SalesReceiptDetailSerializer(_found(selectors.sales_receipt_detail(receipt_id=_pk(pk)))).data)

    @_schema(
        "sales_receipts_create", request=SalesReceiptWriteSerializer, parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: SalesReceiptDetailSerializer, **ERRORS},
    )  # fmt: skip
    def create(self, request):
        serializer = SalesReceiptWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        receipt = services.sales_receipt_create(
            tz_name=request.tenant.timezone, created_by=_user(request), **serializer.service_values()
        )
        return Response(
            SalesReceiptDetailSerializer(selectors.sales_receipt_detail(receipt_id=receipt.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @_schema(
        "sales_receipts_reverse", request=SalesReverseSerializer, parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: SalesReceiptDetailSerializer, **ERRORS},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        serializer = SalesReverseSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        reversal = services.sales_receipt_reverse(
            receipt=_found(SalesReceipt.objects.filter(pk=_pk(pk)).first()), tz_name=request.tenant.timezone,
            on=serializer.validated_data.get("date"), created_by=_user(request),
        )  # fmt: skip
        return Response(
            SalesReceiptDetailSerializer(selectors.sales_receipt_detail(receipt_id=reversal.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=_schema(
        "sales_returns_list",
        parameters=[OpenApiParameter("order", int), OpenApiParameter("customer", int)],
        responses={200: SalesReturnSerializer(many=True), **ERRORS},
    ),
    retrieve=_schema("sales_returns_retrieve", responses={200: SalesReturnDetailSerializer, **ERRORS}),
)
class SalesReturnViewSet(_DocumentViewSet):
    """Sales returns (销售退货) from a delivery: stock back at the cost it left with, invoiced goods credited."""

    serializer_class = SalesReturnSerializer
    action_permissions = {
        "default": "sales.add_salesreturn",
        "reverse": "sales.reverse_salesreturn",
    }

    def get_queryset(self):
        return selectors.sales_return_list(**_customer_filters(self.request.query_params, "order", "customer"))

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SalesReturnSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(SalesReturnDetailSerializer(_found(selectors.sales_return_detail(return_id=_pk(pk)))).data)

    @_schema(
        "sales_returns_create", request=SalesReturnWriteSerializer, parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: SalesReturnDetailSerializer, **ERRORS},
    )  # fmt: skip
    def create(self, request):
        serializer = SalesReturnWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sales_return = services.sales_return_create(
            tz_name=request.tenant.timezone, created_by=_user(request), **serializer.service_values()
        )
        return Response(
            SalesReturnDetailSerializer(selectors.sales_return_detail(return_id=sales_return.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @_schema(
        "sales_returns_reverse", request=SalesReverseSerializer, parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: SalesReturnDetailSerializer, **ERRORS},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        serializer = SalesReverseSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        reversal = services.sales_return_reverse(
            sales_return=_found(SalesReturn.objects.filter(pk=_pk(pk)).first()), tz_name=request.tenant.timezone,
            on=serializer.validated_data.get("date"), created_by=_user(request),
        )  # fmt: skip
        return Response(
            SalesReturnDetailSerializer(selectors.sales_return_detail(return_id=reversal.pk)).data,
            status=status.HTTP_201_CREATED,
        )
