"""Pricing under /api/v1/pricing/: price lists and their entries, customer prices, promotions, the quote of
a line (price and why, cost, last purchase price, warnings), the bulk change and the selling checks.

Reads need "read"; writes need "write", and a signed-in user must also be the owner or a manager.
"""

from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status
from rest_framework.response import Response

from jxc.api.base import ApiView, ApiViewSet
from jxc.api.permissions import HasScope
from jxc.api.principals import request_api_key
from jxc.api.views import ERRORS, IDEMPOTENCY_PARAMETER
from jxc.kernel.errors import AppError
from jxc.kernel.numbers import today_in
from modules.catalog.models import Item, Unit
from modules.inventory.models import Warehouse
from modules.inventory.services import warehouse_default_ensure
from modules.partners.models import Partner
from modules.pricing import selectors, services
from modules.pricing.enums import Code
from modules.pricing.models import CustomerPrice, PriceList, PriceListItem, Promotion
from modules.pricing.serializers import (
    BulkChangeInputSerializer,
    BulkChangeSerializer,
    CustomerPriceInputSerializer,
    CustomerPriceSerializer,
    PriceListInputSerializer,
    PriceListItemInputSerializer,
    PriceListItemSerializer,
    PriceListSerializer,
    PriceListUpdateSerializer,
    PriceUpdateSerializer,
    PricingSettingsInputSerializer,
    PricingSettingsSerializer,
    PromotionInputSerializer,
    PromotionSerializer,
    PromotionUpdateSerializer,
    QuoteSerializer,
)

TAGS = ["pricing"]


