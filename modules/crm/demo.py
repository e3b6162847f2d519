"""Follow-ups for the demo shop, so its customer pages and the dashboard card are not empty: for the first
few customers, a note that was dealt with, one due today and one planned for next week. Written through
the services, by the shop's owner."""

from datetime import timedelta

from django.contrib.auth.models import User

from jxc.kernel.numbers import today_in
from modules.crm import services
from modules.crm.enums import FollowUpKind
from modules.crm.models import FollowUp
from modules.partners.selectors import Kind, partner_list

NOTES = [
    (FollowUpKind.CALL, "电话确认下周的送货时间，对方要求上午送到。", None, True),
    (FollowUpKind.WECHAT, "微信发了新到的进口零食报价，等对方回复。", 0, False),
    (FollowUpKind.VISIT, "上门拜访采购，谈春节备货和账期。", 7, False),
    (FollowUpKind.EMAIL, "邮件寄出上月对账单，请对方核对盖章。", 0, False),
]
CUSTOMERS = 4


def demo_follow_ups_seed(*, tz: str) -> int:
    """Seed the current schema (the demo shop's) once; the number of follow-ups written (0 when it had some)."""
    if FollowUp.objects.exists():
        return 0
    owner = User.objects.filter(is_active=True).order_by("id").first()
    today = today_in(tz)
    written = 0
    for index, customer in enumerate(partner_list(kind=Kind.CUSTOMER, active=True)[:CUSTOMERS]):
        # Two notes each, taken in turn.
        for kind, text, in_days, done in (NOTES[index % len(NOTES)], NOTES[(index + 1) % len(NOTES)]):
            follow_up = services.follow_up_create(
                partner=customer, kind=kind, text=text, author=owner, tz_name=tz,
                next_date=None if in_days is None else today + timedelta(days=in_days),
            )  # fmt: skip
            if done:
                services.follow_up_done_set(follow_up_id=follow_up.pk)
            written += 1
    return written
