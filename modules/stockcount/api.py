"""Stock counts under /api/v1/stock/counts: thin views over the services; reads need "read", writes "write"."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.api.base import ApiViewSet
from jxc.api.permissions import HasScope
from jxc.api.principals import request_api_key
from modules.stockcount import selectors, services
from modules.stockcount.models import CountStatus, StockCount
from modules.stockcount.serializers import (
    CountedSetSerializer,
    CountReverseSerializer,
    LineAddSerializer,
    PostingSerializer,
    PostSerializer,
    ScanResultSerializer,
    ScanSerializer,
    StockCountCreateSerializer,
    StockCountDetailSerializer,
    StockCountLineSerializer,
    StockCountSerializer,
)


class StockCountPermission(permissions.BasePermission):
    """A signed-in user also needs the stock count permission of the write (a key's scopes suffice)."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request_api_key(request) is not None:
            return True
        action_name = "add" if getattr(view, "action", None) == "create" else "change"
        return request.user.has_perm(f"stockcount.{action_name}_stockcount")


def _tz(request) -> str:
    return request.tenant.timezone


def _user(request):
    # An API key's request.user is not a merchant user: such counts have no creator.
    return request.user if getattr(request.user, "pk", None) else None


def _detail(count: StockCount, *, only: str | None = None, fetched: bool = False) -> dict:
    """The count with its summary and lines; re-read (with its relations) unless `fetched` by stock_count_detail."""
    if not fetched:
        count = selectors.stock_count_detail(pk=count.pk)
    count.line_rows = selectors.stock_count_lines(count=count, only=only)
    count.summary = selectors.stock_count_summary(count=count)
    return StockCountDetailSerializer(count).data


def _posting(posting: services.CountPosting) -> dict:
    return {"count": _detail(posting.count), "revalued": [vars(doc) for doc in posting.revalued]}


ONLY = OpenApiParameter(
    "only", str, required=False, enum=list(selectors.LINE_FILTERS), description="Show only these lines."
)


@extend_schema_view(
    list=extend_schema(
        operation_id="stock_counts_list",
        parameters=[OpenApiParameter("status", str, required=False, enum=CountStatus.values)],
        tags=["stock"],
    ),
    retrieve=extend_schema(
        operation_id="stock_counts_retrieve", parameters=[ONLY], responses=StockCountDetailSerializer, tags=["stock"]
    ),
)
class StockCountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Stock counts (盘点): create with a scope, freeze the expected figures, count (by quantity or by
    barcode scan), post the differences as stock adjustments, cancel, or reverse a posted count."""

    serializer_class = StockCountSerializer
    permission_classes = [HasScope, StockCountPermission]
    queryset = StockCount.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.stock_count_list(status=self.request.query_params.get("status") or None)

    def _count(self, pk) -> StockCount:
        return get_object_or_404(StockCount, pk=pk)

    def retrieve(self, request, pk=None):
        try:
            count = selectors.stock_count_detail(pk=pk)
        except StockCount.DoesNotExist:
            raise Http404 from None
        return Response(_detail(count, only=request.query_params.get("only") or None, fetched=True))

    @extend_schema(
        operation_id="stock_counts_create",
        request=StockCountCreateSerializer,
        responses={201: StockCountDetailSerializer},
        tags=["stock"],
    )
    def create(self, request):
        serializer = StockCountCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        count = services.stock_count_create(
            warehouse=data["warehouse"],
            scope=data["scope"],
            location=data.get("location"),
            category=data.get("category"),
            include_zero_stock=data["include_zero_stock"],
            note=data["note"],
            on=data.get("date"),
            tz_name=_tz(request),
            created_by=_user(request),
        )
        return Response(_detail(count), status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="stock_counts_freeze", request=None, responses=StockCountDetailSerializer, tags=["stock"]
    )
    @action(detail=True, methods=["post"])
    def freeze(self, request, pk=None):
        """Start counting: freeze each item × location × lot's on-hand in scope as its expected quantity."""
        return Response(_detail(services.stock_count_freeze(count=self._count(pk))))

    @extend_schema(
        operation_id="stock_counts_counted_set",
        request=CountedSetSerializer,
        responses=StockCountLineSerializer(many=True),
        tags=["stock"],
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def counted(self, request, pk=None):
        """Set counted quantities of lines (replacing what was there); errors name "lines.N.counted"."""
        count = self._count(pk)
        serializer = CountedSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entries = [
            services.CountedEntry(entry["line"], entry["counted"], entry.get("unit"))
            for entry in serializer.validated_data["lines"]
        ]
        lines = services.stock_count_counted_set(count=count, entries=entries)
        rows = selectors.stock_count_lines(count=count).filter(pk__in=[line.pk for line in lines])
        return Response(StockCountLineSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="stock_counts_lines_add",
        request=LineAddSerializer,
        responses={201: StockCountLineSerializer},
        tags=["stock"],
    )
    @action(detail=True, methods=["post"])
    def lines(self, request, pk=None):
        """Add stock found that the count did not expect (its expected quantity is 0)."""
        count = self._count(pk)
        serializer = LineAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        line = services.stock_count_line_add(
            count=count,
            item=data["item"],
            counted=data["counted"],
            location=data.get("location"),
            lot=data.get("lot"),
            unit=data.get("unit"),
        )
        row = selectors.stock_count_lines(count=count).get(pk=line.pk)
        return Response(StockCountLineSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="stock_counts_scan", request=ScanSerializer, responses=ScanResultSerializer, tags=["stock"]
    )
    @action(detail=True, methods=["post"])
    def scan(self, request, pk=None):
        """One barcode scan: 1 base unit (or the package's factor) onto the item's line at the location."""
        count = self._count(pk)
        serializer = ScanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.stock_count_scan(
            count=count,
            barcode=serializer.validated_data["barcode"],
            location=serializer.validated_data.get("location"),
        )
        row = selectors.stock_count_lines(count=count).get(pk=result.line.pk)
        return Response(ScanResultSerializer({"added": result.added, "created": result.created, "line": row}).data)

    @extend_schema(
        operation_id="stock_counts_post", request=PostSerializer, responses=PostingSerializer, tags=["stock"]
    )
    @action(detail=True, methods=["post"], url_path="post")
    def post_count(self, request, pk=None):
        """Post the differences (counted − frozen expected) as stock adjustments."""
        count = self._count(pk)
        serializer = PostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        posting = services.stock_count_post(
            count=count, tz_name=_tz(request), uncounted=serializer.validated_data["uncounted"]
        )
        return Response(_posting(posting))

    @extend_schema(
        operation_id="stock_counts_cancel", request=None, responses=StockCountDetailSerializer, tags=["stock"]
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a count that is not posted (it keeps its number)."""
        return Response(_detail(services.stock_count_cancel(count=self._count(pk))))

    @extend_schema(
        operation_id="stock_counts_reverse",
        request=CountReverseSerializer,
        responses={201: PostingSerializer},
        tags=["stock"],
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Reverse (红冲) a posted count: a new count with its own number posts the mirror of its moves."""
        count = self._count(pk)
        serializer = CountReverseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        posting = services.stock_count_reverse(
            count=count, tz_name=_tz(request), on=serializer.validated_data.get("date"), created_by=_user(request)
        )
        return Response(_posting(posting), status=status.HTTP_201_CREATED)
