"""Two requests spending the same one-time login token at once: exactly one wins (the unique jti)."""

import threading

from django.db import connection

from jxc.kernel.errors import AppError
from modules.identity.enums import IdentityErrorCode as Code
from modules.identity.login_tokens import login_token_make, login_token_spend
from modules.identity.models import LoginTokenUse
from tenants.models import Tenant


def test_concurrent_spends_of_one_token_let_exactly_one_through(committed_db):
    tenant = Tenant.objects.get(slug="alpha")
    token = login_token_make(schema_name=tenant.schema_name, user_id=1)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def spend():
        try:
            connection.set_tenant(tenant)
            barrier.wait(timeout=10)
            login_token_spend(token=token, schema_name=tenant.schema_name)
            outcomes.append("ok")
        except AppError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=spend) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
        assert sorted(outcomes) == sorted(["ok", Code.LOGIN_TOKEN_USED])
    finally:
        from django.core import signing

        from modules.identity.login_tokens import SALT

        jti = signing.loads(token, salt=SALT)["j"]
        connection.set_tenant(tenant)
        LoginTokenUse.objects.filter(jti=jti).delete()
        connection.set_schema_to_public()
