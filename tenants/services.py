"""Provisioning and lifecycle of tenants.

Signup must not wait for migrations: a pool of pre-migrated spare schemas is
kept full, and provisioning claims one by renaming it inside the transaction
that inserts the Tenant and Domain rows and the owner user. An empty pool
falls back to migrating a fresh schema first (django-tenants' ordinary path).
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.utils import ProgrammingError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from jxc.celery import app as celery_app
from jxc.kernel.errors import AppError, Conflict, NotFound
from tenants.addresses import tenant_domain_for
from tenants.enums import TenantErrorCode, TenantStatus
from tenants.models import Domain, SpareSchema, Tenant
from tenants.schema_state import tenant_migration_state
from tenants.slugs import schema_name_for, slug_problem

logger = logging.getLogger(__name__)

SPARE_PREFIX = "spare_"
# unique_violation (the slug row) and duplicate_schema (the renamed schema): a concurrent signup won.
_RACE_SQLSTATES = {"23505", "42P06"}


@dataclass(frozen=True)
class ProvisionResult:
    tenant: Tenant
    owner_id: int
    from_pool: bool


def slug_check(slug: str) -> None:
    """Raise an AppError naming the slug when it cannot be used for a new shop."""
    problem = slug_problem(slug)
    if problem == TenantErrorCode.SLUG_INVALID:
        raise AppError(
            problem,
            _("The shop address must be 3–30 lower-case letters, digits or hyphens, starting with a letter."),
            field="slug",
        )
    if problem == TenantErrorCode.SLUG_RESERVED:
        raise AppError(problem, _("This shop address is reserved; please choose another."), field="slug")
    if Tenant.objects.filter(slug=slug).exists() or schema_exists(schema_name_for(slug)):
        raise Conflict(TenantErrorCode.SLUG_TAKEN, _("This shop address is already taken."), field="slug")


def schema_prepare(schema_name: str) -> None:
    """Create and migrate a tenant schema, then seed what every tenant starts with (the role groups)."""
    from modules.identity.services import roles_sync

    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema_name}"')
    try:
        call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0)
        with schema_context(schema_name):
            roles_sync()
    except BaseException:
        schema_drop(schema_name)
        raise
    finally:
        connection.set_schema_to_public()


def schema_drop(schema_name: str) -> None:
    if schema_name == settings.PUBLIC_SCHEMA_NAME:
        raise ValueError("refusing to drop the public schema")
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')


def spare_create() -> SpareSchema:
    """Add one migrated spare schema to the pool (slow: runs migrations)."""
    schema_name = f"{SPARE_PREFIX}{uuid.uuid4().hex[:16]}"
    schema_prepare(schema_name)
    try:
        return SpareSchema.objects.create(schema_name=schema_name, migration_state=tenant_migration_state())
    except BaseException:
        # A schema no SpareSchema row points at would never be claimed nor dropped.
        schema_drop(schema_name)
        raise


# Arbitrary constant naming the refill's advisory lock (two overlapping beat runs would overfill the pool).
_REFILL_LOCK_KEY = 0x6A78_6370  # "jxcp"


def spare_pool_refill(*, target: int | None = None) -> int:
    """Top the pool up to `target` spares; returns how many were created (0 if another refill is running)."""
    target = settings.TENANT_SPARE_POOL_SIZE if target is None else target
    # The pool lives on the public schema whatever context the caller (a task, a command) runs in.
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_REFILL_LOCK_KEY])
            if not cursor.fetchone()[0]:
                logger.info("spare pool refill already running elsewhere; skipped")
                return 0
        try:
            spares_migrate_stale()
            created = 0
            while SpareSchema.objects.filter(migration_state=tenant_migration_state()).count() < target:
                spare_create()
                created += 1
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_REFILL_LOCK_KEY])
    if created:
        logger.info("spare pool refilled with %d schema(s)", created)
    return created


def spares_migrate_stale() -> int:
    """Bring spares made by an older version up to date (a deploy added migrations); returns how many.

    A stale spare is never claimed (signup filters on the current state), so it can be migrated unlocked."""
    from modules.identity.services import roles_sync

    current = tenant_migration_state()
    migrated = 0
    for spare in SpareSchema.objects.exclude(migration_state=current):
        call_command("migrate_schemas", tenant=True, schema_name=spare.schema_name, interactive=False, verbosity=0)
        with schema_context(spare.schema_name):
            roles_sync()
        SpareSchema.objects.filter(pk=spare.pk).update(migration_state=current)
        migrated += 1
    connection.set_schema_to_public()
    if migrated:
        logger.info("migrated %d stale spare schema(s)", migrated)
    return migrated


def tenant_provision(
    *,
    slug: str,
    name: str,
    owner_email: str,
    owner_password_hash: str,
    language: str = "zh-hans",
    tz: str = "Asia/Shanghai",
    use_pool: bool = True,
) -> ProvisionResult:
    """Create a tenant with its owner in one transaction; milliseconds when the pool has a spare.

    `owner_password_hash` is already hashed (make_password) so that the slow hash is
    computed once, outside the transaction that holds the spare's row lock.
    Raises AppError slug_invalid / slug_reserved, Conflict slug_taken (also when a
    concurrent signup wins the same slug inside the transaction).
    """
    from billing.selectors import plan_default
    from modules.identity.services import user_create_owner

    connection.set_schema_to_public()
    slug_check(slug)
    schema_name = schema_name_for(slug)
    private_schema = None
    if not use_pool:
        # Fallback: migrate a schema nobody else can claim, then rename it like a spare.
        private_schema = f"{SPARE_PREFIX}p{uuid.uuid4().hex[:15]}"
        schema_prepare(private_schema)
    try:
        with transaction.atomic():
            source = private_schema
            if source is None:
                # SKIP LOCKED: concurrent signups each lock a different spare instead of queueing on one.
                spare = (
                    SpareSchema.objects.filter(migration_state=tenant_migration_state())
                    .select_for_update(skip_locked=True)
                    .first()
                )
                if spare is None:
                    raise _PoolEmptied
                source = spare.schema_name
                spare.delete()
            with connection.cursor() as cursor:
                cursor.execute(f'ALTER SCHEMA "{source}" RENAME TO "{schema_name}"')
            tenant = Tenant(
                schema_name=schema_name,
                slug=slug,
                name=name,
                owner_email=owner_email.strip().lower(),
                language=language,
                timezone=tz,
                plan=plan_default(),
                status=TenantStatus.TRIAL,
                trial_ends_at=timezone.now() + timedelta(days=settings.TRIAL_DAYS),
            )
            tenant.save()
            # bulk_create skips DomainMixin.save's savepoint and its demote-the-other-primary UPDATE:
            # a new tenant has no other domain, and this transaction is the hot path of signup.
            Domain.objects.bulk_create([Domain(domain=tenant_domain_for(slug), tenant=tenant, is_primary=True)])
            with schema_context(schema_name):
                owner = user_create_owner(email=owner_email, password_hash=owner_password_hash, language=language)
    except _PoolEmptied:
        # No spare left (or every one is being claimed by a concurrent signup): take the slow path.
        logger.warning("spare pool empty: provisioning %s by migrating a schema", slug)
        return tenant_provision(
            slug=slug, name=name, owner_email=owner_email, owner_password_hash=owner_password_hash,
            language=language, tz=tz, use_pool=False,
        )  # fmt: skip
    except BaseException as exc:
        # The transaction rolled back, so a claimed spare is back in the pool under its old name;
        # a private schema has no pool row and would be orphaned: drop it.
        if private_schema:
            schema_drop(private_schema)
        if isinstance(exc, IntegrityError | ProgrammingError) and _sqlstate(exc) in _RACE_SQLSTATES:
            logger.info("provisioning %s lost a race: %s", slug, exc.__class__.__name__)
            raise Conflict(TenantErrorCode.SLUG_TAKEN, _("This shop address is already taken."), field="slug") from exc
        raise
    finally:
        connection.set_schema_to_public()
    logger.info("provisioned tenant %s (from pool: %s)", slug, private_schema is None)
    if private_schema is None:
        transaction.on_commit(spare_pool_refill_soon)
    return ProvisionResult(tenant=tenant, owner_id=owner.pk, from_pool=private_schema is None)


def spare_pool_refill_soon() -> bool:
    """Ask a worker to replace a claimed spare now rather than at the next beat (a burst of signups).

    Only with a real worker: in-process (eager) Celery would run the migrations inside the signup
    request that just avoided them. Sent by name because tenants.tasks imports this module."""
    if celery_app.conf.task_always_eager:
        return False
    celery_app.send_task("tenants.tasks.spare_pool_refill", headers={"_schema_name": settings.PUBLIC_SCHEMA_NAME})
    return True


def _sqlstate(exc: BaseException) -> str | None:
    return getattr(exc.__cause__, "sqlstate", None)


class _PoolEmptied(Exception):
    pass


def tenant_get(*, slug: str, for_update: bool = False) -> Tenant:
    """`for_update` locks the row (inside the caller's transaction) so lifecycle changes do not race."""
    tenants = Tenant.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)
    if for_update:
        tenants = tenants.select_for_update(of=("self",))
    try:
        return tenants.select_related("plan").get(slug=slug)
    except Tenant.DoesNotExist:
        raise NotFound(TenantErrorCode.TENANT_NOT_FOUND, _("No shop has this address."), field="slug") from None


