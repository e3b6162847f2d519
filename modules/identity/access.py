"""Who may do what: the role of a user, and a view guard other modules use.

A merchant user holds exactly one role, stored as membership of the role's group."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from modules.identity.roles import ROLE_RULES

_ROLE_CACHE_ATTR = "_identity_role"


def user_role(user) -> str:
    """The user's role name (see roles.Role), or "" for an anonymous or role-less user."""
    if not getattr(user, "is_authenticated", False):
        return ""
    cached = getattr(user, _ROLE_CACHE_ATTR, None)
    if cached is None:
        names = {group.name for group in user.groups.all()}
        # One role per user; should there be several, the most powerful (first listed) wins.
        cached = next((role for role in ROLE_RULES if role in names), "")
        setattr(user, _ROLE_CACHE_ATTR, cached)
    return cached


def user_role_forget(user) -> None:
    """Drop the per-object role cache after the role changed."""
    if hasattr(user, _ROLE_CACHE_ATTR):
        delattr(user, _ROLE_CACHE_ATTR)


def _check(request, roles: tuple[str, ...]):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_active or user_role(request.user) not in roles:
        raise PermissionDenied
    return None


def role_required(*roles: str) -> Callable:
    """Decorate a view: anonymous users go to the login page, users of another role get 403."""
    unknown = set(roles) - set(ROLE_RULES)
    if not roles or unknown:
        raise ValueError(f"role_required needs known roles, got {roles!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refused = _check(request, roles)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin:
    """The class-based form of role_required: set `roles = (Role.OWNER, ...)`."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        refused = _check(request, tuple(self.roles))
        if refused is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)


def merchant_access(permission: str | None = None) -> Callable:
    """Reading needs a signed-in merchant user (any role); writing also the Django permission given."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.is_active or not user_role(request.user):
                raise PermissionDenied
            if permission and not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