class PricingPermission(permissions.BasePermission):
    """Writes by a signed-in user need the owner or a manager (a key's "write" scope suffices)."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request_api_key(request) is not None:
            return True
        return selectors.pricing_manager(request.user)


def _int_param(request, name: str, *, required: bool = False) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        if required:
            raise AppError(Code.REQUIRED, _("This field is required."), field=name)
        return None
    try:
        return int(raw)
    except ValueError:
        raise AppError(Code.INVALID, _("Enter a whole number."), field=name) from None


def _bool_param(request, name: str) -> bool | None:
    raw = (request.query_params.get(name) or "").lower()
    if raw == "":
        return None
    if raw in ("true", "1"):
        return True
    if raw in ("false", "0"):
        return False
    raise AppError(Code.INVALID, _("Use true or false."), field=name)


def _date_param(request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise AppError(Code.INVALID, _("Enter a date as YYYY-MM-DD."), field=name) from None


def _row(queryset, request, name: str, *, required: bool = False):
    """The row whose id the query parameter `name` holds (None when absent), or a 400 naming it."""
    pk = _int_param(request, name, required=required)
    if pk is None:
        return None
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise AppError(Code.NOT_FOUND, _("Not found."), field=name)
    return row


class _Crud(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    permission_classes = [HasScope, PricingPermission]
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


def _schema(prefix: str, serializer, *, filters=()):
    return extend_schema_view(
        list=extend_schema(
            operation_id=f"pricing_{prefix}_list",
            parameters=list(filters),
            responses={200: serializer(many=True), **ERRORS},
            tags=TAGS,
        ),
        retrieve=extend_schema(
            operation_id=f"pricing_{prefix}_retrieve", responses={200: serializer, **ERRORS}, tags=TAGS
        ),
    )


@_schema("lists", PriceListSerializer, filters=[OpenApiParameter("active", bool, required=False)])
class PriceListViewSet(_Crud):
    """Price lists, one per price tier (retail, wholesale, tier 1–3); CNY; tax-inclusive or not.
    A list is deactivated rather than deleted."""

    serializer_class = PriceListSerializer
    queryset = PriceList.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PriceList.objects.none()
        active = _bool_param(self.request, "active") if self.action == "list" else None
        return selectors.price_list_list(active=active)

    @extend_schema(
        operation_id="pricing_lists_create",
        request=PriceListInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: PriceListSerializer, **ERRORS},
        tags=TAGS,
    )
    def create(self, request):
        data = PriceListInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        price_list = services.price_list_create(**data.validated_data)
        return Response(PriceListSerializer(price_list).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="pricing_lists_update",
        request=PriceListUpdateSerializer,
        responses={200: PriceListSerializer, **ERRORS},
        tags=TAGS,
    )
    def partial_update(self, request, pk=None):
        price_list = self.get_object()
        data = PriceListUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return Response(
            PriceListSerializer(services.price_list_update(price_list_id=price_list.pk, **data.validated_data)).data
        )


@_schema(
    "list_items",
    PriceListItemSerializer,
    filters=[OpenApiParameter("price_list", int, required=False), OpenApiParameter("item", int, required=False)],
)
class PriceListItemViewSet(_Crud):
    """The entries of the price lists: an item's price in a unit, from a minimum quantity on (0: any)."""

    serializer_class = PriceListItemSerializer
    queryset = PriceListItem.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.action != "list":
            return selectors.price_list_entries()
        return selectors.price_list_entries(
            price_list_id=_int_param(self.request, "price_list"), item_id=_int_param(self.request, "item")
        )

    @extend_schema(
        operation_id="pricing_list_items_set",
        request=PriceListItemInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: PriceListItemSerializer, 200: PriceListItemSerializer, **ERRORS},
        description="Sets the price of (list, item, unit, minimum quantity): 201 when new, 200 when replaced.",
        tags=TAGS,
    )
    def create(self, request):
        data = PriceListItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry, created = services.price_list_item_set(**data.validated_data)
        entry = selectors.price_list_entries().get(pk=entry.pk)
        return Response(
            PriceListItemSerializer(entry).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(
        operation_id="pricing_list_items_update",
        request=PriceUpdateSerializer,
        responses={200: PriceListItemSerializer, **ERRORS},
        tags=TAGS,
    )
    def partial_update(self, request, pk=None):
        entry = self.get_object()
        data = PriceUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.price_list_item_update(entry_id=entry.pk, **data.validated_data)
        return Response(PriceListItemSerializer(selectors.price_list_entries().get(pk=entry.pk)).data)

    @extend_schema(operation_id="pricing_list_items_delete", responses={204: None, **ERRORS}, tags=TAGS)
    def destroy(self, request, pk=None):
        services.price_list_item_delete(entry_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


@_schema(
    "customer_prices",
    CustomerPriceSerializer,
    filters=[OpenApiParameter("customer", int, required=False), OpenApiParameter("item", int, required=False)],
)
class CustomerPriceViewSet(_Crud):
    """Prices agreed with one customer (客户专价): they beat every other rule."""

    serializer_class = CustomerPriceSerializer
    queryset = CustomerPrice.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.action != "list":
            return selectors.customer_price_list()
        return selectors.customer_price_list(
            customer_id=_int_param(self.request, "customer"), item_id=_int_param(self.request, "item")
        )

    @extend_schema(
        operation_id="pricing_customer_prices_set",
        request=CustomerPriceInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: CustomerPriceSerializer, 200: CustomerPriceSerializer, **ERRORS},
        description="Sets the price of (customer, item, unit): 201 when new, 200 when replaced.",
        tags=TAGS,
    )
    def create(self, request):
        data = CustomerPriceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row, created = services.customer_price_set(**data.validated_data)
        row = selectors.customer_price_list().get(pk=row.pk)
        return Response(
            CustomerPriceSerializer(row).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(
        operation_id="pricing_customer_prices_update",
        request=PriceUpdateSerializer,
        responses={200: CustomerPriceSerializer, **ERRORS},
        tags=TAGS,
    )
    def partial_update(self, request, pk=None):
        row = self.get_object()
        data = PriceUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.customer_price_update(customer_price_id=row.pk, **data.validated_data)
        return Response(CustomerPriceSerializer(selectors.customer_price_list().get(pk=row.pk)).data)

    @extend_schema(operation_id="pricing_customer_prices_delete", responses={204: None, **ERRORS}, tags=TAGS)
    def destroy(self, request, pk=None):
        services.customer_price_delete(customer_price_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


@_schema(
    "promotions",
    PromotionSerializer,
    filters=[
        OpenApiParameter("on", date, required=False, description="Only those active and valid that day."),
        OpenApiParameter("active", bool, required=False),
    ],
)
class PromotionViewSet(_Crud):
    """Promotions (促销) of an item or a category: percent off or a fixed price, valid from/to (included)."""

    serializer_class = PromotionSerializer
    queryset = Promotion.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.action != "list":
            return selectors.promotion_list()
        return selectors.promotion_list(on=_date_param(self.request, "on"), active=_bool_param(self.request, "active"))

    @extend_schema(
        operation_id="pricing_promotions_create",
        request=PromotionInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: PromotionSerializer, **ERRORS},
        tags=TAGS,
    )
    def create(self, request):
        data = PromotionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        promotion = services.promotion_create(**data.validated_data)
        return Response(PromotionSerializer(promotion).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="pricing_promotions_update",
        request=PromotionUpdateSerializer,
        responses={200: PromotionSerializer, **ERRORS},
        tags=TAGS,
    )
    def partial_update(self, request, pk=None):
        promotion = self.get_object()
        data = PromotionUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return Response(
            PromotionSerializer(services.promotion_update(promotion_id=promotion.pk, **data.validated_data)).data
        )

    @extend_schema(operation_id="pricing_promotions_delete", responses={204: None, **ERRORS}, tags=TAGS)
    def destroy(self, request, pk=None):
        services.promotion_delete(promotion_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class QuoteView(ApiView):
    """The price of a sales line and why, with the current cost, the last purchase price, the stock
    available in the warehouse and the warnings (below cost, beyond stock) — what a sales screen shows."""

    @extend_schema(
        operation_id="pricing_quote",
        parameters=[
            OpenApiParameter("item", int, required=True),
            OpenApiParameter("customer", int, required=False, description="Absent: a walk-in (retail tier)."),
            OpenApiParameter("quantity", str, required=False, description="In the unit; default 1."),
            OpenApiParameter("unit", int, required=False, description="Default: the item's base unit."),
            OpenApiParameter("warehouse", int, required=False, description="Default: the default warehouse."),
            OpenApiParameter("date", date, required=False, description="Default: today in the shop's time zone."),
            OpenApiParameter("unit_price", str, required=False, description="Check this price instead."),
        ],
        responses={200: QuoteSerializer, **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        quote = selectors.sale_line_quote(
            item=_row(Item.objects.select_related("base_unit"), request, "item", required=True),
            unit=_row(Unit.objects, request, "unit"),
            customer=_row(Partner.objects, request, "customer"),
            quantity=request.query_params.get("quantity") or "1",
            warehouse=_row(Warehouse.objects, request, "warehouse") or warehouse_default_ensure(),
            on=_date_param(request, "date") or today_in(request.tenant.timezone),
            unit_price=request.query_params.get("unit_price"),
        )
        return Response(QuoteSerializer(quote).data)


def _bulk_response(change, *, applied: bool) -> Response:
    body = {"applied": applied, "digest": change.digest, "count": len(change.rows), "rows": change.rows}
    return Response(BulkChangeSerializer(body).data)


class BulkChangePreviewView(ApiView):
    """What a bulk change by percentage would do (writes nothing): the rows and a digest to apply them with."""

    permission_classes = [HasScope, PricingPermission]

    @extend_schema(
        operation_id="pricing_bulk_change_preview",
        request=BulkChangeInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: BulkChangeSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request):
        data = BulkChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("digest", None)
        return _bulk_response(services.price_bulk_change_preview(**values), applied=False)


class BulkChangeView(ApiView):
    """Change by a percentage the prices of a category (with its subcategories) on a price list or the items'
    sale prices, rounded to cents, all at once. With the preview's digest, a change since is refused (409)."""

    permission_classes = [HasScope, PricingPermission]

    @extend_schema(
        operation_id="pricing_bulk_change_apply",
        request=BulkChangeInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: BulkChangeSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request):
        data = BulkChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _bulk_response(services.price_bulk_change_apply(**data.validated_data), applied=True)


class PricingSettingsView(ApiView):
    """Whether selling below cost / beyond available stock warns or blocks."""

    permission_classes = [HasScope, PricingPermission]

    @extend_schema(
        operation_id="pricing_settings_retrieve", responses={200: PricingSettingsSerializer, **ERRORS}, tags=TAGS
    )
    def get(self, request):
        return Response(PricingSettingsSerializer(selectors.pricing_settings()).data)

    @extend_schema(
        operation_id="pricing_settings_update",
        request=PricingSettingsInputSerializer,
        responses={200: PricingSettingsSerializer, **ERRORS},
        tags=TAGS,
    )
    def patch(self, request):
        data = PricingSettingsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(PricingSettingsSerializer(services.pricing_settings_update(**data.validated_data)).data)
