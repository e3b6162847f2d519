import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import Plan
from jxc.console.selectors import TENANTS_PER_PAGE, quote_identifier, schema_figures_for
from tenants.models import Tenant


def fake_tenant(slug: str, *, users: int | None = None, schema_name: str | None = None, **fields) -> Tenant:
    """A Tenant row with, optionally, a tiny schema holding only an auth_user table (rolled back with the test)."""
    schema_name = schema_name or f"t_{slug.replace('-', '_')}"
    if users is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {quote_identifier(schema_name)}")
            cursor.execute(f"CREATE TABLE {quote_identifier(schema_name)}.auth_user (id serial PRIMARY KEY)")
            if users:
                cursor.execute(
                    f"INSERT INTO {quote_identifier(schema_name)}.auth_user SELECT FROM generate_series(1, %s)", [users]
                )
    fields.setdefault("name", slug.title())
    fields.setdefault("owner_email", f"owner@{slug}.test")
    return Tenant.objects.create(schema_name=schema_name, slug=slug, **fields)


def rows_by_slug(response) -> dict:
    return {row.tenant.slug: row for row in response.context["rows"]}


def test_list_shows_alpha_and_beta_with_their_figures(staff_client, tenant_a, tenant_b):
    with schema_context(tenant_a.schema_name):
        User.objects.create(username="clerk@alpha.test", email="clerk@alpha.test")
        alpha_users = User.objects.count()
    with schema_context(tenant_b.schema_name):
        beta_users = User.objects.count()
    response = staff_client.get("/console/")
    assert response.status_code == 200
    rows = rows_by_slug(response)
    assert alpha_users == 2
    assert rows["alpha"].figures.users_count == alpha_users
    assert rows["beta"].figures.users_count == beta_users == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'm', 'p')",
            [tenant_a.schema_name],
        )
        alpha_size = int(cursor.fetchone()[0])
    assert rows["alpha"].figures.size_bytes == alpha_size > 0
    body = response.content.decode()
    assert 'href="/console/tenants/alpha/"' in body
    assert 'class="badge trial"' in body


def test_list_does_not_query_per_tenant(staff_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10) as few:
        response = staff_client.get("/console/")
    assert len(response.context["rows"]) == 2
    for i in range(12):
        fake_tenant(f"bulk{i:02d}", users=i % 3)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = staff_client.get("/console/")
    rows = rows_by_slug(response)
    assert len(rows) == 14
    assert [rows[f"bulk{i:02d}"].figures.users_count for i in range(12)] == [i % 3 for i in range(12)]
    assert len(many.captured_queries) == len(few.captured_queries)


def test_schema_names_are_quoted_in_the_users_union(staff_client):
    fake_tenant("weird", users=3, schema_name='t_we"ird')
    fake_tenant("plain", users=1)
    figures = schema_figures_for(['t_we"ird', "t_plain", "t_missing"])
    assert figures['t_we"ird'].users_count == 3
    assert figures["t_plain"].users_count == 1
    assert figures["t_missing"].exists is False
    assert figures["t_missing"].users_count is None
    rows = rows_by_slug(staff_client.get("/console/?q=weird"))
    assert rows["weird"].figures.users_count == 3


def test_a_tenant_without_a_schema_is_listed_as_such(staff_client):
    fake_tenant("ghost")
    response = staff_client.get("/console/?q=ghost")
    row = rows_by_slug(response)["ghost"]
    assert row.figures.exists is False
    assert row.figures.users_count is None


@pytest.mark.parametrize(
    "query,expected",
    [
        ("alp", {"alpha"}),
        ("ALPHA", {"alpha"}),
        ("Beta 商店", {"beta"}),
        ("商店", {"alpha", "beta"}),
        ("owner@beta", {"beta"}),
        ("nothing-like-this", set()),
    ],
)
def test_search_by_slug_name_or_owner_email(staff_client, query, expected):
    response = staff_client.get("/console/", {"q": query})
    assert set(rows_by_slug(response)) == expected


