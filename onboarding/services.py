"""Self-serve signup: one call provisions the shop and its owner, then queues the welcome email."""

import logging

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django_tenants.utils import schema_context

from onboarding.tasks import welcome_email_send
from tenants.services import ProvisionResult, tenant_provision

logger = logging.getLogger(__name__)


def signup_complete(*, company_name: str, slug: str, email: str, password: str, language: str) -> ProvisionResult:
    """Provision `slug` for `company_name` with its owner; the welcome email goes out once it is committed.

    The password is hashed here, once and before provisioning, so the slow hash never runs
    while the transaction holds a spare schema's row lock. Raises AppError (slug_taken, ...).
    """
    password_hash = make_password(password)
    result = tenant_provision(
        slug=slug,
        name=company_name.strip(),
        owner_email=email,
        owner_password_hash=password_hash,
        language=language,
    )
    schema_name = result.tenant.schema_name
    owner_id = result.owner_id

    def _queue_welcome() -> None:
        # Sent from the tenant's schema so the task header carries the tenant (the task refuses public).
        with schema_context(schema_name):
            welcome_email_send.delay(user_id=owner_id)

    with schema_context(schema_name):
        transaction.on_commit(_queue_welcome)
    connection.set_schema_to_public()
    logger.info("signup completed for %s", slug)
    return result
