"""Retail sales under /api/v1/sales/retail-sales: list, retrieve, and create (= ring up and post).

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
from modules.sales.enums import PaymentMethod
from modules.sales.serializers import RetailSaleCreateSerializer, RetailSaleDetailSerializer, RetailSaleSerializer

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
