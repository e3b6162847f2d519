"""Follow-up writes: create, change, mark done (or open again), delete — one transaction each, refused as a
whole with an AppError naming the field."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError, NotFound
from jxc.kernel.numbers import today_in
from modules.crm.enums import ErrorCode, FollowUpKind
from modules.crm.models import TEXT_MAX_LENGTH, FollowUp
from modules.partners.models import Partner

# The fields follow_up_update may change.
UPDATABLE = frozenset({"kind", "text", "next_date", "done"})


def _clean_partner(partner: Partner | None) -> Partner:
    if partner is None:
        raise AppError(ErrorCode.REQUIRED, _("Choose a customer."), field="partner")
    if not partner.is_customer:
        raise AppError(ErrorCode.NOT_A_CUSTOMER, _("%(name)s is not a customer.") % {"name": partner.name},
                       field="partner")  # fmt: skip
    return partner


def _clean_kind(kind: str | None) -> str:
    if kind not in FollowUpKind.values:
        raise AppError(
            ErrorCode.INVALID_KIND,
            _("Choose one of: %(values)s.") % {"values": ", ".join(FollowUpKind.values)},
            field="kind",
        )
    return kind


def _clean_text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise AppError(ErrorCode.REQUIRED, _("Write what was said or done."), field="text")
    if len(text) > TEXT_MAX_LENGTH:
        raise AppError(ErrorCode.TOO_LONG, _("At most %(n)s characters.") % {"n": TEXT_MAX_LENGTH}, field="text")
    return text


def _clean_next_date(next_date: date | None, *, tz_name: str) -> date | None:
    # A follow-up planned for a day already gone would be overdue the moment it is written.
    if next_date is not None and next_date < today_in(tz_name):
        raise AppError(ErrorCode.INVALID_DATE, _("The next follow-up cannot be in the past."), field="next_date")
    return next_date


def follow_up_create(
    *,
    partner: Partner | None,
    kind: str,
    text: str,
    next_date: date | None = None,
    author=None,
    tz_name: str,
) -> FollowUp:
    """A note on `partner` (a customer); `next_date` (not before today in `tz_name`) puts it on the due list."""
    with transaction.atomic():
        return FollowUp.objects.create(
            partner=_clean_partner(partner),
            kind=_clean_kind(kind),
            text=_clean_text(text),
            next_date=_clean_next_date(next_date, tz_name=tz_name),
            author=author if getattr(author, "pk", None) else None,
        )


def _locked(follow_up_id: int, partner_id: int | None) -> FollowUp:
    rows = FollowUp.objects.select_for_update().filter(pk=follow_up_id)
    if partner_id is not None:
        rows = rows.filter(partner_id=partner_id)
    follow_up = rows.first()
    if follow_up is None:
        raise NotFound(ErrorCode.NOT_FOUND, _("No such follow-up."), field="follow_up_id")
    return follow_up


def follow_up_update(*, follow_up_id: int, tz_name: str, partner_id: int | None = None, **changes) -> FollowUp:
    """Change the kind, text, next date or done flag; a next date is checked only when it changes."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        name = sorted(unknown)[0]
        raise AppError("unknown_field", _("This field cannot be changed."), field=name)
    with transaction.atomic():
        follow_up = _locked(follow_up_id, partner_id)
        if "kind" in changes:
            follow_up.kind = _clean_kind(changes["kind"])
        if "text" in changes:
            follow_up.text = _clean_text(changes["text"])
        if "next_date" in changes and changes["next_date"] != follow_up.next_date:
            follow_up.next_date = _clean_next_date(changes["next_date"], tz_name=tz_name)
        if "done" in changes:
            _done_set(follow_up, bool(changes["done"]))
        follow_up.save()
        return follow_up


def _done_set(follow_up: FollowUp, done: bool) -> None:
    if follow_up.done != done:
        follow_up.done = done
        follow_up.done_at = timezone.now() if done else None


def follow_up_done_set(*, follow_up_id: int, done: bool = True, partner_id: int | None = None) -> FollowUp:
    """Mark a follow-up done (it leaves the due list) or open again; setting the state it has changes nothing."""
    with transaction.atomic():
        follow_up = _locked(follow_up_id, partner_id)
        if follow_up.done != done:
            _done_set(follow_up, done)
            follow_up.save(update_fields=["done", "done_at", "updated_at"])
        return follow_up


def follow_up_delete(*, follow_up_id: int, partner_id: int | None = None) -> None:
    with transaction.atomic():
        _locked(follow_up_id, partner_id).delete()
