"""REST endpoints of partners: thin, the rules live in services and selectors."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.api.base import ApiViewSet
from jxc.api.permissions import HasScope
from jxc.api.principals import request_api_key
from jxc.api.views import ERRORS, IDEMPOTENCY_PARAMETER
from jxc.kernel.errors import NotFound
from modules.partners import selectors, services
from modules.partners.models import Contact, Partner, SupplierItem
from modules.partners.serializers import (
    ContactInputSerializer,
    ContactSerializer,
    ItemSupplierSerializer,
    PartnerDetailSerializer,
    PartnerInputSerializer,
    PartnerSerializer,
    SupplierItemInputSerializer,
    SupplierItemSerializer,
    SupplierItemUpdateSerializer,
)

WRITE_PERMISSION = "partners.change_partner"


class PartnersRolePermission(permissions.BasePermission):
    """A signed-in user also needs the partners permissions of their role to write (a key's scopes suffice)."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request_api_key(request) is not None:
            return True
        if not request.user.has_perm(WRITE_PERMISSION):
            raise exceptions.PermissionDenied(_("Your role may not change partners."))
        return True


def _parse_active(value: str | None) -> bool | None:
    if value in (None, ""):
        return None
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise exceptions.ValidationError({"active": [_("Use true or false.")]})


@extend_schema_view(
    list=extend_schema(
        operation_id="partners_list",
        parameters=[
            OpenApiParameter("search", str, description="Code, name, pinyin initials or taxpayer id (contains)"),
            OpenApiParameter("kind", str, enum=["supplier", "customer"]),
            OpenApiParameter("active", bool),
        ],
        responses={200: PartnerSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(operation_id="partners_retrieve", responses={200: PartnerDetailSerializer, **ERRORS}),
)
class PartnerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Suppliers and customers. Never deleted: deactivate instead."""

    permission_classes = [HasScope, PartnersRolePermission]
    serializer_class = PartnerSerializer
    filter_backends: list = []

    def get_queryset(self):
        if self.action == "list":
            kind = self.request.query_params.get("kind", "")
            if kind not in ("", selectors.Kind.SUPPLIER, selectors.Kind.CUSTOMER):
                raise exceptions.ValidationError({"kind": [_("Use supplier or customer.")]})
            return selectors.partner_list(
                search=self.request.query_params.get("search", ""),
                kind=kind,
                active=_parse_active(self.request.query_params.get("active")),
            )
        return Partner.objects.prefetch_related("contacts")

    def get_serializer_class(self):
        return PartnerDetailSerializer if self.action == "retrieve" else PartnerSerializer

    @extend_schema(
        operation_id="partners_create",
        request=PartnerInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: PartnerDetailSerializer, **ERRORS},
    )
    def create(self, request):
        data = PartnerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        partner = services.partner_create(**data.validated_data)
        return Response(PartnerDetailSerializer(partner).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="partners_update",
        request=PartnerInputSerializer(partial=True),
        responses={200: PartnerDetailSerializer, **ERRORS},
    )
    def partial_update(self, request, pk=None):
        data = PartnerInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        partner = services.partner_update(partner_id=self._pk(pk), **data.validated_data)
        return Response(PartnerDetailSerializer(Partner.objects.prefetch_related("contacts").get(pk=partner.pk)).data)

    @extend_schema(
        operation_id="partners_deactivate",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: PartnerSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        return Response(PartnerSerializer(services.partner_deactivate(partner_id=self._pk(pk))).data)

    @extend_schema(
        operation_id="partners_activate",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: PartnerSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        return Response(PartnerSerializer(services.partner_activate(partner_id=self._pk(pk))).data)

    @staticmethod
    def _pk(pk) -> int:
        try:
            return int(pk)
        except (TypeError, ValueError):
            raise NotFound(services.Code.NOT_FOUND, _("No such partner."), field="partner_id") from None


class PartnerNestedMixin:
    """Views under /partners/{partner_id}/: the partner in the URL must exist in this shop."""

    def _partner_id(self) -> int:
        partner_id = PartnerViewSet._pk(self.kwargs.get("partner_id"))
        if not Partner.objects.filter(pk=partner_id).exists():
            raise NotFound(services.Code.NOT_FOUND, _("No such partner."), field="partner_id")
        return partner_id


@extend_schema_view(
    list=extend_schema(operation_id="partner_contacts_list", responses={200: ContactSerializer(many=True), **ERRORS}),
)
class ContactViewSet(PartnerNestedMixin, mixins.ListModelMixin, ApiViewSet):
    """The contacts of one partner."""

    permission_classes = [HasScope, PartnersRolePermission]
    serializer_class = ContactSerializer
    filter_backends: list = []
    pagination_class = None
    queryset = Contact.objects.none()  # for the schema; get_queryset narrows to the partner

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contact.objects.none()
        return selectors.partner_contacts(partner_id=self._partner_id())

    @extend_schema(
        operation_id="partner_contacts_create",
        request=ContactInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: ContactSerializer, **ERRORS},
    )
    def create(self, request, partner_id=None):
        data = ContactInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = services.contact_create(partner_id=self._partner_id(), **data.validated_data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="partner_contacts_update",
        request=ContactInputSerializer(partial=True),
        responses={200: ContactSerializer, **ERRORS},
    )
    def partial_update(self, request, partner_id=None, pk=None):
        data = ContactInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        contact = services.contact_update(
            partner_id=self._partner_id(), contact_id=PartnerViewSet._pk(pk), **data.validated_data
        )
        return Response(ContactSerializer(contact).data)

    @extend_schema(operation_id="partner_contacts_delete", responses={204: None, **ERRORS})
    def destroy(self, request, partner_id=None, pk=None):
        services.contact_delete(partner_id=self._partner_id(), contact_id=PartnerViewSet._pk(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(operation_id="partner_items_list", responses={200: SupplierItemSerializer(many=True), **ERRORS}),
)
class SupplierItemViewSet(PartnerNestedMixin, mixins.ListModelMixin, ApiViewSet):
    """The items a supplier supplies, with the supplier's item code and the last purchase price."""

    permission_classes = [HasScope, PartnersRolePermission]
    serializer_class = SupplierItemSerializer
    filter_backends: list = []
    queryset = SupplierItem.objects.none()  # for the schema; get_queryset narrows to the supplier

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SupplierItem.objects.none()
        return selectors.supplier_items(supplier_id=self._partner_id())

    @extend_schema(
        operation_id="partner_items_set",
        request=SupplierItemInputSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: SupplierItemSerializer, **ERRORS},
    )
    def create(self, request, partner_id=None):
        data = SupplierItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.supplier_item_set(supplier_id=self._partner_id(), **data.validated_data)
        return Response(SupplierItemSerializer(SupplierItem.objects.select_related("item").get(pk=row.pk)).data)

    @extend_schema(
        operation_id="partner_items_update",
        request=SupplierItemUpdateSerializer,
        responses={200: SupplierItemSerializer, **ERRORS},
    )
    def partial_update(self, request, partner_id=None, pk=None):
        data = SupplierItemUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        row = services.supplier_item_update(
            supplier_id=self._partner_id(), supplier_item_id=PartnerViewSet._pk(pk), **data.validated_data
        )
        return Response(SupplierItemSerializer(SupplierItem.objects.select_related("item").get(pk=row.pk)).data)

    @extend_schema(operation_id="partner_items_delete", responses={204: None, **ERRORS})
    def destroy(self, request, partner_id=None, pk=None):
        services.supplier_item_remove(supplier_id=self._partner_id(), supplier_item_id=PartnerViewSet._pk(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        operation_id="item_suppliers_list",
        parameters=[
            OpenApiParameter("item_id", int, required=True),
            OpenApiParameter("active", bool, description="Only active suppliers (default true)"),
        ],
        responses={200: ItemSupplierSerializer(many=True), **ERRORS},
    ),
)
class ItemSupplierViewSet(mixins.ListModelMixin, ApiViewSet):
    """Who supplies one item, cheapest known last price first."""

    serializer_class = ItemSupplierSerializer
    filter_backends: list = []
    pagination_class = None
    queryset = SupplierItem.objects.none()  # for the schema

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SupplierItem.objects.none()
        try:
            item_id = int(self.request.query_params.get("item_id", ""))
        except ValueError:
            raise exceptions.ValidationError({"item_id": [_("Give the item's id.")]}) from None
        active = _parse_active(self.request.query_params.get("active"))
        return selectors.item_suppliers(item_id=item_id, active_only=active is not False)
