from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from modules.catalog.models import Barcode, Item, Unit


def test_item_and_barcode_are_stored_in_the_tenant_schema(in_tenant_a):
    unit = Unit.objects.create(name="瓶")
    item = Item.objects.create(code="SKU-M1", name="可乐", base_unit=unit)
    Barcode.objects.create(item=item, code="6901234567892")
    assert Item.objects.get(code="SKU-M1").vat_rate == Decimal("0.13")
    with pytest.raises(IntegrityError), transaction.atomic():
        Barcode.objects.create(item=item, code="6901234567892")
