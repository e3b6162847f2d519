"""Onboarding email, sent from the new tenant's schema (the task header carries the tenant)."""

import logging

from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation

from jxc.celery import tenant_task
from tenants.addresses import public_url, tenant_domain_for
from tenants.models import Tenant

logger = logging.getLogger(__name__)


@tenant_task(name="onboarding.tasks.welcome_email_send", autoretry_for=(OSError,), max_retries=5, retry_backoff=True)
def welcome_email_send(*, user_id: int) -> None:
    """Welcome the shop's owner with the shop address and the login link, in the shop's language."""
    # connection.tenant may be a FakeTenant (schema only) when the schema was set by schema_context.
    tenant = Tenant.objects.get(schema_name=connection.schema_name)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        logger.warning("welcome email skipped: user %s not found in %s", user_id, connection.schema_name)
        return
    context = {
        "tenant_name": tenant.name,
        "shop_address": tenant_domain_for(tenant.slug),
        "shop_url": public_url("/", slug=tenant.slug),
        "login_url": public_url("/accounts/login/", slug=tenant.slug),
        "email": user.email,
    }
    with translation.override(tenant.language or "zh-hans"):
        subject = render_to_string("onboarding/emails/welcome_subject.txt", context).strip()
        body = render_to_string("onboarding/emails/welcome.txt", context)
    send_mail(subject, body, None, [user.email])
    logger.info("welcome email sent to owner %s of %s", user_id, tenant.slug)
