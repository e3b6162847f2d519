"""Scopes an API principal may hold, and the API's error codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a key (or a signed-in user) may do through the API.

    - ``read``: read business data (items, partners, stock, documents, reports), except the books.
    - ``write``: create and change business data (documents, items, partners); implies nothing about finance.
    - ``finance:read``: read the books: accounts, journal entries, periods, statements.
    - ``finance:write``: post journal entries, close periods and other changes to the books.

    Safe methods need ``read`` and unsafe ones ``write`` unless a view declares otherwise
    (finance endpoints declare ``finance:read`` / ``finance:write``).
    """

    READ = "read", _("Read business data")
    WRITE = "write", _("Create and change business data")
    FINANCE_READ = "finance:read", _("Read the books (accounts, journal, statements)")
    FINANCE_WRITE = "finance:write", _("Post to the books and close periods")


ALL_SCOPES: frozenset[str] = frozenset(Scope.values)


class ApiErrorCode:
    NOT_AUTHENTICATED = "not_authenticated"
    API_KEY_INVALID = "api_key_invalid"
    API_KEY_MALFORMED = "api_key_malformed"
    INSUFFICIENT_SCOPE = "insufficient_scope"
    PLAN_NO_API_ACCESS = "plan_no_api_access"
    OWNER_REQUIRED = "owner_required"
    SESSION_REQUIRED = "session_required"
    VALIDATION_ERROR = "validation_error"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    SERVER_ERROR = "server_error"
    SCOPE_INVALID = "scope_invalid"
    SCOPES_REQUIRED = "scopes_required"
    NAME_REQUIRED = "name_required"
    API_KEY_NOT_FOUND = "api_key_not_found"
    API_KEY_ALREADY_REVOKED = "api_key_already_revoked"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_IN_PROGRESS = "idempotency_in_progress"
    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"


class IdempotencyStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
