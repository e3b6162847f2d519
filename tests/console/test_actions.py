from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_exists

from jxc.console import services
from jxc.console.models import ConsoleAuditEntry
from tenants.models import Domain, Tenant
from tenants.services import tenant_provision
from tests.conftest import unique_slug
from tests.console.conftest import MODEL_BACKEND, staff_create

REASON_ERROR_EN = "Give a reason: it is kept in the audit log."


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def snapshot(tenant: Tenant) -> tuple:
    tenant.refresh_from_db()
    return tenant.status, tenant.trial_ends_at


@pytest.mark.parametrize(
    "action,data",
    [
        ("suspend", {"suspend-reason": "   "}),
        ("extend-trial", {"extend-days": "7", "extend-reason": ""}),
        ("delete", {"delete-confirmation": "alpha", "delete-reason": ""}),
    ],
)
def test_every_action_needs_a_reason(staff_client, tenant_a, action, data):
    before = snapshot(tenant_a)
    response = english(staff_client).post(f"/console/tenants/alpha/{action}/", data)
    assert response.status_code == 400
    assert REASON_ERROR_EN in response.content.decode()
    assert snapshot(tenant_a) == before
    assert Tenant.objects.filter(slug="alpha").exists()
    assert schema_exists(tenant_a.schema_name)
    assert not ConsoleAuditEntry.objects.exists()


def test_reactivate_needs_a_reason(staff_client, tenant_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(status="suspended")
    response = english(staff_client).post("/console/tenants/alpha/reactivate/", {"reactivate-reason": ""})
    assert response.status_code == 400
    assert REASON_ERROR_EN in response.content.decode()
    assert snapshot(tenant_a)[0] == "suspended"
    assert not ConsoleAuditEntry.objects.exists()


def test_the_reason_error_is_translated(staff_client):
    staff_client.cookies["django_language"] = "zh-hans"
    response = staff_client.post("/console/tenants/alpha/suspend/", {"suspend-reason": ""})
    assert response.status_code == 400
    assert "请填写原因" in response.content.decode()


def test_suspend_then_reactivate_with_the_shop_host_following(staff_client, staff_user, tenant_a, tenant_b, client_a):
    assert client_a.get("/").status_code != 403

    response = staff_client.post("/console/tenants/alpha/suspend/", {"suspend-reason": "Chargeback on invoice 42"})
    assert response.status_code == 302
    assert response.url == "/console/tenants/alpha/"
    assert snapshot(tenant_a)[0] == "suspended"
    assert snapshot(tenant_b)[0] == "trial"
    entry = ConsoleAuditEntry.objects.get()
    assert (entry.staff_user_id, entry.staff_email) == (staff_user.pk, "staff@vendor.test")
    assert (entry.action, entry.tenant_slug, entry.tenant_id) == ("suspend", "alpha", tenant_a.pk)
    assert entry.reason == "Chargeback on invoice 42"
    assert entry.details == {"status_before": "trial", "status_after": "suspended"}
    assert entry.ip == "127.0.0.1"

    shop = client_a.get("/")
    assert shop.status_code == 403
    assert "tenants/suspended.html" in [t.name for t in shop.templates]

    response = staff_client.post("/console/tenants/alpha/reactivate/", {"reactivate-reason": "Paid by bank transfer"})
    assert response.status_code == 302
    assert snapshot(tenant_a)[0] == "trial"  # its trial has not ended yet
    entry = ConsoleAuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.reason) == ("reactivate", "Paid by bank transfer")
    assert entry.details == {"status_before": "suspended", "status_after": "trial"}

    shop = client_a.get("/")
    assert shop.status_code != 403
    assert "tenants/suspended.html" not in [t.name for t in shop.templates]


