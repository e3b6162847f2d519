"""Write paths for merchant users and roles in the current tenant schema.

Only owners manage people. Every check that guards "the shop keeps an owner" and
"the plan's user limit" runs under a lock, so two concurrent requests cannot both pass."""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError, PermissionDenied
from modules.identity import selectors
from modules.identity.access import user_role, user_role_forget
from modules.identity.enums import IdentityErrorCode as Code
from modules.identity.models import Invitation, Profile
from modules.identity.roles import ROLE_RULES, Role

logger = logging.getLogger(__name__)

INVITATION_TTL = timedelta(days=7)
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


@transaction.atomic
def roles_sync() -> None:
    """Create the role groups and give each exactly the permissions its rule grants."""
    permissions = list(Permission.objects.select_related("content_type"))
    for role, rule in ROLE_RULES.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([p for p in permissions if rule.grants(p.content_type.app_label, p.codename)])


def user_create_owner(*, email: str, password_hash: str, language: str = "zh-hans") -> User:
    """The shop's first user. `password_hash` is already hashed (signup hashes before provisioning)."""
    email = email.strip().lower()
    user = User(username=email, email=email, password=password_hash, is_active=True)
    user.save()
    user.groups.add(Group.objects.get(name=Role.OWNER))
    Profile.objects.create(user=user, language=language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE)
    return user


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise AppError(Code.EMAIL_INVALID, _("Enter a valid email address."), field="email") from None
    return email


def _require_role(role: str) -> None:
    if role not in ROLE_RULES:
        raise AppError(Code.ROLE_INVALID, _("Choose one of the listed roles."), field="role")


def _require_owner(acting_user: User) -> None:
    if not acting_user.is_active or user_role(acting_user) != Role.OWNER:
        raise PermissionDenied(Code.NOT_ALLOWED, _("Only the shop owner can manage users."))


def _lock_people() -> None:
    """Serialise the writes that count seats or owners in this schema (released at commit)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}:identity.people"])


def _require_seat(*, field: str, exclude_invitation_email: str | None = None) -> None:
    limit = selectors.user_limit()
    if limit is None:
        return
    if selectors.seats_taken(exclude_invitation_email=exclude_invitation_email) >= limit:
        raise AppError(
            Code.USER_LIMIT_REACHED,
            _(
                "Your plan allows %(limit)d users, counting pending invitations. "
                "Deactivate a user, cancel an invitation or upgrade your plan."
            )
            % {"limit": limit},
            field=field,
        )


def _active_owner_count() -> int:
    return User.objects.filter(is_active=True, groups__name=Role.OWNER).count()


def _role_set(user: User, role: str) -> None:
    user.groups.remove(*Group.objects.filter(name__in=list(ROLE_RULES)).exclude(name=role))
    user.groups.add(Group.objects.get(name=role))
    user_role_forget(user)


@transaction.atomic
def user_invite(*, email: str, role: str, invited_by: User) -> Invitation:
    """Invite a colleague by email with a role; the email leaves after commit.

    Inviting an address again replaces its pending invitation (a fresh link, the old one stops working).
    The returned invitation carries the raw token in `.token` (never stored) for the caller's eyes only."""
    _require_owner(invited_by)
    email = _normalise_email(email)
    _require_role(role)
    _lock_people()
    if User.objects.filter(username=email).exists():
        raise AppError(
            Code.ALREADY_A_USER, _("%(email)s already has an account in this shop.") % {"email": email}, field="email"
        )
    _require_seat(field="email", exclude_invitation_email=email)
    now = timezone.now()
    selectors.invitation_pending_list().filter(email=email).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email, role=role, token_hash=token_hash(token), invited_by=invited_by, expires_at=now + INVITATION_TTL
    )
    invitation.token = token
    _invitation_send_after_commit(invitation.pk, token)
    logger.info("user %s invited %s as %s", invited_by.pk, email, role)
    return invitation


def _invitation_send_after_commit(invitation_id: int, token: str) -> None:
    from modules.identity.tasks import invitation_send

    # The schema is taken now: by the time on_commit runs, the connection may serve another tenant.
    schema_name = connection.schema_name
    transaction.on_commit(
        lambda: invitation_send.apply_async(args=[invitation_id, token], headers={"_schema_name": schema_name})
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, acting_user: User) -> Invitation:
    _require_owner(acting_user)
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise AppError(Code.INVITATION_USED, _("This invitation was already accepted or cancelled."))
    invitation.refresh_from_db()
    return invitation


