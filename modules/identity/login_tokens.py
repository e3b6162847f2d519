"""One-time login across subdomains: signup on the public host hands the new owner to their shop.

The token is signed (django.core.signing, a salt of its own, 120 s), names the shop's schema so it
only works on that shop's host, and carries a random jti that the shop records when it is spent:
the unique jti makes a replay, or two racing uses, fail."""

import secrets

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.identity.enums import IdentityErrorCode as Code
from modules.identity.models import LoginTokenUse
from tenants.addresses import public_url

SALT = "modules.identity.login_tokens"
MAX_AGE_SECONDS = 120


def safe_next_path(next_path: str | None) -> str:
    """Only a local path: never another host, never a scheme."""
    if next_path and next_path.startswith("/") and url_has_allowed_host_and_scheme(next_path, allowed_hosts=set()):
        return next_path
    return "/"


def login_token_make(*, schema_name: str, user_id: int, next_path: str = "/") -> str:
    payload = {"s": schema_name, "u": int(user_id), "j": secrets.token_urlsafe(16), "n": safe_next_path(next_path)}
    return signing.dumps(payload, salt=SALT, compress=False)


def login_token_url(*, tenant, user_id: int, next_path: str = "/") -> str:
    """An absolute address on the shop's host that logs `user_id` in once, then goes to `next_path`."""
    from urllib.parse import urlencode

    token = login_token_make(schema_name=tenant.schema_name, user_id=user_id, next_path=next_path)
    return public_url(f"/accounts/token-login/?{urlencode({'token': token})}", slug=tenant.slug)


def login_token_spend(*, token: str, schema_name: str) -> tuple[int, str]:
    """Check and consume a token in the current schema; returns (user id, next path)."""
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise AppError(
            Code.LOGIN_TOKEN_EXPIRED, _("This login link has expired. Please log in with your password.")
        ) from None
    except signing.BadSignature:
        raise AppError(
            Code.LOGIN_TOKEN_INVALID, _("This login link is not valid. Please log in with your password.")
        ) from None
    if not isinstance(payload, dict) or not {"s", "u", "j"} <= payload.keys():
        raise AppError(Code.LOGIN_TOKEN_INVALID, _("This login link is not valid. Please log in with your password."))
    if payload["s"] != schema_name:
        raise AppError(Code.LOGIN_TOKEN_WRONG_SHOP, _("This login link belongs to another shop."), status=403)
    try:
        with transaction.atomic():
            LoginTokenUse.objects.create(jti=str(payload["j"])[:64], user_id=int(payload["u"]))
    except IntegrityError:
        raise AppError(
            Code.LOGIN_TOKEN_USED, _("This login link has already been used. Please log in with your password.")
        ) from None
    return int(payload["u"]), safe_next_path(payload.get("n"))
