"""The API's own endpoints: who am I, API key management, schema and docs."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import permissions, status
from rest_framework.response import Response

from jxc.api import selectors, services
from jxc.api.base import ApiView
from jxc.api.enums import Scope
from jxc.api.permissions import HasScope, IsOwnerSession
from jxc.api.principals import principal_scopes, request_api_key, user_role
from jxc.api.serializers import (
    ApiKeyCreatedSerializer,
    ApiKeyCreateSerializer,
    ApiKeySerializer,
    ErrorSerializer,
    MeSerializer,
)

ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Missing, invalid, revoked or expired credentials"),
    403: OpenApiResponse(ErrorSerializer, description="Missing scope or role"),
}
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Replays the first response for 24 hours; reusing it with another body is a 409.",
)


def _scopes_list(scopes) -> list[str]:
    return [scope for scope in Scope.values if scope in scopes]


class MeView(ApiView):
    """The shop this host belongs to, and who is calling with which scopes."""

    # Any authenticated principal may ask who it is, whatever its scopes (a finance-only key too).
    required_scopes = {"GET": set()}

    @extend_schema(operation_id="me", responses={200: MeSerializer, **ERRORS}, tags=["account"])
    def get(self, request):
        tenant = request.tenant
        api_key = request_api_key(request)
        scopes = _scopes_list(principal_scopes(request))
        if api_key is not None:
            principal = {"type": "api_key", "name": api_key.name, "prefix": api_key.prefix, "scopes": scopes}
        else:
            principal = {"type": "user", "email": request.user.email, "role": user_role(request.user), "scopes": scopes}
        body = {
            "tenant": {
                "slug": tenant.slug,
                "name": tenant.name,
                "status": tenant.status,
                "plan": tenant.plan.code if tenant.plan_id else None,
                "timezone": tenant.timezone,
                "currency": tenant.currency,
            },
            "principal": principal,
        }
        return Response(body)  # MeSerializer documents this shape; the dict is already plain JSON


class ApiKeyListCreateView(ApiView):
    """The shop's API keys (owner only, signed in). The full key is returned once, by the create call."""

    permission_classes = [HasScope, IsOwnerSession]
    idempotency_redact_fields = ("key",)

    @extend_schema(
        operation_id="api_keys_list", responses={200: ApiKeySerializer(many=True), **ERRORS}, tags=["api keys"]
    )
    def get(self, request):
        return Response(ApiKeySerializer(selectors.api_key_list(), many=True).data)

    @extend_schema(
        operation_id="api_keys_create",
        request=ApiKeyCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: ApiKeyCreatedSerializer, 400: ErrorSerializer, 409: ErrorSerializer, **ERRORS},
        tags=["api keys"],
    )
    def post(self, request):
        serializer = ApiKeyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        api_key, secret = services.api_key_create(
            name=serializer.validated_data["name"],
            scopes=serializer.validated_data["scopes"],
            created_by_id=request.user.pk,
            expires_at=serializer.validated_data.get("expires_at"),
        )
        data = ApiKeySerializer(api_key).data
        data["key"] = secret
        return Response(data, status=status.HTTP_201_CREATED)


class ApiKeyRevokeView(ApiView):
    """Revoke a key for good (owner only, signed in); requests with it are refused at once."""

    permission_classes = [HasScope, IsOwnerSession]

    @extend_schema(
        operation_id="api_keys_revoke",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: ApiKeySerializer, 404: ErrorSerializer, 409: ErrorSerializer, **ERRORS},
        tags=["api keys"],
    )
    def post(self, request, prefix: str):
        api_key = services.api_key_revoke(prefix=prefix, revoked_by_id=request.user.pk)
        return Response(ApiKeySerializer(api_key).data)


class SchemaView(SpectacularAPIView):
    """The OpenAPI document: public, the same for every shop, no credentials needed."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    required_scopes = None


class DocsView(SpectacularSwaggerView):
    """Swagger UI, served from the drf-spectacular-sidecar package (no CDN: a shop may have no internet)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    required_scopes = None
