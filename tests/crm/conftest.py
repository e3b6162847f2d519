"""Customers for CRM tests: the stock documents' shop (a customer K1 and a supplier S1) plus a second
customer, and helpers to read what a refused request must leave unchanged."""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import transaction
from django_tenants.utils import schema_context

from jxc.kernel.numbers import today_in
from modules.crm.models import FollowUp
from modules.partnerledger.services import partner_entry_post
from modules.partners import services as partners
from modules.partners.models import Partner

# The browser fixtures live with the browser tests; test_browser borrows them.
from tests.browser.conftest import _playwright, _server_thread, browser, new_page, server, snap  # noqa: F401
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


_sources = itertools.count(1)


def entry(partner: Partner, days_ago: int, amount: str, number: str, source_type: str = "sales_invoice"):
    """A receivable entry dated `days_ago` days before today: + an invoice, − money received."""
    with transaction.atomic():
        return partner_entry_post(
            partner=partner, kind="receivable", date=day(days_ago), source_type=source_type,
            source_id=next(_sources), number=number, amount=D(amount),
        )  # fmt: skip


def day(days_ago: int) -> date:
    return today_in(TZ) - timedelta(days=days_ago)
