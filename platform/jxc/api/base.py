"""Base classes for every view under /api/v1/: scopes, JSON errors and `Idempotency-Key` on POST.

Modules build their endpoints on these (or mix `IdempotencyMixin` into DRF generics first):

    class ItemList(ApiView):                               # GET needs "read", POST needs "write"
    class JournalList(ApiView):
        required_scopes = {"GET": {"finance:read"}, "POST": {"finance:write"}}
"""

from rest_framework import generics, viewsets
from rest_framework.views import APIView

from jxc.api.idempotency import IdempotencyMixin


class ApiView(IdempotencyMixin, APIView):
    required_scopes: dict[str, set[str]] = {}


class GenericApiView(IdempotencyMixin, generics.GenericAPIView):
    required_scopes: dict[str, set[str]] = {}


class ApiViewSet(IdempotencyMixin, viewsets.GenericViewSet):
    required_scopes: dict[str, set[str]] = {}
