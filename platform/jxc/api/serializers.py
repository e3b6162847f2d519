"""Shapes of the API's own endpoints (also what the OpenAPI schema shows)."""

from rest_framework import serializers

from jxc.api.enums import Scope
from jxc.api.models import TenantAPIKey


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class TenantInfoSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    plan = serializers.CharField(allow_null=True, help_text="Plan code")
    timezone = serializers.CharField()
    currency = serializers.CharField()


class PrincipalSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["api_key", "user"])
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=Scope.choices))
    name = serializers.CharField(required=False, help_text="API key name")
    prefix = serializers.CharField(required=False, help_text="API key prefix")
    email = serializers.EmailField(required=False, help_text="Signed-in user's email")
    role = serializers.CharField(required=False, allow_null=True, help_text="Signed-in user's role")


class MeSerializer(serializers.Serializer):
    tenant = TenantInfoSerializer()
    principal = PrincipalSerializer()


class ApiKeySerializer(serializers.ModelSerializer):
    created_at = serializers.DateTimeField(source="created")
    expires_at = serializers.DateTimeField(source="expiry_date", allow_null=True)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=Scope.choices))

    class Meta:
        model = TenantAPIKey
        fields = ["prefix", "name", "scopes", "created_at", "last_used_at", "expires_at", "revoked", "revoked_at"]
        read_only_fields = fields


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=Scope.choices), allow_empty=False)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(
        allow_null=True,
        help_text="The full key, shown only in this response (null in an idempotent replay). Store it now.",
    )

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
        read_only_fields = fields
