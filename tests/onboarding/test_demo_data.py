import random
from decimal import Decimal

from django.db.models import Count
from django.test import Client
from django_tenants.utils import schema_context

from modules.catalog.domain import barcode_is_valid
from modules.catalog.models import Barcode, Brand, Category, Item, ItemUnit, Unit
from modules.partners.domain import credit_code_is_valid
from modules.partners.models import Contact, Partner, SupplierItem
from onboarding.demo import DEMO_OWNER_EMAIL, demo_tenant_ensure
from onboarding.demo_data import AGRICULTURAL, SEED, credit_code, demo_catalog_seed

MODELS = (Item, Barcode, Unit, Brand, Category, ItemUnit, Partner, Contact, SupplierItem)


def _counts(schema_name: str) -> dict:
    with schema_context(schema_name):
        return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_shop_is_seeded_in_its_own_schema_only(tenant_a, tenant_b):
    before = (_counts(tenant_a.schema_name), _counts(tenant_b.schema_name))
    tenant = demo_tenant_ensure(with_stock=False)
    assert (_counts(tenant_a.schema_name), _counts(tenant_b.schema_name)) == before
    counts = _counts(tenant.schema_name)
    assert counts["Item"] == 310
    assert counts["Barcode"] == 308  # every item but the two variant parents
    assert counts["Partner"] == 37
    with schema_context(tenant.schema_name):
        assert Partner.objects.filter(is_supplier=True).count() == 17
        assert Partner.objects.filter(is_customer=True).count() == 21
        assert Partner.objects.filter(is_supplier=True, is_customer=True).count() == 1


def test_second_run_creates_nothing(tenant_a):
    tenant = demo_tenant_ensure(with_stock=False)
    first = _counts(tenant.schema_name)
    demo_tenant_ensure(with_stock=False)
    with schema_context(tenant.schema_name):
        result = demo_catalog_seed()
    assert (result.items, result.suppliers, result.customers, result.supplier_items) == (0, 0, 0, 0)
    assert _counts(tenant.schema_name) == first


def test_every_barcode_is_a_valid_unique_chinese_ean13(in_tenant_a):
    demo_catalog_seed()
    codes = list(Barcode.objects.values_list("code", flat=True))
    assert len(codes) == 308
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 13 and code.startswith("69") and barcode_is_valid(code) for code in codes)
    assert not Item.objects.filter(variant_of=None, variants=None).annotate(n=Count("barcodes")).exclude(n=1).exists()


def test_items_have_consistent_categories_units_vat_and_prices(in_tenant_a):
    result = demo_catalog_seed()
    assert result.items == Item.objects.count() == 310
    items = list(Item.objects.select_related("category__parent", "base_unit").prefetch_related("units__unit"))
    for item in items:
        assert item.category.parent is not None, item.code  # every item sits in a subcategory
        for price in (item.purchase_price, item.sale_price):
            assert isinstance(price, Decimal) and price.as_tuple().exponent == -2, item.code
        assert Decimal("0") < item.purchase_price < item.sale_price, item.code
        margin = (item.sale_price - item.purchase_price) / item.sale_price
        assert Decimal("0.14") < margin < Decimal("0.56"), item.code
        expected_vat = Decimal("0.09") if item.category.name in AGRICULTURAL else Decimal("0.13")
        assert item.vat_rate == expected_vat, item.code
        for item_unit in item.units.all():
            assert item_unit.unit_id != item.base_unit_id, item.code
            assert item_unit.factor == int(item_unit.factor) > 1, item.code
        assert item.lot_tracked == (item.category.parent.name == "乳制品"), item.code
        if item.lot_tracked:
            assert item.shelf_life_days and item.shelf_life_days > 0
    assert len({item.code for item in items}) == len(items)
    cola = Item.objects.get(name="可口可乐 500ml")
    assert (cola.base_unit.name, [(u.unit.name, u.factor) for u in cola.units.all()]) == ("瓶", [("箱", Decimal(24))])
    assert cola.category.name == "碳酸饮料" and cola.category.parent.name == "饮料"
    assert cola.brand.name == "可口可乐"
    rice = Item.objects.get(name="金龙鱼东北大米 5kg")
    assert rice.vat_rate == Decimal("0.09")
    loose = Item.objects.get(name="崇明大米 散装")
    assert (loose.base_unit.name, loose.brand) == ("kg", None)
    assert Item.objects.filter(lot_tracked=True).count() == 30


def test_variants_of_the_t_shirt_by_colour_and_size(in_tenant_a):
    demo_catalog_seed()
    tee = Item.objects.get(code="FZ0001")
    variants = list(tee.variants.order_by("code"))
    assert len(variants) == 12
    assert {(v.attributes["颜色"], v.attributes["尺码"]) for v in variants} == {
        (c, s) for c in ("白", "黑", "藏青") for s in ("S", "M", "L", "XL")
    }
    assert all(v.barcodes.count() == 1 and v.brand.name == "上海印象" for v in variants)
    assert Item.objects.get(code="FZ0002").variants.count() == 3


def test_partners_have_valid_credit_codes_contacts_terms_and_supplier_items(in_tenant_a):
    demo_catalog_seed()
    partners = list(Partner.objects.all())
    assert all(credit_code_is_valid(p.taxpayer_id) and p.taxpayer_id[2:4] == "31" for p in partners)
    assert len({p.taxpayer_id for p in partners}) == len(partners)
    assert all(p.contacts.filter(is_primary=True).count() == 1 for p in partners)
    assert all(p.address.startswith("上海市") for p in partners)
    water = Partner.objects.get(name="上海农夫山泉饮料有限公司")
    assert water.is_supplier and water.payment_terms_days == 30 and water.contacts.count() == 2
    assert Partner.objects.filter(is_customer=True, credit_limit__gt=0).count() == 21
    assert len(set(Partner.objects.filter(is_customer=True).values_list("price_tier", flat=True))) == 5
    # Every article without variants has exactly one supplier, whose last price is near the list price.
    links = SupplierItem.objects.select_related("item", "supplier")
    assert links.count() == 295
    assert not Item.objects.filter(variant_of=None).exclude(pk__in=links.values("item_id")).exists()
    for link in links:
        assert link.supplier.is_supplier and link.supplier_item_code
        assert abs(link.last_purchase_price - link.item.purchase_price) <= link.item.purchase_price * Decimal("0.05")
    assert {link.item.brand.name for link in links.filter(supplier=water)} == {"农夫山泉"}


def test_the_seed_is_deterministic():
    assert credit_code(random.Random(SEED), kind="company", district="浦东新区") == credit_code(
        random.Random(SEED), kind="company", district="浦东新区"
    )
    assert credit_code_is_valid(credit_code(random.Random(1), kind="individual", district="黄浦区"))


def test_the_demo_owner_sees_the_seeded_item_list(db):
    tenant = demo_tenant_ensure(with_stock=False)
    client = Client(HTTP_HOST=f"{tenant.slug}.localhost")
    with schema_context(tenant.schema_name):
        from django.contrib.auth.models import User

        client.force_login(User.objects.get(email=DEMO_OWNER_EMAIL))
    response = client.get("/catalog/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "FB0001" in page and "康师傅红烧牛肉面 袋装" in page  # the first page, by code
    found = client.get("/catalog/", {"q": "kkkl"}).content.decode()  # 可口可乐 by its pinyin initials
    assert "YL0001" in found and "可口可乐 330ml" in found and "零度可口可乐 2L" in found
