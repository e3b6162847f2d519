"""/api/v1/customers/: open balances, one customer's overview and statement (对账单), and follow-ups.

Reads need the "read" scope, writes "write"; a signed-in user also needs the partners permissions of their
role (view to read, change to write follow-ups). POSTs take an `Idempotency-Key`.
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
from jxc.kernel.errors import NotFound
from jxc.kernel.numbers import today_in
from modules.crm import selectors, services
from modules.crm.enums import VIEW_PERMISSION, WRITE_PERMISSION, BalanceSort, ErrorCode
from modules.crm.models import FollowUp
from modules.crm.serializers import (
    CustomerBalanceSerializer,
    CustomerOverviewSerializer,
    FollowUpInputSerializer,
    FollowUpSerializer,
    FollowUpUpdateSerializer,
    StatementSerializer,
)
from modules.partners.models import Partner

SORTS = [*BalanceSort.values, *(f"-{value}" for value in BalanceSort.values)]


class CustomersPermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if request_api_key(request) is not None:
            return True
        if request.method in permissions.SAFE_METHODS:
            if not request.user.has_perm(VIEW_PERMISSION):
                raise exceptions.PermissionDenied(_("Your role may not see customers."))
        elif not request.user.has_perm(WRITE_PERMISSION):
            raise exceptions.PermissionDenied(_("Your role may not change customers' follow-ups."))
        return True


def _user(request):
    return None if request_api_key(request) is not None else request.user


def _int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(ErrorCode.NOT_FOUND, _("No such customer."), field=field) from None


def _customer(pk) -> Partner:
    customer = selectors.customer_get(partner_id=_int(pk, "customer_id"))
    if customer is None:
        raise NotFound(ErrorCode.NOT_FOUND, _("No such customer."), field="customer_id")
    return customer


def _date(params, name: str) -> date | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise exceptions.ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from None


def _active(value: str | None) -> bool | None:
    if value in (None, ""):
        return True
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    if value.lower() == "all":
        return None
    raise exceptions.ValidationError({"active": [_("Use true, false or all.")]})


def _schema(operation_id: str, **kwargs):
    return extend_schema(operation_id=operation_id, tags=["customers"], **kwargs)


@extend_schema_view(
    list=_schema(
        "customers_list",
        parameters=[
            OpenApiParameter("search", str, description="Code, name, pinyin initials or taxpayer id (contains)"),
            OpenApiParameter("sort", str, enum=SORTS, description="Default code; '-' first: descending."),
            OpenApiParameter("active", str, enum=["true", "false", "all"], description="Default true."),
        ],
        responses={200: CustomerBalanceSerializer(many=True), **ERRORS},
        description="Customers with their open balance (应收余额) and the part of it past the payment terms.",
    ),
    retrieve=_schema("customers_retrieve", responses={200: CustomerOverviewSerializer, **ERRORS}),
)
class CustomerViewSet(ApiViewSet):
    permission_classes = [HasScope, CustomersPermission]
    serializer_class = CustomerBalanceSerializer
    lookup_url_kwarg = "customer_id"
    filter_backends: list = []

    def list(self, request):
        rows = selectors.customer_balances(
            on=today_in(request.tenant.timezone),
            search=request.query_params.get("search", ""),
            sort=request.query_params.get("sort") or None,
            active=_active(request.query_params.get("active")),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(CustomerBalanceSerializer(page, many=True).data)

    def retrieve(self, request, customer_id=None):
        overview = selectors.customer_overview(partner=_customer(customer_id), on=today_in(request.tenant.timezone))
        return Response(CustomerOverviewSerializer(overview).data)

    @_schema(
        "customers_statement",
        parameters=[
            OpenApiParameter("date_from", date, required=True),
            OpenApiParameter("date_to", date, required=True, description="Not before date_from."),
        ],
        responses={200: StatementSerializer, **ERRORS},
        description="The statement (对账单): opening balance, each document with the running balance, closing.",
    )
    @action(detail=True, methods=["get"])
    def statement(self, request, customer_id=None):
        customer = _customer(customer_id)
        statement = selectors.customer_statement(
            partner_id=customer.pk,
            date_from=_date(request.query_params, "date_from"),
            date_to=_date(request.query_params, "date_to"),
        )
        return Response(StatementSerializer(statement).data)


@extend_schema_view(
    list=_schema("customer_follow_ups_list", responses={200: FollowUpSerializer(many=True), **ERRORS}),
    retrieve=_schema("customer_follow_ups_retrieve", responses={200: FollowUpSerializer, **ERRORS}),
)
class FollowUpViewSet(ApiViewSet):
    """The follow-ups (跟进记录) of one customer, newest first."""

    permission_classes = [HasScope, CustomersPermission]
    serializer_class = FollowUpSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list = []
    queryset = FollowUp.objects.none()  # for the schema; get_queryset narrows to the customer

    def _customer_id(self) -> int:
        return _customer(self.kwargs.get("customer_id")).pk

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FollowUp.objects.none()
        return selectors.follow_up_list(partner_id=self._customer_id())

    def list(self, request, customer_id=None):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(FollowUpSerializer(page, many=True).data)

    def _follow_up(self, pk) -> FollowUp:
        follow_up = selectors.follow_up_get(follow_up_id=_int(pk, "follow_up_id"), partner_id=self._customer_id())
        if follow_up is None:
            raise NotFound(ErrorCode.NOT_FOUND, _("No such follow-up."), field="follow_up_id")
        return follow_up

    def retrieve(self, request, customer_id=None, pk=None):
        return Response(FollowUpSerializer(self._follow_up(pk)).data)

    @_schema(
        "customer_follow_ups_create",
        request=FollowUpInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: FollowUpSerializer, **ERRORS},
    )
    def create(self, request, customer_id=None):
        customer = _customer(customer_id)
        data = FollowUpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        follow_up = services.follow_up_create(
            partner=customer, author=_user(request), tz_name=request.tenant.timezone, **data.validated_data
        )
        return Response(FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)

    @_schema(
        "customer_follow_ups_update",
        request=FollowUpUpdateSerializer(partial=True),
        responses={200: FollowUpSerializer, **ERRORS},
        description="Change the kind, text or next date, or mark it done (`done`: true) or open again.",
    )
    def partial_update(self, request, customer_id=None, pk=None):
        follow_up = self._follow_up(pk)
        data = FollowUpUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if not data.validated_data:
            raise exceptions.ValidationError({"non_field_errors": [_("Give at least one field to change.")]})
        services.follow_up_update(
            follow_up_id=follow_up.pk, partner_id=follow_up.partner_id, tz_name=request.tenant.timezone,
            **data.validated_data,
        )  # fmt: skip
        return Response(FollowUpSerializer(self._follow_up(pk)).data)

    @_schema("customer_follow_ups_delete", responses={204: None, **ERRORS})
    def destroy(self, request, customer_id=None, pk=None):
        follow_up = self._follow_up(pk)
        services.follow_up_delete(follow_up_id=follow_up.pk, partner_id=follow_up.partner_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=_schema(
        "customer_follow_ups_due",
        parameters=[
            OpenApiParameter(
                "who",
                str,
                enum=["me", "all"],
                description="me (default for a signed-in user): the caller's own; all: everyone's. A key sees all.",
            ),
        ],  # fmt: skip
        responses={200: FollowUpSerializer(many=True), **ERRORS},
        description="Open follow-ups planned for today or earlier, overdue first.",
    )
)
class DueFollowUpViewSet(ApiViewSet):
    permission_classes = [HasScope, CustomersPermission]
    serializer_class = FollowUpSerializer
    filter_backends: list = []
    queryset = FollowUp.objects.none()  # for the schema

    def list(self, request):
        who = request.query_params.get("who") or "me"
        if who not in ("me", "all"):
            raise exceptions.ValidationError({"who": [_("Use me or all.")]})
        user = _user(request)
        author_id = user.pk if user is not None and who == "me" else None
        rows = selectors.follow_ups_due(on=today_in(request.tenant.timezone), author_id=author_id)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(FollowUpSerializer(page, many=True).data)