def tenant_set_status(*, tenant: Tenant, status: TenantStatus) -> Tenant:
    Tenant.objects.filter(pk=tenant.pk).update(status=status)
    tenant.status = status
    return tenant


def tenant_suspend(*, tenant: Tenant) -> Tenant:
    if tenant.status in (TenantStatus.SUSPENDED, TenantStatus.CANCELLED):
        raise AppError(TenantErrorCode.INVALID_TRANSITION, _("This shop is already suspended."), field="status")
    return tenant_set_status(tenant=tenant, status=TenantStatus.SUSPENDED)


def tenant_reactivate(*, tenant: Tenant) -> Tenant:
    if tenant.status not in (TenantStatus.SUSPENDED, TenantStatus.READ_ONLY, TenantStatus.PAST_DUE):
        raise AppError(TenantErrorCode.INVALID_TRANSITION, _("This shop is not suspended."), field="status")
    trial_running = tenant.trial_ends_at and tenant.trial_ends_at > timezone.now()
    return tenant_set_status(tenant=tenant, status=TenantStatus.TRIAL if trial_running else TenantStatus.ACTIVE)


def tenant_extend_trial(*, tenant: Tenant, days: int) -> Tenant:
    if not 1 <= days <= 365:
        raise AppError("days_invalid", _("Extend a trial by 1 to 365 days."), field="days")
    start = max(tenant.trial_ends_at or timezone.now(), timezone.now())
    tenant.trial_ends_at = start + timedelta(days=days)
    fields = ["trial_ends_at"]
    if tenant.status in (TenantStatus.TRIAL, TenantStatus.SUSPENDED, TenantStatus.READ_ONLY):
        tenant.status = TenantStatus.TRIAL
        fields.append("status")
    tenant.save(update_fields=fields)
    return tenant


