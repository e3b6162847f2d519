"""Who is calling the API and which scopes they hold: an API key, or a signed-in merchant user."""

from django.contrib.auth.models import AnonymousUser

from jxc.api.enums import Scope
from jxc.api.models import TenantAPIKey
from modules.identity.access import user_role as identity_user_role
from modules.identity.roles import Role

OWNER = Role.OWNER
MANAGER = Role.MANAGER
ACCOUNTANT = Role.ACCOUNTANT

ROLE_SCOPES: dict[str, frozenset[str]] = {
    OWNER: frozenset(Scope.values),
    MANAGER: frozenset(Scope.values),
    ACCOUNTANT: frozenset({Scope.READ, Scope.FINANCE_READ, Scope.FINANCE_WRITE}),
    Role.PURCHASING: frozenset({Scope.READ, Scope.WRITE}),
    Role.SALES: frozenset({Scope.READ, Scope.WRITE}),
    Role.WAREHOUSE: frozenset({Scope.READ, Scope.WRITE}),
}


class ApiKeyUser(AnonymousUser):
    """`request.user` for a key-authenticated request: not a merchant user, never staff."""

    def __init__(self, api_key: TenantAPIKey):
        self.api_key = api_key

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def __str__(self) -> str:
        return f"api-key:{self.api_key.prefix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, ApiKeyUser) and other.api_key.pk == self.api_key.pk

    def __hash__(self) -> int:
        return hash(self.api_key.pk)


def user_role(user) -> str:
    """The user's role name, "" for none (the identity module owns roles)."""
    return identity_user_role(user)


def request_api_key(request) -> TenantAPIKey | None:
    return getattr(request, "auth", None) if isinstance(getattr(request, "auth", None), TenantAPIKey) else None


def principal_scopes(request) -> frozenset[str]:
    """The scopes of the caller: the key's own scopes, or those the user's role grants."""
    key = request_api_key(request)
    if key is not None:
        return frozenset(key.scopes)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    # A user without a role (being set up, or demoted) gets nothing rather than a guess.
    return ROLE_SCOPES.get(user_role(user), frozenset())


def principal_id(request) -> str:
    """A stable name of the caller, used to scope idempotency keys."""
    key = request_api_key(request)
    if key is not None:
        return f"key:{key.prefix}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "anonymous"
