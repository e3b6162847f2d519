"""Every error under /api/ is JSON: `{"code", "message", "field"?, "errors"?}` in the caller's language."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from jxc.api.enums import ApiErrorCode
from jxc.kernel.errors import AppError

logger = logging.getLogger(__name__)

# DRF's default codes, renamed where ours read better for API clients.
CODE_RENAMES = {
    "not_found": ApiErrorCode.NOT_FOUND,
    "permission_denied": "permission_denied",
    "invalid": ApiErrorCode.VALIDATION_ERROR,
}


def _flatten(detail) -> dict[str, list[str]]:
    """DRF's nested error detail as {"field": ["message", ...]}, nested fields dotted."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for name, value in detail.items():
            for sub, messages in _flatten(value).items():
                out[f"{name}.{sub}" if sub else str(name)] = messages
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {"": [str(item) for item in detail]}
        out = {}
        for index, value in enumerate(detail):
            for sub, messages in _flatten(value).items():
                out[f"{index}.{sub}" if sub else str(index)] = messages
        return out
    return {"": [str(detail)]}


def error_body(code: str, message, *, field: str | None = None, errors: dict | None = None) -> dict:
    body = {"code": code, "message": str(message)}
    if field:
        body["field"] = field
    if errors:
        body["errors"] = errors
    return body


def _validation_body(detail) -> dict:
    errors = _flatten(detail)
    field_errors = {name or "non_field_errors": messages for name, messages in errors.items()}
    first = next(iter(field_errors), None)
    field = first if first and first != "non_field_errors" else None
    message = field_errors[first][0] if first else _("Invalid input.")
    return error_body(ApiErrorCode.VALIDATION_ERROR, message, field=field, errors=field_errors)


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: application errors, DRF errors and crashes all become JSON."""
    headers = {}
    if isinstance(exc, AppError):
        set_rollback()
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, exceptions.APIException):
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        set_rollback()
        if isinstance(exc, exceptions.ValidationError):
            body = _validation_body(exc.detail)
        else:
            detail = exc.detail
            code = detail.code if hasattr(detail, "code") else exc.default_code
            body = error_body(CODE_RENAMES.get(code, code), detail)
        return Response(body, status=exc.status_code, headers=headers)

    # Anything else is a bug: log it (Sentry picks the log up) and answer JSON, never an HTML traceback.
    logger.exception("unhandled API error", exc_info=exc)
    set_rollback()
    return Response(
        error_body(ApiErrorCode.SERVER_ERROR, _("Something went wrong on our side. Please try again later.")),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def api_not_found(request, *args, **kwargs):
    """Unknown paths under /api/ answer JSON, not the shop's HTML 404 page."""
    return JsonResponse(error_body(ApiErrorCode.NOT_FOUND, _("Not found.")), status=404)
