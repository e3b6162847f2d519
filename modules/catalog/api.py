"""The catalog under /api/v1/catalog/: thin views over the services; reads need "read", writes "write"."""

from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.api.base import ApiViewSet, GenericApiView
from jxc.api.permissions import HasScope
from jxc.api.principals import request_api_key
from modules.catalog import selectors, services
from modules.catalog.filters import ItemFilter
from modules.catalog.models import Brand, Category, Item, ItemUnit, Unit
from modules.catalog.serializers import (
    BrandSerializer,
    CategorySerializer,
    ItemReadSerializer,
    ItemSerializer,
    UnitSerializer,
    VariantsGenerateSerializer,
)


class CatalogPermission(permissions.BasePermission):
    """A signed-in user also needs the catalog model permission of the write (a key's scopes suffice)."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request_api_key(request) is not None:
            return True
        model = view.queryset.model._meta
        creates = request.method == "POST" and getattr(view, "action", None) in ("create", "variants")
        action_name = "add" if creates else "change"
        return request.user.has_perm(f"{model.app_label}.{action_name}_{model.model_name}")


def _item_queryset():
    return Item.objects.select_related("category", "brand", "base_unit").prefetch_related(
        "barcodes", Prefetch("units", queryset=ItemUnit.objects.select_related("unit"))
    )


def _max_items(request) -> int | None:
    plan = getattr(request.tenant, "plan", None)
    return plan.max_items if plan is not None else None


@extend_schema_view(
    list=extend_schema(operation_id="catalog_items_list", tags=["catalog"]),
    retrieve=extend_schema(operation_id="catalog_items_retrieve", tags=["catalog"]),
    create=extend_schema(
        operation_id="catalog_items_create",
        request=ItemSerializer,
        responses={201: ItemReadSerializer},
        tags=["catalog"],
    ),
    partial_update=extend_schema(
        operation_id="catalog_items_update", request=ItemSerializer, responses=ItemReadSerializer, tags=["catalog"]
    ),
)
class ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Items. There is no delete: deactivate an item instead (documents keep referring to it)."""

    queryset = _item_queryset()
    serializer_class = ItemReadSerializer
    filterset_class = ItemFilter
    permission_classes = [HasScope, CatalogPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return _item_queryset().order_by("code")

    def create(self, request):
        serializer = ItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        units = [(u["unit"], u["factor"]) for u in data.pop("units", [])]
        item = services.item_create(**data, units=units, max_items=_max_items(request))
        return Response(ItemReadSerializer(self.get_queryset().get(pk=item.pk)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        item = get_object_or_404(Item, pk=pk)
        serializer = ItemSerializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        barcodes = data.pop("barcodes", None)
        units = data.pop("units", None)
        # One transaction for the whole change: a bad barcode leaves the name unchanged too.
        with transaction.atomic():
            services.item_update(item=item, **data)
            if barcodes is not None:
                services.item_barcodes_replace(item=item, codes=barcodes)
            if units is not None:
                for entry in units:
                    services.item_unit_set(item=item, unit=entry["unit"], factor=entry["factor"])
        return Response(ItemReadSerializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(
        operation_id="catalog_items_deactivate", request=None, responses=ItemReadSerializer, tags=["catalog"]
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        item = services.item_deactivate(item=get_object_or_404(Item, pk=pk))
        return Response(ItemReadSerializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(operation_id="catalog_items_activate", request=None, responses=ItemReadSerializer, tags=["catalog"])
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        item = services.item_activate(item=get_object_or_404(Item, pk=pk))
        return Response(ItemReadSerializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(
        operation_id="catalog_items_variants_generate",
        request=VariantsGenerateSerializer,
        responses={201: ItemReadSerializer(many=True)},
        tags=["catalog"],
    )
    @action(detail=True, methods=["post"], url_path="variants")
    def variants(self, request, pk=None):
        serializer = VariantsGenerateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.item_variants_generate(
            item=get_object_or_404(Item, pk=pk),
            attributes=serializer.validated_data["attributes"],
            max_items=_max_items(request),
        )
        items = self.get_queryset().filter(pk__in=[v.pk for v in created])
        return Response(ItemReadSerializer(items, many=True).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(operation_id="catalog_units_list", tags=["catalog"]),
    create=extend_schema(operation_id="catalog_units_create", tags=["catalog"]),
)
class UnitViewSet(mixins.ListModelMixin, ApiViewSet):
    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    permission_classes = [HasScope, CatalogPermission]
    pagination_class = None

    def create(self, request):
        serializer = UnitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unit = services.unit_create(name=serializer.validated_data["name"])
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(operation_id="catalog_brands_list", tags=["catalog"]),
    create=extend_schema(operation_id="catalog_brands_create", tags=["catalog"]),
)
class BrandViewSet(mixins.ListModelMixin, ApiViewSet):
    queryset = Brand.objects.all()
    serializer_class = BrandSerializer
    permission_classes = [HasScope, CatalogPermission]
    pagination_class = None

    def create(self, request):
        serializer = BrandSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        brand = services.brand_create(name=serializer.validated_data["name"])
        return Response(BrandSerializer(brand).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(operation_id="catalog_categories_list", tags=["catalog"]),
    create=extend_schema(operation_id="catalog_categories_create", tags=["catalog"]),
    partial_update=extend_schema(operation_id="catalog_categories_update", tags=["catalog"]),
)
class CategoryViewSet(mixins.ListModelMixin, ApiViewSet):
    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    permission_classes = [HasScope, CatalogPermission]
    pagination_class = None
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request):
        serializer = CategorySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        category = services.category_create(
            name=serializer.validated_data["name"], parent=serializer.validated_data.get("parent")
        )
        return Response(CategorySerializer(category).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        category = get_object_or_404(Category, pk=pk)
        serializer = CategorySerializer(category, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "name" in serializer.validated_data:
            services.category_rename(category=category, name=serializer.validated_data["name"])
        if "parent" in serializer.validated_data:
            services.category_move(category=category, parent=serializer.validated_data["parent"])
        category.refresh_from_db()
        return Response(CategorySerializer(category).data)


class BarcodeLookupView(GenericApiView):
    """The item a scanned barcode belongs to (404 when none)."""

    serializer_class = ItemReadSerializer
    queryset = Item.objects.none()

    @extend_schema(operation_id="catalog_barcode_lookup", responses=ItemReadSerializer, tags=["catalog"])
    def get(self, request, code: str):
        item = selectors.item_by_barcode(code=code)
        if item is None:
            from django.http import Http404

            raise Http404
        return Response(ItemReadSerializer(_item_queryset().get(pk=item.pk)).data)
