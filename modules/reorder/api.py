"""Reordering under /api/v1/stock/reorder/: rules CRUD, the live low-stock list and the stored snapshot,
replenishment suggestions and the draft purchase orders made from accepted ones.

Reads need "read", writes "write"; a signed-in user also needs the reorder permission of the write.
"""

import uuid

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status
from rest_framework.response import Response

from jxc.api.base import ApiViewSet, GenericApiView
from jxc.api.permissions import HasScope
from jxc.api.principals import principal_id, request_api_key
from jxc.api.views import ERRORS, IDEMPOTENCY_PARAMETER
from jxc.kernel.errors import AppError
from modules.reorder import domain, selectors, services
from modules.reorder.models import ReorderRule
from modules.reorder.serializers import (
    ACCEPTED_LINE_FIELDS,
    LowStockLineSerializer,
    LowStockSnapshotSerializer,
    ReorderRuleInputSerializer,
    ReorderRuleSerializer,
    ReorderRuleUpdateSerializer,
    SuggestionOrdersInputSerializer,
    SuggestionOrdersSerializer,
    SuggestionSerializer,
)

TAGS = ["stock"]
WRITE_ACTIONS = {"POST": "add", "PATCH": "change", "DELETE": "delete"}
LOW_STOCK_FILTERS = [
    OpenApiParameter("warehouse", int, required=False),
    OpenApiParameter("category", int, required=False, description="With its subcategories."),
    OpenApiParameter("supplier", int, required=False, description="The supplier the line would be ordered from."),
]


