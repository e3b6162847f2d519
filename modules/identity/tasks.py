"""Email that leaves the shop about its people. Tasks run in the schema named by their header."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from jxc.celery import tenant_task
from modules.identity import selectors
from modules.identity.models import Invitation
from modules.identity.roles import ROLE_LABELS
from modules.identity.services import token_hash
from tenants.addresses import public_url

logger = logging.getLogger(__name__)


@tenant_task(name="modules.identity.tasks.invitation_send")
def invitation_send(invitation_id: int, token: str) -> bool:
    """Email the invitation link. The raw token travels only in this message; the database holds its hash."""
    invitation = Invitation.objects.select_related("invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_pending or invitation.token_hash != token_hash(token):
        # Revoked, accepted or replaced before the worker got to it: nothing to send.
        logger.info("invitation %s is no longer pending; not sent", invitation_id)
        return False
    tenant = selectors.tenant_current()
    with translation.override(tenant.language if tenant is not None else settings.LANGUAGE_CODE):
        context = {
            "shop_name": tenant.name if tenant is not None else "",
            "inviter": (invitation.invited_by.get_full_name() or invitation.invited_by.email)
            if invitation.invited_by
            else "",
            "role": ROLE_LABELS.get(invitation.role, invitation.role),
            "url": public_url(f"/accounts/invitations/{token}/", slug=tenant.slug),
            "expires_at": invitation.expires_at,
        }
        subject = render_to_string("identity/email/invitation_subject.txt", context).strip()
        body = render_to_string("identity/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    return True
