"""Reads for the support console: the tenants list with per-schema figures, and the audit log.

Per-tenant figures (users, schema size) live in each tenant's own schema, so they are fetched
for a whole page at once: one catalogue query for the sizes and one UNION ALL for the user
counts, whatever the page size. Never one query per tenant.
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, QuerySet

from jxc.console.models import ConsoleAuditEntry
from tenants.models import Tenant
from tenants.selectors import tenant_list

logger = logging.getLogger(__name__)

TENANTS_PER_PAGE = 25
AUDIT_PER_PAGE = 50

# Relation kinds whose pg_total_relation_size covers the table, its indexes and its TOAST data.
_SIZED_RELKINDS = ("r", "m", "p")


@dataclass(frozen=True)
class SchemaFigures:
    exists: bool
    size_bytes: int | None
    users_count: int | None


@dataclass(frozen=True)
class TenantRow:
    tenant: Tenant
    figures: SchemaFigures


def quote_identifier(name: str) -> str:
    """A PostgreSQL identifier, quoted so that no schema name can break out of it."""
    if "\x00" in name:
        raise ValueError("identifier contains NUL")
    return '"' + name.replace('"', '""') + '"'


def schema_figures_for(schema_names: list[str]) -> dict[str, SchemaFigures]:
    """Size and user count of each schema, in two queries for any number of schemas."""
    missing = SchemaFigures(exists=False, size_bytes=None, users_count=None)
    if not schema_names:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname,
                   COALESCE(SUM(pg_total_relation_size(c.oid)) FILTER (WHERE c.relkind = ANY(%s)), 0),
                   COALESCE(BOOL_OR(c.relname = 'auth_user' AND c.relkind = 'r'), FALSE)
              FROM pg_namespace n
              LEFT JOIN pg_class c ON c.relnamespace = n.oid
             WHERE n.nspname = ANY(%s)
             GROUP BY n.nspname
            """,
            [list(_SIZED_RELKINDS), list(schema_names)],
        )
        catalogue = {name: (int(size), has_users) for name, size, has_users in cursor.fetchall()}
        with_users = [name for name in schema_names if catalogue.get(name, (0, False))[1]]
        users: dict[str, int] = {}
        if with_users:
            # Identifiers cannot be parameters: each is quoted; the schema name as a value is a parameter.
            union = " UNION ALL ".join(
                f"SELECT %s::text, COUNT(*) FROM {quote_identifier(name)}.auth_user" for name in with_users
            )
            try:
                # A savepoint: a schema dropped since the catalogue query must not break the whole page.
                with transaction.atomic():
                    cursor.execute(union, with_users)
                    users = {name: int(count) for name, count in cursor.fetchall()}
            except DatabaseError:
                logger.warning("user counts unavailable: a schema disappeared while listing", exc_info=True)
    figures = {}
    for name in schema_names:
        if name not in catalogue:
            figures[name] = missing
        else:
            figures[name] = SchemaFigures(exists=True, size_bytes=catalogue[name][0], users_count=users.get(name))
    return figures


def console_tenant_search(
    *,
    q: str = "",
    status: str = "",
    plan_code: str = "",
    created_from: date | None = None,
    created_to: date | None = None,
) -> QuerySet[Tenant]:
    tenants = tenant_list().order_by("-created_at", "-id")
    q = q.strip()
    if q:
        tenants = tenants.filter(Q(slug__icontains=q) | Q(name__icontains=q) | Q(owner_email__icontains=q))
    if status:
        tenants = tenants.filter(status=status)
    if plan_code:
        tenants = tenants.filter(plan__code=plan_code)
    # Dates are days in the site's time zone, both ends inclusive.
    if created_from:
        tenants = tenants.filter(created_at__date__gte=created_from)
    if created_to:
        tenants = tenants.filter(created_at__date__lte=created_to)
    return tenants


def console_tenant_page(*, tenants: QuerySet[Tenant], page_number: int | str | None) -> tuple[Page, list[TenantRow]]:
    """One page of tenants with their schema figures, in a constant number of queries."""
    page = Paginator(tenants, TENANTS_PER_PAGE).get_page(page_number)
    page_tenants = list(page.object_list)
    figures = schema_figures_for([t.schema_name for t in page_tenants])
    return page, [TenantRow(tenant=t, figures=figures[t.schema_name]) for t in page_tenants]


def console_tenant_detail(*, slug: str) -> TenantRow | None:
    tenant = tenant_list().filter(slug=slug).first()
    if tenant is None:
        return None
    return TenantRow(tenant=tenant, figures=schema_figures_for([tenant.schema_name])[tenant.schema_name])


def console_audit_list(*, tenant_slug: str = "") -> QuerySet[ConsoleAuditEntry]:
    entries = ConsoleAuditEntry.objects.all()
    if tenant_slug:
        entries = entries.filter(tenant_slug=tenant_slug.strip())
    return entries


def console_staff_is(request) -> bool:
    """Vendor staff: an active staff user loaded from the public schema's auth tables, on the public host."""
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    return bool(
        tenant is not None
        and tenant.schema_name == settings.PUBLIC_SCHEMA_NAME
        and user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
    )
