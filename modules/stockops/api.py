"""Stock documents under /api/v1/stock/documents: thin views over the services and selectors.

Reads need the "read" scope, writes "write"; a signed-in user also needs the model permission of the
action (add, change, or post for posting and reversing). POSTs take an `Idempotency-Key`.
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
from modules.inventory.services import warehouse_default_ensure
from modules.stockops import selectors, services
from modules.stockops.enums import DocumentKind, DocumentStatus
from modules.stockops.models import StockDocument
from modules.stockops.serializers import (
    DocumentCreateSerializer,
    DocumentDetailSerializer,
    DocumentPostedSerializer,
    DocumentSerializer,
    DocumentUpdateSerializer,
    ReverseSerializer,
)

# The model permission each write needs from a signed-in user.
ACTION_PERMISSIONS = {
    "create": "stockops.add_stockdocument",
    "partial_update": "stockops.change_stockdocument",
    "confirm": "stockops.change_stockdocument",
    "cancel": "stockops.change_stockdocument",
    "post_to_ledger": "stockops.post_stockdocument",
    "reverse": "stockops.post_stockdocument",
}


class StockDocumentPermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request_api_key(request) is not None:
            return True
        if not request.user.has_perm(ACTION_PERMISSIONS.get(view.action, "stockops.change_stockdocument")):
            raise exceptions.PermissionDenied(_("Your role may not do this to stock documents."))
        return True


def _user(request):
    return None if request_api_key(request) is not None else request.user


def _detail(document_id: int, *, revalued=None) -> StockDocument:
    document = selectors.document_detail(document_id=document_id)
    document.moves = list(selectors.document_moves(document=document))
    if revalued is not None:
        document.revalued = revalued
    return document


def _filters(params) -> dict:
    """The list's query parameters, checked (a bad one is a 400 naming it)."""
    errors = {}
    kind, state = params.get("kind") or None, params.get("status") or None
    if kind and kind not in DocumentKind.values:
        errors["kind"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(DocumentKind.values)}]
    if state and state not in DocumentStatus.values:
        errors["status"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(DocumentStatus.values)}]
    values = {"kind": kind, "status": state, "search": params.get("search", "")}
    for name in ("date_from", "date_to"):
        try:
            values[name] = date.fromisoformat(params[name]) if params.get(name) else None
        except ValueError:
            errors[name] = [_("Enter a date as YYYY-MM-DD.")]
    for name in ("warehouse", "item"):
        try:
            values[f"{name}_id"] = int(params[name]) if params.get(name) else None
        except ValueError:
            errors[name] = [_("Enter a whole number.")]
    if errors:
        raise exceptions.ValidationError(errors)
    return values


def _schema(operation_id: str, **kwargs):
    return extend_schema(operation_id=operation_id, tags=["stock"], **kwargs)


@extend_schema_view(
    list=_schema(
        "stock_documents_list",
        parameters=[
            OpenApiParameter("kind", str, enum=DocumentKind.values),
            OpenApiParameter("status", str, enum=DocumentStatus.values),
            OpenApiParameter("date_from", date),
            OpenApiParameter("date_to", date),
            OpenApiParameter("warehouse", int, description="Source or target warehouse"),
            OpenApiParameter("item", int, description="Documents with a line of this item"),
            OpenApiParameter("search", str, description="Part of the number"),
        ],
        responses={200: DocumentSerializer(many=True), **ERRORS},
    ),
    retrieve=_schema("stock_documents_retrieve", responses={200: DocumentDetailSerializer, **ERRORS}),
)
class StockDocumentViewSet(ApiViewSet):
    """Other receipts and issues (其它入库/出库), transfers (调拨) and adjustments (调整).

    draft → confirmed → posted, or cancelled from draft or confirmed. Only drafts are edited; a posted
    document is corrected by reversing it."""

    permission_classes = [HasScope, StockDocumentPermission]
    serializer_class = DocumentSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.document_list(**_filters(self.request.query_params))

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DocumentSerializer(page, many=True).data)

    def _document(self, pk) -> StockDocument:
        document = StockDocument.objects.filter(pk=int(pk)).first()
        if document is None:
            raise exceptions.NotFound()
        return document

    def retrieve(self, request, pk=None):
        return Response(DocumentDetailSerializer(_detail(self._document(pk).pk)).data)

    @_schema(
        "stock_documents_create",
        request=DocumentCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: DocumentDetailSerializer, **ERRORS},
    )
    def create(self, request):
        serializer = DocumentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = serializer.service_changes()
        tz_name = request.tenant.timezone
        document = services.stock_document_create(
            kind=changes.pop("kind"),
            date=changes.pop("date", None) or services.today_in(tz_name),
            warehouse=changes.pop("warehouse", None) or warehouse_default_ensure(),
            tz_name=tz_name,
            created_by=_user(request),
            **changes,
        )
        return Response(DocumentDetailSerializer(_detail(document.pk)).data, status=status.HTTP_201_CREATED)

    @_schema(
        "stock_documents_update",
        request=DocumentUpdateSerializer,
        responses={200: DocumentDetailSerializer, **ERRORS},
    )
    def partial_update(self, request, pk=None):
        document = self._document(pk)
        serializer = DocumentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.stock_document_update(
            document=document, tz_name=request.tenant.timezone, **serializer.service_changes()
        )
        return Response(DocumentDetailSerializer(_detail(document.pk)).data)

    @_schema(
        "stock_documents_confirm",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: DocumentDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        document = services.stock_document_confirm(document=self._document(pk))
        return Response(DocumentDetailSerializer(_detail(document.pk)).data)

    @_schema(
        "stock_documents_cancel",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: DocumentDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        document = services.stock_document_cancel(document=self._document(pk))
        return Response(DocumentDetailSerializer(_detail(document.pk)).data)

    @_schema(
        "stock_documents_post",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: DocumentPostedSerializer, **ERRORS},
        description="Posts the moves to the stock ledger. 409 insufficient_stock (naming the line) changes nothing.",
    )
    # Not named `post`: a view's `post` attribute is its POST handler.
    @action(detail=True, methods=["post"], url_path="post", url_name="post")
    def post_to_ledger(self, request, pk=None):
        outcome = services.stock_document_post(document=self._document(pk), tz_name=request.tenant.timezone)
        return Response(DocumentPostedSerializer(_detail(outcome.document.pk, revalued=outcome.revalued)).data)

    @_schema(
        "stock_documents_reverse",
        request=ReverseSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: DocumentPostedSerializer, **ERRORS},
        description="Creates and posts the reversal (红冲) of a posted document; answers with the reversal.",
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        document = self._document(pk)
        serializer = ReverseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = services.stock_document_reverse(
            document=document,
            tz_name=request.tenant.timezone,
            on=serializer.validated_data.get("date"),
            created_by=_user(request),
        )
        body = DocumentPostedSerializer(_detail(outcome.document.pk, revalued=outcome.revalued)).data
        return Response(body, status=status.HTTP_201_CREATED)
