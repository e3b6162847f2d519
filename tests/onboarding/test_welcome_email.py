import pytest
from django_tenants.utils import schema_context

from jxc.celery import MissingTenantContext
from onboarding.tasks import welcome_email_send


def test_welcome_email_names_the_shop_and_its_login_link_in_the_shop_language(tenant_a, owner_a, mailoutbox):
    with schema_context(tenant_a.schema_name):
        welcome_email_send.delay(user_id=owner_a.pk)
    [email] = mailoutbox
    assert email.to == ["owner@alpha.test"]
    assert tenant_a.name in email.subject
    assert "alpha.localhost" in email.body
    assert "http://alpha.localhost/accounts/login/" in email.body
    assert "店铺地址" in email.body  # alpha's language is zh-hans


def test_welcome_email_queued_from_beta_never_reaches_alphas_owner(tenant_b, owner_a, owner_b, mailoutbox):
    # User ids are per schema: beta's header makes the task look the id up in beta only.
    with schema_context(tenant_b.schema_name):
        welcome_email_send.delay(user_id=owner_a.pk)
    assert all("owner@alpha.test" not in email.to for email in mailoutbox)
    assert all("alpha.localhost" not in email.body for email in mailoutbox)


def test_welcome_email_for_an_unknown_user_sends_nothing(tenant_a, mailoutbox):
    with schema_context(tenant_a.schema_name):
        welcome_email_send.delay(user_id=987654)
    assert mailoutbox == []


def test_welcome_email_refuses_to_be_sent_without_a_tenant(db, owner_a, mailoutbox):
    with pytest.raises(MissingTenantContext):
        welcome_email_send.delay(user_id=owner_a.pk)
    assert mailoutbox == []
