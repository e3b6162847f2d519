"""Follow-up notes (跟进记录) on customers: what was done (a call, a visit…), what was said, and when to
follow up next. Writes go through `modules.crm.services`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modules.crm.enums import FollowUpKind

TEXT_MAX_LENGTH = 2000


class FollowUp(models.Model):
    # Partners are deactivated, never deleted: their history stays.
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FollowUpKind.choices)
    text = models.TextField(pgettext_lazy("crm", "note"), max_length=TEXT_MAX_LENGTH)
    # In the shop's time zone; None: nothing planned.
    next_date = models.DateField(_("next follow-up"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    # None: written through an API key.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            models.Index(fields=["partner", "-created_at"], name="crm_followup_partner"),
            # The due list: open ones by date.
            models.Index(fields=["next_date"], condition=Q(done=False), name="crm_followup_open_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FollowUpKind.values), name="crm_followup_kind"),
            models.CheckConstraint(condition=~Q(text=""), name="crm_followup_text_not_empty"),
            models.CheckConstraint(
                condition=Q(done=False, done_at__isnull=True) | Q(done=True, done_at__isnull=False),
                name="crm_followup_done_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.kind} {self.created_at:%Y-%m-%d}"
