from modules.catalog.demo import catalog_demo_seed
from modules.catalog.domain import barcode_is_valid
from modules.catalog.models import Barcode, Item
from modules.catalog.selectors import item_list


def test_demo_catalog_is_realistic_and_seeded_once(in_tenant_a):
    created = catalog_demo_seed()
    assert created == Item.objects.count() > 100
    assert all(barcode_is_valid(code) for code in Barcode.objects.values_list("code", flat=True))
    assert [i.name for i in item_list(q="kkkl")][:1] == ["可口可乐 500ml"]
    assert Item.objects.filter(variant_of__code="FZ00001").count() == 9
    assert catalog_demo_seed() == 0