def tenant_delete(*, tenant: Tenant, confirmation: str) -> None:
    """Drop the tenant's schema and rows. `confirmation` must repeat the slug exactly."""
    if tenant.is_public:
        raise AppError(TenantErrorCode.INVALID_TRANSITION, _("The public schema cannot be deleted."))
    if confirmation != tenant.slug:
        raise AppError(
            TenantErrorCode.CONFIRMATION_MISMATCH,
            _("Type the shop address exactly to confirm deletion."),
            field="confirmation",
        )
    with transaction.atomic():
        schema_name = tenant.schema_name
        Domain.objects.filter(tenant=tenant).delete()
        Tenant.objects.filter(pk=tenant.pk).delete()
        schema_drop(schema_name)
    logger.info("deleted tenant %s", tenant.slug)


def public_tenant_ensure() -> Tenant:
    """The public schema's tenant row and the bare domain (idempotent)."""
    tenant, _created = Tenant.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME,
        defaults={"slug": "public", "name": "Public", "status": TenantStatus.ACTIVE},
    )
    for domain in {settings.BASE_DOMAIN, "127.0.0.1"}:
        Domain.objects.get_or_create(
            domain=domain, defaults={"tenant": tenant, "is_primary": domain == settings.BASE_DOMAIN}
        )
    return tenant
