"""Customers for CRM tests: the stock documents' shop (a customer K1 and a supplier S1) plus a second
customer, and helpers to read what a refused request must leave unchanged."""

from dataclasses import dataclass

import pytest
from django_tenants.utils import schema_context

from modules.crm.models import FollowUp
from modules.partners import services as partners
from modules.partners.models import Partner
from tests.stockops.conftest import TZ, Shop, auth, login, make_key, make_user, roles_synced, shop_create  # noqa: F401


@dataclass
class Customers:
    shop: Shop
    k1: Partner  # the shop's customer
    k2: Partner
    supplier: Partner  # a supplier only: not a customer


def customers_create() -> Customers:
    shop = shop_create()
    k2 = partners.partner_create(code="K2", name="二号客户", is_customer=True, payment_terms_days=30)
    return Customers(shop=shop, k1=shop.customer, k2=k2, supplier=shop.supplier)


@pytest.fixture
def world(in_tenant_a) -> Customers:
    return customers_create()


@pytest.fixture
def world_a(tenant_a) -> Customers:
    with schema_context(tenant_a.schema_name):
        return customers_create()


def in_tenant(tenant, call):
    with schema_context(tenant.schema_name):
        return call()


def follow_up_state() -> list:
    return sorted(
        FollowUp.objects.values_list("id", "partner_id", "kind", "text", "next_date", "done", "done_at", "author_id")
    )
