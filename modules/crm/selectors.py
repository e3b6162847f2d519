"""Customer reads: follow-ups (one customer's, and those due), the due card, the customer overview."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from modules.crm.models import FollowUp

DUE_CARD_TOP = 5


def follow_up_list(*, partner_id: int) -> QuerySet[FollowUp]:
    """One customer's follow-ups, newest first."""
    return FollowUp.objects.filter(partner_id=partner_id).select_related("author").order_by("-created_at", "-id")


def follow_up_get(*, follow_up_id: int, partner_id: int | None = None) -> FollowUp | None:
    rows = FollowUp.objects.select_related("partner", "author").filter(pk=follow_up_id)
    if partner_id is not None:
        rows = rows.filter(partner_id=partner_id)
    return rows.first()


def follow_ups_due(*, on: date, author_id: int | None = None) -> QuerySet[FollowUp]:
    """Open follow-ups planned for `on` or earlier (overdue first), of one author or (None) everyone's."""
    rows = FollowUp.objects.filter(done=False, next_date__lte=on)
    if author_id is not None:
        rows = rows.filter(author_id=author_id)
    return rows.select_related("partner", "author").order_by("next_date", "id")


@dataclass(frozen=True)
class DueCard:
    on: date
    today_count: int
    overdue_count: int
    top: list[FollowUp]

    @property
    def count(self) -> int:
        return self.today_count + self.overdue_count


def due_card(*, on: date, author_id: int | None) -> DueCard:
    """The dashboard card: how many follow-ups are due today and overdue, and the first few."""
    rows = follow_ups_due(on=on, author_id=author_id)
    counts = rows.aggregate(today=Count("id", filter=Q(next_date=on)), overdue=Count("id", filter=Q(next_date__lt=on)))
    return DueCard(on=on, today_count=counts["today"], overdue_count=counts["overdue"], top=list(rows[:DUE_CARD_TOP]))
