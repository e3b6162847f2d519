"""DESIGN: at most one `SET search_path` per request (TENANT_LIMIT_SET_CALLS)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context


def _set_calls(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SET SEARCH_PATH")]


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_one_shop_request_sets_search_path_at_most_once(client_a, tenant_a, owner_a, path):
    with schema_context(tenant_a.schema_name):
        client_a.force_login(owner_a, backend="django.contrib.auth.backends.ModelBackend")
    client_a.get(path)  # warm: the first request may also open the connection

    with CaptureQueriesContext(connection) as captured:
        response = client_a.get(path)

    assert response.status_code in (200, 302)
    assert len(captured.captured_queries) > 1  # the statements are visible to the capture at all
    assert len(_set_calls(captured.captured_queries)) <= 1, _set_calls(captured.captured_queries)


def test_alternating_shops_still_one_set_each(client_a, client_b):
    for client in (client_a, client_b, client_a):
        with CaptureQueriesContext(connection) as captured:
            client.get("/accounts/login/")

        assert len(_set_calls(captured.captured_queries)) <= 1, _set_calls(captured.captured_queries)


def test_a_statement_prepared_in_one_shop_reads_the_other_shops_rows_after_the_switch(tenant_a, tenant_b):
    """Statements are prepared after their fifth use on a connection (settings): PostgreSQL must re-plan one
    when search_path changes, so the same SQL in the next shop reads that shop's table, not the first's."""
    from modules.partners.models import Partner

    for tenant, code in ((tenant_a, "PREP-A"), (tenant_b, "PREP-B")):
        with schema_context(tenant.schema_name):
            Partner.objects.create(code=code, name=code, is_customer=True)
    assert connection.connection.prepare_threshold == 5
    for _round in range(2):
        for tenant, code in ((tenant_a, "PREP-A"), (tenant_b, "PREP-B")):
            with schema_context(tenant.schema_name):
                for _use in range(7):  # past the threshold: prepared by now
                    codes = list(Partner.objects.filter(code__startswith="PREP-").values_list("code", flat=True))
                    assert codes == [code], (tenant.schema_name, codes)
    with connection.cursor() as cursor:  # the reads above did run as a prepared statement
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%partners_partner%"])
        assert cursor.fetchone()[0] >= 1
