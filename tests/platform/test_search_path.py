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