def test_filter_by_status(staff_client, tenant_b):
    Tenant.objects.filter(pk=tenant_b.pk).update(status="suspended")
    assert set(rows_by_slug(staff_client.get("/console/", {"status": "suspended"}))) == {"beta"}
    assert set(rows_by_slug(staff_client.get("/console/", {"status": "trial"}))) == {"alpha"}
    assert set(rows_by_slug(staff_client.get("/console/", {"status": ""}))) == {"alpha", "beta"}


def test_filter_by_plan(staff_client, tenant_a):
    other = Plan.objects.exclude(pk=tenant_a.plan_id).first()
    fake_tenant("onplan", plan=other)
    assert set(rows_by_slug(staff_client.get("/console/", {"plan": other.code}))) == {"onplan"}
    assert set(rows_by_slug(staff_client.get("/console/", {"plan": tenant_a.plan.code}))) == {"alpha", "beta"}


def test_filter_by_created_dates_inclusive(staff_client):
    old = fake_tenant("oldshop")
    Tenant.objects.filter(pk=old.pk).update(created_at=timezone.make_aware(dt.datetime(2024, 3, 10, 12, 0)))
    today = timezone.localdate()
    assert set(rows_by_slug(staff_client.get("/console/", {"created_to": "2024-03-10"}))) == {"oldshop"}
    assert set(
        rows_by_slug(staff_client.get("/console/", {"created_from": "2024-03-10", "created_to": "2024-03-10"}))
    ) == {"oldshop"}
    assert set(rows_by_slug(staff_client.get("/console/", {"created_to": "2024-03-09"}))) == set()
    assert set(rows_by_slug(staff_client.get("/console/", {"created_from": today.isoformat()}))) == {"alpha", "beta"}


def test_an_invalid_filter_is_reported_and_ignored(staff_client):
    response = staff_client.get("/console/", {"created_from": "not-a-date"})
    assert response.status_code == 200
    assert set(rows_by_slug(response)) == {"alpha", "beta"}
    assert response.context["filters"].errors["created_from"]


def test_pagination(staff_client):
    for i in range(TENANTS_PER_PAGE + 3):
        fake_tenant(f"page{i:02d}")
    first = staff_client.get("/console/", {"q": "page"})
    second = staff_client.get("/console/", {"q": "page", "page": "2"})
    assert len(first.context["rows"]) == TENANTS_PER_PAGE
    assert len(second.context["rows"]) == 3
    assert set(rows_by_slug(first)).isdisjoint(rows_by_slug(second))
    assert "?q=page&amp;page=2" in first.content.decode()


def test_htmx_request_gets_only_the_table(staff_client):
    response = staff_client.get("/console/", {"q": "alpha"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["console/_tenant_table.html"]
    assert "<html" not in response.content.decode()
    assert "HX-Request" in response["Vary"]
    restore = staff_client.get("/console/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "console/tenant_list.html" in [t.name for t in restore.templates]


def test_detail_page(staff_client, tenant_a):
    response = staff_client.get("/console/tenants/alpha/")
    assert response.status_code == 200
    assert response.context["tenant"] == tenant_a
    assert response.context["row"].figures.users_count == 1
    body = response.content.decode()
    assert tenant_a.schema_name in body
    assert 'action="/console/tenants/alpha/suspend/"' in body
    assert 'action="/console/tenants/alpha/delete/"' in body


def test_detail_of_unknown_or_public_tenant_is_404(staff_client):
    assert staff_client.get("/console/tenants/nosuchshop/").status_code == 404
    assert staff_client.get("/console/tenants/public/").status_code == 404


def test_a_schema_dropped_between_the_two_queries_does_not_break_the_list(db, monkeypatch):
    fake_tenant("vanish", users=2)
    fake_tenant("stays", users=1)
    real_execute = connection.cursor().__class__.execute

    def drop_first(self, sql, params=None):
        if "UNION ALL" in sql or "auth_user" in sql and "COUNT(*)" in sql:
            real_execute(self, 'DROP SCHEMA "t_vanish" CASCADE')
        return real_execute(self, sql, params)

    monkeypatch.setattr(connection.cursor().__class__, "execute", drop_first)
    figures = schema_figures_for(["t_vanish", "t_stays"])
    assert figures["t_vanish"].exists is True
    assert figures["t_vanish"].users_count is None
    assert figures["t_stays"].users_count is None
