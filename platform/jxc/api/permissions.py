"""`HasScope`: each view declares the scopes a method needs; the caller must hold all of them.

Defaults: safe methods need `read`, unsafe ones `write`. A view overrides with
`required_scopes = {"GET": {"finance:read"}, "POST": {"finance:write"}}` (a method missing from the
mapping falls back to the default), or with `required_scopes = None` and its own permission classes
for endpoints that need no scope (the schema and docs).
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions

from jxc.api.enums import ApiErrorCode, Scope
from jxc.api.principals import principal_scopes, request_api_key, user_role
from modules.identity.roles import Role

DEFAULT_SAFE_SCOPES = frozenset({Scope.READ.value})
DEFAULT_UNSAFE_SCOPES = frozenset({Scope.WRITE.value})


def required_scopes_for(view, method: str) -> frozenset[str]:
    declared = getattr(view, "required_scopes", {}) or {}
    if method in declared:
        return frozenset(declared[method])
    if method == "HEAD" and "GET" in declared:
        return frozenset(declared["GET"])
    return DEFAULT_SAFE_SCOPES if method in permissions.SAFE_METHODS else DEFAULT_UNSAFE_SCOPES


class HasScope(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated()
        needed = required_scopes_for(view, request.method)
        missing = needed - principal_scopes(request)
        if missing:
            raise exceptions.PermissionDenied(
                _("This request needs the scope(s): %(scopes)s.") % {"scopes": ", ".join(sorted(missing))},
                code=ApiErrorCode.INSUFFICIENT_SCOPE,
            )
        return True


class IsOwnerSession(permissions.BasePermission):
    """Managing access is the owner's job, done signed in (a key cannot mint or revoke keys)."""

    def has_permission(self, request, view) -> bool:
        if request_api_key(request) is not None:
            raise exceptions.PermissionDenied(
                _("Sign in as the shop owner to manage API keys; an API key cannot."),
                code=ApiErrorCode.SESSION_REQUIRED,
            )
        if user_role(request.user) != Role.OWNER:
            raise exceptions.PermissionDenied(
                _("Only the shop owner may manage API keys."), code=ApiErrorCode.OWNER_REQUIRED
            )
        return True