class ReorderPermission(permissions.BasePermission):
    """A signed-in user also needs the reorder model permission of the write (a key's scopes suffice)."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request_api_key(request) is not None:
            return True
        action_name = WRITE_ACTIONS.get(request.method, "change")
        return request.user.has_perm(f"reorder.{action_name}_reorderrule")


def _int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise AppError("invalid_filter", _("Enter a whole number."), field=name) from None


def _bool_param(request, name: str) -> bool | None:
    raw = (request.query_params.get(name) or "").lower()
    if raw == "":
        return None
    if raw in ("true", "1"):
        return True
    if raw in ("false", "0"):
        return False
    raise AppError("invalid_filter", _("Use true or false."), field=name)


def _low_stock_filters(request) -> dict:
    return {
        "warehouse_id": _int_param(request, "warehouse"),
        "category_id": _int_param(request, "category"),
        "supplier_id": _int_param(request, "supplier"),
    }


def _rule_response(rule: ReorderRule, *, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(ReorderRuleSerializer(selectors.rule_get(rule_id=rule.pk)).data, status=status_code)


@extend_schema_view(
    list=extend_schema(
        operation_id="stock_reorder_rules_list",
        parameters=[
            OpenApiParameter("warehouse", int, required=False),
            OpenApiParameter("item", int, required=False),
            OpenApiParameter("active", bool, required=False),
        ],
        responses={200: ReorderRuleSerializer(many=True), **ERRORS},
        tags=TAGS,
    ),
    retrieve=extend_schema(
        operation_id="stock_reorder_rules_retrieve", responses={200: ReorderRuleSerializer, **ERRORS}, tags=TAGS
    ),
)
class ReorderRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Reorder rules: minimum, reorder point and maximum of an item in a warehouse (base units).
    Rules are settings, so they may be deleted."""

    serializer_class = ReorderRuleSerializer
    permission_classes = [HasScope, ReorderPermission]
    filter_backends: list = []
    queryset = ReorderRule.objects.none()  # for the schema; get_queryset reads through the selector
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReorderRule.objects.none()
        if self.action != "list":
            return selectors.rule_list()
        return selectors.rule_list(
            warehouse_id=_int_param(self.request, "warehouse"),
            item_id=_int_param(self.request, "item"),
            active=_bool_param(self.request, "active"),
        )

    @extend_schema(
        operation_id="stock_reorder_rules_create",
        request=ReorderRuleInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: ReorderRuleSerializer, **ERRORS},
        tags=TAGS,
    )
    def create(self, request):
        data = ReorderRuleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rule = services.reorder_rule_create(**data.validated_data)
        return _rule_response(rule, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="stock_reorder_rules_update",
        request=ReorderRuleUpdateSerializer,
        responses={200: ReorderRuleSerializer, **ERRORS},
        tags=TAGS,
    )
    def partial_update(self, request, pk=None):
        rule = self.get_object()
        data = ReorderRuleUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return _rule_response(services.reorder_rule_update(rule_id=rule.pk, **data.validated_data))

    @extend_schema(operation_id="stock_reorder_rules_delete", responses={204: None, **ERRORS}, tags=TAGS)
    def destroy(self, request, pk=None):
        services.reorder_rule_delete(rule_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LowStockView(GenericApiView):
    """What is at or below its reorder point now (computed live), most urgent first, with the quantity to
    order, the supplier and its last price."""

    serializer_class = LowStockLineSerializer
    queryset = ReorderRule.objects.none()  # for the schema: the lines are computed by the selector

    @extend_schema(
        operation_id="stock_low_stock_list",
        parameters=LOW_STOCK_FILTERS,
        responses={200: LowStockLineSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        page = self.paginate_queryset(selectors.low_stock(**_low_stock_filters(request)))
        return self.get_paginated_response(LowStockLineSerializer(page, many=True).data)


class LowStockSnapshotView(GenericApiView):
    """The low-stock list as the daily job (or a "recompute now") last stored it, with when; filters as
    for the live list."""

    serializer_class = LowStockSnapshotSerializer

    @extend_schema(
        operation_id="stock_low_stock_snapshot_retrieve",
        parameters=[
            *LOW_STOCK_FILTERS,
            OpenApiParameter("limit", int, required=False),
            OpenApiParameter("offset", int, required=False),
        ],
        responses={200: LowStockSnapshotSerializer, **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        snapshot = selectors.low_stock_snapshot()
        filters = _low_stock_filters(request)
        if snapshot is None:
            body = {"computed_at": None, "line_count": 0, "item_count": 0, "below_minimum_count": 0}
            return Response({**body, "count": 0, "next": None, "previous": None, "results": []})
        lines = self.paginate_queryset(selectors.low_stock_alerts(**filters))
        return Response(
            {
                "computed_at": serializers.DateTimeField().to_representation(snapshot.computed_at),
                "line_count": snapshot.line_count,
                "item_count": snapshot.item_count,
                "below_minimum_count": snapshot.below_minimum_count,
                "count": self.paginator.count,
                "next": self.paginator.get_next_link(),
                "previous": self.paginator.get_previous_link(),
                "results": LowStockLineSerializer(lines, many=True).data,
            }
        )


def window_param(raw) -> int:
    """The sales window in days: 7, 30 or 90 (default 30)."""
    if raw in (None, ""):
        return domain.DEFAULT_WINDOW
    try:
        window = int(raw)
    except (TypeError, ValueError):
        window = None
    if window not in domain.WINDOWS:
        raise AppError(
            domain.Code.INVALID_WINDOW,
            _("Choose a window of %(windows)s days.") % {"windows": ", ".join(str(w) for w in domain.WINDOWS)},
            field="window",
        )
    return window


def _review_param(request) -> int:
    review = _int_param(request, "review_days")
    if review is None:
        return domain.REVIEW_DAYS
    if not 0 <= review <= domain.REVIEW_DAYS_MAX:
        raise AppError(
            "invalid_filter",
            _("Use 0 to %(max)s days.") % {"max": domain.REVIEW_DAYS_MAX},
            field="review_days",
        )
    return review


class SuggestionsView(GenericApiView):
    """Replenishment suggestions (库存补充建议), computed live: per item × warehouse with an active rule, what
    to order now and why. Formula (base units): position = on hand + on order − reserved; trigger =
    max(reorder point, minimum + daily sales × lead time); target = max(maximum, minimum + daily sales ×
    (lead time + review days)); when position ≤ trigger, order target − position, rounded up to whole
    purchase units. `all=true` also lists the lines with nothing to order."""

    serializer_class = SuggestionSerializer
    queryset = ReorderRule.objects.none()  # for the schema: the lines are computed by the selector

    @extend_schema(
        operation_id="stock_reorder_suggestions_list",
        parameters=[
            OpenApiParameter("warehouse", int, required=False),
            OpenApiParameter(
                "supplier", int, required=False, description="The supplier the line would be ordered from."
            ),
            OpenApiParameter(
                "window", int, required=False, enum=list(domain.WINDOWS), description="Sales window, days."
            ),
            OpenApiParameter("review_days", int, required=False, description="Review period, days (default 7)."),
            OpenApiParameter("all", bool, required=False),
        ],
        responses={200: SuggestionSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        lines = selectors.replenishment_suggestions(
            warehouse_id=_int_param(request, "warehouse"),
            supplier_id=_int_param(request, "supplier"),
            window_days=window_param(request.query_params.get("window")),
            review_days=_review_param(request),
            due_only=not _bool_param(request, "all"),
        )
        page = self.paginate_queryset(lines)
        return self.get_paginated_response(SuggestionSerializer(page, many=True).data)


class SuggestionOrdersPermission(permissions.BasePermission):
    """Creating purchase orders: a signed-in user needs purchasing's add permission (a key its write scope)."""

    def has_permission(self, request, view) -> bool:
        if request_api_key(request) is not None:
            return True
        return request.user.has_perm("purchasing.add_purchaseorder")


def _window_days(value: int | None) -> int | None:
    """The window the client looked at (recorded with the batch): 7, 30, 90 or absent."""
    if value is not None and value not in domain.WINDOWS:
        raise AppError(
            domain.Code.INVALID_WINDOW,
            _("Choose a window of %(windows)s days.") % {"windows": ", ".join(str(w) for w in domain.WINDOWS)},
            field="window_days",
        )
    return value


class SuggestionOrdersView(GenericApiView):
    """Turn accepted suggestions into draft purchase orders, one per supplier × warehouse, priced at the
    supplier's last price. Send an Idempotency-Key: a retry with it returns the same orders and creates
    none (the key also marks the batch, so even a retry after the key's record expired creates nothing)."""

    serializer_class = SuggestionOrdersSerializer
    permission_classes = [HasScope, SuggestionOrdersPermission]

    @extend_schema(
        operation_id="stock_reorder_suggestion_orders_create",
        request=SuggestionOrdersInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: SuggestionOrdersSerializer, 200: SuggestionOrdersSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request):
        data = SuggestionOrdersInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        raw_lines = request.data.get("lines") or []
        for index, raw in enumerate(raw_lines):
            unknown = sorted(set(raw) - set(ACCEPTED_LINE_FIELDS))
            if unknown:
                raise AppError(
                    domain.Code.UNKNOWN_FIELD, _("This field cannot be set here."), field=f"lines.{index}.{unknown[0]}"
                )
        key = (request.META.get("HTTP_IDEMPOTENCY_KEY") or "").strip()
        # Without a key every post is new; with one, the batch carries it (scoped to the caller).
        token = f"api:{principal_id(request)}:{key}" if key else f"api:{uuid.uuid4().hex}"
        result = services.suggestion_orders_create(
            token=token,
            lines=[
                services.AcceptedLine(**{name: raw.get(name) for name in ACCEPTED_LINE_FIELDS}) for raw in raw_lines
            ],
            tz_name=request.tenant.timezone,
            window_days=_window_days(data.validated_data.get("window_days")),
            created_by=None if request_api_key(request) is not None else request.user,
        )
        body = SuggestionOrdersSerializer(result).data
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
