import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import get_resolver

from jxc.console.models import ConsoleAuditEntry
from jxc.console.services import console_tenant_extend_trial, console_tenant_suspend


def entry_create(**fields) -> ConsoleAuditEntry:
    values = {
        "staff_user_id": 1,
        "staff_email": "staff@vendor.test",
        "action": "suspend",
        "tenant_id": 99,
        "tenant_slug": "gone",
        "reason": "original reason",
        "details": {"k": "v"},
        "ip": "10.0.0.1",
    }
    return ConsoleAuditEntry.objects.create(**{**values, **fields})


def test_orm_update_of_an_entry_fails(db):
    entry = entry_create()
    entry.reason = "rewritten"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ConsoleAuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    entry.refresh_from_db()
    assert entry.reason == "original reason"


def test_orm_and_sql_delete_of_an_entry_fail(db):
    entry = entry_create()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ConsoleAuditEntry.objects.all().delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM console_consoleauditentry WHERE id = %s", [entry.pk])
    assert ConsoleAuditEntry.objects.filter(pk=entry.pk, reason="original reason").exists()


def test_an_empty_reason_is_refused_by_the_database_too(db):
    with pytest.raises(DatabaseError), transaction.atomic():
        entry_create(reason="")
    assert not ConsoleAuditEntry.objects.exists()


def test_the_console_has_no_route_that_edits_or_deletes_entries():
    console = {p.name for p in get_resolver("jxc.console.urls").url_patterns}
    assert console == {
        "login", "logout", "tenant_list", "tenant_detail", "tenant_suspend", "tenant_reactivate",
        "tenant_extend_trial", "tenant_delete", "audit_list",
    }  # fmt: skip


def test_the_audit_page_is_read_only(staff_client):
    entry = entry_create()
    assert staff_client.post("/console/audit/", {"id": entry.pk, "reason": "x"}).status_code == 405
    assert staff_client.delete("/console/audit/").status_code == 405
    entry.refresh_from_db()
    assert entry.reason == "original reason"


def test_audit_page_lists_entries_and_filters_by_tenant(staff_client, staff_user, tenant_a, tenant_b):
    console_tenant_suspend(actor=staff_user, slug="alpha", reason="Fraud report", ip="203.0.113.9")
    console_tenant_extend_trial(actor=staff_user, slug="beta", days=5, reason="Holiday", ip=None)
    everything = staff_client.get("/console/audit/")
    assert everything.status_code == 200
    assert [e.tenant_slug for e in everything.context["page"].object_list] == ["beta", "alpha"]
    body = everything.content.decode()
    assert "Fraud report" in body and "Holiday" in body and "203.0.113.9" in body

    only_alpha = staff_client.get("/console/audit/", {"tenant": "alpha"})
    assert [(e.action, e.reason) for e in only_alpha.context["page"].object_list] == [("suspend", "Fraud report")]
    assert "Holiday" not in only_alpha.content.decode()

    detail = staff_client.get("/console/tenants/beta/")
    assert [e.reason for e in detail.context["audit_entries"]] == ["Holiday"]


def test_the_audit_page_needs_staff(public_client, db):
    entry_create(reason="secret reason")
    response = public_client.get("/console/audit/")
    assert response.status_code == 302
    assert b"secret reason" not in response.content
