"""The demo shop's follow-ups: written once, through the services, some due today, one done."""

from modules.crm import selectors
from modules.crm.demo import demo_follow_ups_seed
from modules.crm.models import FollowUp
from modules.partners import services as partners
from tests.crm.conftest import TZ, day


def test_seed_once(world):
    partners.partner_create(code="K3", name="三号客户", is_customer=True)
    partners.partner_create(code="K4", name="四号客户", is_customer=True)
    assert demo_follow_ups_seed(tz=TZ) == 8
    assert demo_follow_ups_seed(tz=TZ) == 0
    assert FollowUp.objects.count() == 8
    assert FollowUp.objects.filter(done=True).count() == 2
    assert set(FollowUp.objects.values_list("partner__code", flat=True)) == {"K1", "K2", "K3", "K4"}
    assert selectors.due_card(on=day(0), author_id=None).count == 4
