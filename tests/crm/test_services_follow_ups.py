"""Follow-up writes and the due list: notes on customers only, a next date not in the past, done and open
again, the due list per author (today and overdue, nothing done, nothing later), the dashboard card."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from jxc.kernel.errors import AppError, NotFound
from jxc.kernel.numbers import today_in
from modules.crm import selectors, services
from modules.crm.models import FollowUp
from tests.crm.conftest import TZ, follow_up_state


@pytest.fixture
def clerk(world):
    return User.objects.create_user(username="clerk", email="clerk@alpha.test")


@pytest.fixture
def other(world):
    return User.objects.create_user(username="other", email="other@alpha.test")


def note(world, author, *, days: int | None = 0, text="打电话确认下周订货", kind="call", customer=None):
    """A follow-up planned `days` from today (written as if the date was then still ahead)."""
    today = today_in(TZ)
    follow_up = services.follow_up_create(
        partner=customer or world.k1, kind=kind, text=text, author=author, tz_name=TZ,
        next_date=None if days is None else today + timedelta(days=max(days, 0)),
    )  # fmt: skip
    if days is not None and days < 0:
        # Time passed: the planned day is behind us now.
        FollowUp.objects.filter(pk=follow_up.pk).update(next_date=today + timedelta(days=days))
        follow_up.refresh_from_db()
    return follow_up


def test_create_keeps_the_note_trimmed_with_its_author(world, clerk):
    follow_up = services.follow_up_create(
        partner=world.k1, kind="wechat", text="  微信发了报价  ", next_date=today_in(TZ), author=clerk, tz_name=TZ
    )
    follow_up.refresh_from_db()
    assert (follow_up.partner_id, follow_up.kind, follow_up.text, follow_up.author_id, follow_up.done) == (
        world.k1.pk, "wechat", "微信发了报价", clerk.pk, False,
    )  # fmt: skip
    assert follow_up.next_date == today_in(TZ) and follow_up.done_at is None


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"partner": "supplier"}, "partner", "not_a_customer"),
        ({"partner": None}, "partner", "required"),
        ({"kind": "fax"}, "kind", "invalid_kind"),
        ({"text": "   "}, "text", "required"),
        ({"text": "长" * 2001}, "text", "too_long"),
        ({"next_date": -1}, "next_date", "invalid_date"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(world, clerk, changes, field, code):
    note(world, clerk)
    before = follow_up_state()
    values = {"partner": world.k1, "kind": "call", "text": "拜访", "next_date": None}
    values.update(changes)
    if values["partner"] == "supplier":
        values["partner"] = world.supplier
    if values["next_date"] == -1:
        values["next_date"] = today_in(TZ) - timedelta(days=1)
    with pytest.raises(AppError) as refused:
        services.follow_up_create(author=clerk, tz_name=TZ, **values)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert follow_up_state() == before


def test_update_checks_a_changed_date_only(world, clerk):
    follow_up = note(world, clerk, days=-3)
    # The past date stays when only the text changes…
    changed = services.follow_up_update(
        follow_up_id=follow_up.pk, tz_name=TZ, text="改了", next_date=follow_up.next_date
    )
    assert (changed.text, changed.next_date) == ("改了", today_in(TZ) - timedelta(days=3))
    # …but a new date must not be in the past.
    with pytest.raises(AppError) as refused:
        services.follow_up_update(follow_up_id=follow_up.pk, tz_name=TZ, next_date=today_in(TZ) - timedelta(days=1))
    assert refused.value.field == "next_date"
    with pytest.raises(AppError) as refused:
        services.follow_up_update(follow_up_id=follow_up.pk, tz_name=TZ, author=None)
    assert refused.value.field == "author"
    moved = services.follow_up_update(follow_up_id=follow_up.pk, tz_name=TZ, next_date=None, kind="visit")
    assert (moved.next_date, moved.kind) == (None, "visit")


def test_a_follow_up_of_another_customer_is_not_found(world, clerk):
    follow_up = note(world, clerk)
    before = follow_up_state()
    with pytest.raises(NotFound):
        services.follow_up_update(follow_up_id=follow_up.pk, partner_id=world.k2.pk, tz_name=TZ, text="x")
    with pytest.raises(NotFound):
        services.follow_up_done_set(follow_up_id=follow_up.pk, partner_id=world.k2.pk)
    with pytest.raises(NotFound):
        services.follow_up_delete(follow_up_id=follow_up.pk + 1000)
    assert follow_up_state() == before


def test_done_and_open_again(world, clerk):
    follow_up = note(world, clerk)
    done = services.follow_up_done_set(follow_up_id=follow_up.pk)
    assert done.done and done.done_at is not None and done.done_at <= timezone.now()
    stamp = done.done_at
    # Done twice: the first stamp stays.
    assert services.follow_up_done_set(follow_up_id=follow_up.pk).done_at == stamp
    reopened = services.follow_up_done_set(follow_up_id=follow_up.pk, done=False)
    assert (reopened.done, reopened.done_at) == (False, None)
    services.follow_up_delete(follow_up_id=follow_up.pk)
    assert FollowUp.objects.count() == 0


def test_due_list_holds_today_and_overdue_of_the_author(world, clerk, other):
    overdue = note(world, clerk, days=-2)
    today = note(world, clerk, days=0, customer=world.k2)
    note(world, clerk, days=1)  # later
    note(world, clerk, days=None)  # nothing planned
    services.follow_up_done_set(follow_up_id=note(world, clerk, days=-1).pk)  # done
    theirs = note(world, other, days=0)
    on = today_in(TZ)
    assert list(selectors.follow_ups_due(on=on, author_id=clerk.pk)) == [overdue, today]
    assert list(selectors.follow_ups_due(on=on)) == [overdue, today, theirs]
    card = selectors.due_card(on=on, author_id=clerk.pk)
    assert (card.today_count, card.overdue_count, card.count, card.top) == (1, 1, 2, [overdue, today])
    assert selectors.due_card(on=on, author_id=other.pk).count == 1
    assert list(selectors.follow_up_list(partner_id=world.k2.pk)) == [today]