def test_reactivate_after_the_trial_ended_makes_the_shop_active(staff_client, tenant_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(status="suspended", trial_ends_at=timezone.now() - timedelta(days=1))
    response = staff_client.post("/console/tenants/alpha/reactivate/", {"reactivate-reason": "Subscribed"})
    assert response.status_code == 302
    assert snapshot(tenant_a)[0] == "active"


def test_suspending_twice_is_refused_without_an_audit_entry(staff_client, tenant_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(status="suspended")
    response = english(staff_client).post("/console/tenants/alpha/suspend/", {"suspend-reason": "again"})
    assert response.status_code == 400
    assert "already suspended" in response.content.decode()
    assert not ConsoleAuditEntry.objects.exists()


def test_reactivating_a_shop_that_is_not_suspended_is_refused(staff_client, tenant_a):
    response = english(staff_client).post("/console/tenants/alpha/reactivate/", {"reactivate-reason": "why not"})
    assert response.status_code == 400
    assert "not suspended" in response.content.decode()
    assert snapshot(tenant_a)[0] == "trial"
    assert not ConsoleAuditEntry.objects.exists()


def test_extend_trial(staff_client, tenant_a):
    _status, trial_before = snapshot(tenant_a)
    response = staff_client.post("/console/tenants/alpha/extend-trial/", {"extend-days": "10", "extend-reason": "Fair"})
    assert response.status_code == 302
    status, trial_after = snapshot(tenant_a)
    assert trial_after == trial_before + timedelta(days=10)
    assert status == "trial"
    entry = ConsoleAuditEntry.objects.get()
    assert entry.action == "extend_trial"
    assert entry.details["days"] == 10
    assert entry.details["trial_ends_before"] == trial_before.isoformat()
    assert entry.details["trial_ends_after"] == trial_after.isoformat()


@pytest.mark.parametrize("days", ["0", "366", "-3", "abc", ""])
def test_extend_trial_refuses_bad_days(staff_client, tenant_a, days):
    before = snapshot(tenant_a)
    response = staff_client.post("/console/tenants/alpha/extend-trial/", {"extend-days": days, "extend-reason": "x"})
    assert response.status_code == 400
    assert response.context["extend_form"].errors["days"]
    assert snapshot(tenant_a) == before
    assert not ConsoleAuditEntry.objects.exists()


def test_an_action_on_an_unknown_tenant_is_404(staff_client):
    response = staff_client.post("/console/tenants/nosuchshop/suspend/", {"suspend-reason": "x"})
    assert response.status_code == 404
    assert not ConsoleAuditEntry.objects.exists()


def test_the_action_rolls_back_when_its_audit_entry_cannot_be_written(staff_user, tenant_a, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "console_audit_entry_create", broken)
    with pytest.raises(RuntimeError):
        services.console_tenant_suspend(actor=staff_user, slug="alpha", reason="x", ip=None)
    assert snapshot(tenant_a)[0] == "trial"


def test_services_refuse_a_non_staff_actor(db, tenant_a):
    user = staff_create("plain@vendor.test", is_staff=False)
    with pytest.raises(services.AppError) as error:
        services.console_tenant_suspend(actor=user, slug="alpha", reason="x", ip=None)
    assert error.value.code == "not_staff"
    assert snapshot(tenant_a)[0] == "trial"
    assert not ConsoleAuditEntry.objects.exists()


def test_delete_needs_the_exact_slug_then_drops_the_schema(committed_db):
    slug = unique_slug("del")
    other_slug = unique_slug("keep")
    staff = staff_create(f"{unique_slug('staff')}@vendor.test")
    tenant = tenant_provision(
        slug=slug,
        name="删除商店",
        owner_email="o@del.test",
        owner_password_hash=make_password("x" * 10),
        use_pool=False,
    ).tenant
    keep = tenant_provision(
        slug=other_slug,
        name="留下",
        owner_email="o@keep.test",
        owner_password_hash=make_password("x" * 10),
        use_pool=False,
    ).tenant
    client = english(Client(HTTP_HOST="localhost"))
    client.force_login(staff, backend=MODEL_BACKEND)
    try:
        for wrong in ["", slug.upper(), slug[:-1], other_slug, "alpha"]:
            response = client.post(
                f"/console/tenants/{slug}/delete/", {"delete-confirmation": wrong, "delete-reason": "Owner asked"}
            )
            assert response.status_code == 400
            assert "Type the shop address exactly to confirm deletion." in response.content.decode()
            assert Tenant.objects.filter(pk=tenant.pk).exists()
            assert schema_exists(tenant.schema_name)
        assert not ConsoleAuditEntry.objects.filter(tenant_slug=slug).exists()

        response = client.post(
            f"/console/tenants/{slug}/delete/", {"delete-confirmation": slug, "delete-reason": "Owner asked by email"}
        )
        assert response.status_code == 302
        assert response.url == "/console/"
        assert not Tenant.objects.filter(pk=tenant.pk).exists()
        assert not Domain.objects.filter(tenant_id=tenant.pk).exists()
        assert not schema_exists(tenant.schema_name)
        assert Tenant.objects.filter(pk=keep.pk).exists()
        assert schema_exists(keep.schema_name)

        # The entry was committed with the drop and outlives the tenant.
        entry = ConsoleAuditEntry.objects.get(tenant_slug=slug)
        assert (entry.action, entry.tenant_id, entry.staff_user_id) == ("delete", tenant.pk, staff.pk)
        assert entry.reason == "Owner asked by email"
        assert entry.details["schema_name"] == tenant.schema_name
        assert entry.details["owner_email"] == "o@del.test"
        assert client.get(f"/console/tenants/{slug}/").status_code == 404
        audit = client.get("/console/audit/", {"tenant": slug})
        assert "Owner asked by email" in audit.content.decode()
        assert Client(HTTP_HOST=f"{slug}.localhost").get("/").status_code == 404
    finally:
        connection.set_schema_to_public()
        from tenants.services import tenant_delete

        for leftover in Tenant.objects.filter(pk__in=[tenant.pk, keep.pk]):
            tenant_delete(tenant=leftover, confirmation=leftover.slug)
        # Raw: the ORM's cascade would look for tenant-only tables (identity's profile) on the public schema.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM auth_user WHERE id = %s", [staff.pk])
