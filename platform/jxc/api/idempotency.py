"""`Idempotency-Key` for POST: the first response is stored and replayed; a reused key with another body is a 409.

Every API view that accepts POST inherits `IdempotencyMixin` (through `jxc.api.base.ApiView` or by
mixing it into a generic view); a test walks the URL conf to make sure none is missed.

Flow: after authentication and permission checks, the record (principal, key) is inserted as
`in_progress` in its own autocommitted statement, so a concurrent duplicate sees it and gets
`409 idempotency_in_progress` instead of running the command twice. When the response is ready it
is stored (4xx included: a replay must not succeed where the original failed); a 5xx or a crash
deletes the record so the client may retry, and one left `in_progress` by a killed worker is taken
over after five minutes. Records older than 24 hours are ignored and replaced
(purge-on-read) and deleted in bulk by `jxc.api.tasks.idempotency_records_purge`.
"""

import hashlib
import json
import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from jxc.api.enums import ApiErrorCode, IdempotencyStatus
from jxc.api.models import IdempotencyRecord
from jxc.api.principals import principal_id
from jxc.kernel.errors import AppError, Conflict

logger = logging.getLogger(__name__)

HEADER = "HTTP_IDEMPOTENCY_KEY"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = timedelta(hours=24)
# A request still "in progress" after this long died with its worker (gunicorn kills far sooner): take it over.
ABANDONED_AFTER = timedelta(minutes=5)
MAX_KEY_LENGTH = 255
REDACTED = None


class _Replay(Exception):  # noqa: N818 - control flow, not an error
    def __init__(self, response: Response):
        super().__init__("idempotent replay")
        self.response = response


def request_fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(b"\0")
    digest.update(request.path.encode())
    digest.update(b"\0")
    try:
        body = request.body or b""
    except RawPostDataException:  # a multipart body already streamed: fall back to the parsed data
        body = json.dumps(request.data, sort_keys=True, default=str).encode()
    digest.update(body)
    return digest.hexdigest()


def _replay_response(record: IdempotencyRecord) -> Response:
    return Response(record.response_body, status=record.response_status, headers={REPLAYED_HEADER: "true"})


def idempotency_begin(*, request, key: str) -> IdempotencyRecord:
    """Claim (principal, key) for this request, or raise: a replay, a reused key, one still in progress."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise AppError(
            ApiErrorCode.IDEMPOTENCY_KEY_INVALID,
            _("The Idempotency-Key header must be 1 to %(max)d characters.") % {"max": MAX_KEY_LENGTH},
            field="Idempotency-Key",
        )
    principal = principal_id(request)
    fingerprint = request_fingerprint(request)
    now = timezone.now()
    defaults = {"method": request.method, "path": request.path[:500], "request_hash": fingerprint, "created_at": now}
    for _attempt in range(2):
        try:
            # Its own transaction, committed before the command runs, so parallel duplicates see it.
            with transaction.atomic():
                record, created = IdempotencyRecord.objects.get_or_create(
                    principal=principal, key=key, defaults=defaults
                )
        except IntegrityError:  # lost a race with a purge-and-reinsert; look again
            continue
        if created:
            return record
        if record.created_at < now - TTL:
            # Expired: forget it and claim the key afresh (purge-on-read).
            IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).delete()
            continue
        abandoned = record.status == IdempotencyStatus.IN_PROGRESS and record.created_at < now - ABANDONED_AFTER
        if abandoned:
            IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).delete()
            continue
        if record.request_hash != fingerprint:
            raise Conflict(
                ApiErrorCode.IDEMPOTENCY_KEY_REUSED,
                _("This Idempotency-Key was already used for a different request."),
                field="Idempotency-Key",
            )
        if record.status == IdempotencyStatus.IN_PROGRESS:
            raise Conflict(
                ApiErrorCode.IDEMPOTENCY_IN_PROGRESS,
                _("A request with this Idempotency-Key is still being processed. Retry shortly."),
                field="Idempotency-Key",
            )
        raise _Replay(_replay_response(record))
    raise Conflict(
        ApiErrorCode.IDEMPOTENCY_IN_PROGRESS,
        _("A request with this Idempotency-Key is still being processed. Retry shortly."),
        field="Idempotency-Key",
    )


def _storable_body(response: Response, redact: tuple[str, ...]):
    data = getattr(response, "data", None)
    body = json.loads(JSONRenderer().render(data)) if data is not None else None
    if isinstance(body, dict):
        for name in redact:
            if name in body:
                body[name] = REDACTED
    return body


def idempotency_finish(*, record: IdempotencyRecord, response, redact: tuple[str, ...] = ()) -> None:
    """Store a final response, or release the key after a server error so the client may retry."""
    if response.status_code >= 500:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status=IdempotencyStatus.COMPLETED,
        response_status=response.status_code,
        response_body=_storable_body(response, redact),
    )


def idempotency_records_purge(*, older_than: timedelta = TTL) -> int:
    """Delete expired records of the current schema; returns how many."""
    deleted, _detail = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted


class IdempotencyMixin:
    """Gives a DRF view `Idempotency-Key` support on POST.

    `idempotency_redact_fields` names top-level response fields never stored (a secret shown once,
    such as a new API key): a replay carries them as null.
    """

    idempotency_redact_fields: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        self._idempotency_record = None
        super().initial(request, *args, **kwargs)
        key = request.META.get(HEADER)
        if request.method == "POST" and key is not None:
            self._idempotency_record = idempotency_begin(request=request, key=key.strip())

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "_idempotency_record", None)
        if record is not None:
            self._idempotency_record = None
            try:
                idempotency_finish(record=record, response=response, redact=self.idempotency_redact_fields)
            except Exception:
                # Never turn a good answer into an error because storing it failed; free the key instead.
                logger.exception("could not store idempotent response")
                IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return response
