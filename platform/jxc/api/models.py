"""API keys of one shop (tenant schema) and the stored responses of idempotent POSTs."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey

from jxc.api.enums import IdempotencyStatus, Scope


class TenantAPIKey(AbstractAPIKey):
    """A key lives in its shop's schema, so a key of one shop does not exist on another's host.

    The library stores only a hash of the key and its first 8 characters (`prefix`) in clear.
    """

    scopes = ArrayField(models.CharField(max_length=20, choices=Scope.choices), verbose_name=_("scopes"), default=list)
    created_by_id = models.BigIntegerField(_("created by (user id)"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta(AbstractAPIKey.Meta):
        abstract = False
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    @property
    def is_usable(self) -> bool:
        return not self.revoked and not self.has_expired


class IdempotencyRecord(models.Model):
    """The first response to a POST sent with an `Idempotency-Key`, replayed for 24 hours."""

    principal = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=IdempotencyStatus.choices, default=IdempotencyStatus.IN_PROGRESS)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="idempotency_principal_key_unique")]

    def __str__(self) -> str:
        return f"{self.principal} {self.key}"
