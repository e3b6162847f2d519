"""Gap-free document numbers: consecutive under parallel connections, returned on rollback, per tenant and year."""

import threading
import uuid
from datetime import date

import pytest
from django.db import connection, transaction

from modules.numbering.models import DocumentSequence
from modules.numbering.services import document_number_next
from tenants.models import Tenant

ON = date(2026, 11, 25)


def _next(doc_type: str, on: date = ON) -> str:
    with transaction.atomic():
        return document_number_next(doc_type=doc_type, prefix="QR", on=on)


def test_numbers_are_consecutive_per_type_and_year(in_tenant_a):
    assert [_next("t_other_in") for _ in range(3)] == ["QR202600001", "QR202600002", "QR202600003"]
    assert _next("t_other_out") == "QR202600001"
    assert _next("t_other_in", date(2027, 1, 1)) == "QR202700001"


def test_a_rolled_back_document_gives_its_number_back(in_tenant_a):
    assert _next("t_rollback") == "QR202600001"
    with pytest.raises(RuntimeError), transaction.atomic():
        document_number_next(doc_type="t_rollback", prefix="QR", on=ON)
        raise RuntimeError("the document failed to save")
    assert _next("t_rollback") == "QR202600002"


def test_outside_a_transaction_is_refused(committed_db):
    # A number taken in autocommit would be lost if the document then failed to save.
    connection.set_tenant(Tenant.objects.get(slug="alpha"))
    with pytest.raises(RuntimeError):
        document_number_next(doc_type="t_no_tx", prefix="QR", on=ON)
    assert not DocumentSequence.objects.filter(doc_type="t_no_tx").exists()


def test_each_tenant_counts_on_its_own(tenant_a, tenant_b):
    connection.set_tenant(tenant_a)
    assert _next("t_tenant") == "QR202600001"
    assert _next("t_tenant") == "QR202600002"
    connection.set_tenant(tenant_b)
    assert _next("t_tenant") == "QR202600001"
    connection.set_schema_to_public()


def test_parallel_connections_get_distinct_consecutive_numbers(committed_db):
    tenant = Tenant.objects.get(slug="alpha")
    doc_type = f"t_{uuid.uuid4().hex[:10]}"
    threads_count, per_thread = 8, 10
    barrier = threading.Barrier(threads_count)
    numbers: list[str] = []
    errors: list[str] = []

    def work():
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=10)
            for _ in range(per_thread):
                numbers.append(_next(doc_type))
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert errors == []
        assert sorted(numbers) == [f"QR2026{n:05d}" for n in range(1, threads_count * per_thread + 1)]
    finally:
        connection.set_tenant(tenant)
        DocumentSequence.objects.filter(doc_type=doc_type).delete()
        connection.set_schema_to_public()