def invitation_get_pending(*, token: str) -> Invitation:
    """The invitation a token opens, or an AppError saying why it cannot be used."""
    invitation = Invitation.objects.filter(token_hash=token_hash(token or "")).first()
    if invitation is None or invitation.revoked_at is not None:
        raise AppError(
            Code.INVITATION_INVALID, _("This invitation link is not valid. Ask the shop owner for a new one.")
        )
    if invitation.accepted_at is not None:
        raise AppError(Code.INVITATION_USED, _("This invitation has already been accepted. Please log in."))
    if invitation.expires_at <= timezone.now():
        raise AppError(Code.INVITATION_EXPIRED, _("This invitation has expired. Ask the shop owner for a new one."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, name: str, password: str) -> User:
    """Create the invited user with the invitation's role (the caller logs them in)."""
    _lock_people()
    invitation = invitation_get_pending(token=token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise AppError(Code.INVITATION_USED, _("This invitation has already been accepted. Please log in."))
    name = (name or "").strip()
    if not name:
        raise AppError(Code.NAME_REQUIRED, _("Enter your name."), field="name")
    if len(name) > 150:
        raise AppError(Code.NAME_REQUIRED, _("Your name can be at most 150 characters."), field="name")
    if User.objects.filter(username=invitation.email).exists():
        raise AppError(
            Code.ALREADY_A_USER, _("%(email)s already has an account in this shop.") % {"email": invitation.email}
        )
    user = User(username=invitation.email, email=invitation.email, first_name=name, is_active=True)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AppError(Code.PASSWORD_INVALID, " ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save()
    _role_set(user, invitation.role)
    language = get_language() or settings.LANGUAGE_CODE
    Profile.objects.create(user=user, language=language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    logger.info("invitation %s accepted by user %s", invitation.pk, user.pk)
    return user


def _lock_user(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User) -> User:
    """Stop a user from logging in; their open sessions stop working too (inactive users are not loaded)."""
    _require_owner(acting_user)
    if user.pk == acting_user.pk:
        raise AppError(Code.CANNOT_DEACTIVATE_SELF, _("You cannot deactivate yourself."))
    _lock_people()
    locked = _lock_user(user)
    if not locked.is_active:
        return locked
    if user_role(locked) == Role.OWNER and _active_owner_count() <= 1:
        raise AppError(Code.LAST_OWNER, _("The shop must keep at least one active owner."))
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    logger.info("user %s deactivated user %s", acting_user.pk, user.pk)
    user.is_active = False
    return locked


@transaction.atomic
def user_reactivate(*, user: User, acting_user: User) -> User:
    _require_owner(acting_user)
    _lock_people()
    locked = _lock_user(user)
    if locked.is_active:
        return locked
    _require_seat(field="user")
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    logger.info("user %s reactivated user %s", acting_user.pk, user.pk)
    user.is_active = True
    return locked


@transaction.atomic
def user_set_role(*, user: User, role: str, acting_user: User) -> User:
    _require_owner(acting_user)
    _require_role(role)
    _lock_people()
    locked = _lock_user(user)
    current = user_role(locked)
    if current == role:
        return locked
    if current == Role.OWNER and locked.is_active and _active_owner_count() <= 1:
        raise AppError(Code.LAST_OWNER, _("The shop must keep at least one active owner."), field="role")
    _role_set(locked, role)
    user_role_forget(user)
    logger.info("user %s changed the role of user %s from %s to %s", acting_user.pk, user.pk, current, role)
    return locked


def profile_set_language(*, user: User, language: str) -> Profile:
    if language not in LANGUAGE_CODES:
        raise AppError(Code.LANGUAGE_INVALID, _("Choose one of the listed languages."), field="language")
    profile, _created = Profile.objects.update_or_create(user=user, defaults={"language": language})
    return profile


def profile_language(*, user: User) -> str | None:
    profile = Profile.objects.filter(user=user).first()
    return profile.language if profile is not None else None
