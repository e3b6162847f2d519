"""The nav registry: entries light up once their URL exists, and never link to a missing page."""

from django.contrib.auth.models import AnonymousUser
from django.urls import include, path
from django.utils import translation

from modules.workspace import navigation
from modules.workspace.navigation import nav_items, nav_register, nav_unregister, url_or_none


class _Everyone(AnonymousUser):
    def has_perm(self, perm, obj=None):
        return True


DEFAULT_KEYS = {"dashboard", "stock", "purchasing", "sales", "finance", "reports"}


class _Nobody(AnonymousUser):
    def has_perm(self, perm, obj=None):
        return False


def _view(request):  # pragma: no cover - never called, only reversed
    raise AssertionError


def test_default_entries_in_order():
    # Modules register entries of their own between the defaults (catalog, partners): compare the defaults only.
    keys = [entry.key for entry in navigation.nav_entries() if entry.key in DEFAULT_KEYS]

    assert keys == ["dashboard", "stock", "purchasing", "sales", "finance", "reports"]


def test_missing_pages_are_coming_soon_not_links(settings):
    settings.ROOT_URLCONF = "jxc.urls_tenant"

    items = {item.key: item for item in nav_items(user=_Everyone(), path="/")}

    assert items["dashboard"].url == "/"
    assert items["dashboard"].available is True
    assert items["dashboard"].active is True
    # No business module exists yet: these stay greyed out instead of linking to a 404.
    assert items["stock"].url == "/stock/"  # the inventory module exists (issue 3)
    assert items["sales"].url == "/sales/" and items["sales"].available is True  # retail sales (issue 4)
    assert items["purchasing"].url == "/purchasing/" and items["purchasing"].available is True  # issue 4
    assert items["reports"].url == "/reports/" and items["reports"].available is True  # issue 4
    for key in ("finance",):
        assert items[key].url is None
        assert items[key].available is False
        assert items[key].active is False


def test_url_or_none_tolerates_unknown_names(settings):
    settings.ROOT_URLCONF = "jxc.urls_tenant"

    assert url_or_none("no_such_namespace:index") is None
    assert url_or_none("workspace:dashboard") == "/"


# A stand-in for a later module's URLconf: `inventory:index` appears, so the Stock entry lights up.
urlpatterns = [
    path("stock/", include(([path("", _view, name="index")], "inventory"))),
    path("", _view, name="home"),
]


def test_entry_lights_up_when_its_url_exists(settings):
    settings.ROOT_URLCONF = __name__

    items = {item.key: item for item in nav_items(user=_Everyone(), path="/stock/levels/")}

    assert items["stock"].url == "/stock/"
    assert items["stock"].active is True
    assert items["purchasing"].url is None


def test_register_replaces_and_permission_hides(settings):
    settings.ROOT_URLCONF = __name__
    original = {entry.key: entry for entry in navigation.nav_entries()}["stock"]
    try:
        nav_register(key="stock", label="Stock levels", url_name="inventory:index", order=5, permission="x.view_y")
        nav_register(key="extra", label="Extra", url_name="home", order=99)

        with translation.override("en"):
            seen_by_all = [(item.key, str(item.label), item.url) for item in nav_items(user=_Everyone(), path="/")]
        seen_by_none = [item.key for item in nav_items(user=_Nobody(), path="/")]

        assert seen_by_all[:2] == [("dashboard", "Dashboard", None), ("stock", "Stock levels", "/stock/")]
        assert seen_by_all[-1] == ("extra", "Extra", "/")
        assert "stock" not in seen_by_none
        assert "extra" in seen_by_none
    finally:
        nav_unregister(key="extra")
        nav_register(
            key=original.key,
            label=original.label,
            url_name=original.url_name,
            order=original.order,
            permission=original.permission,
        )
    assert [entry.key for entry in navigation.nav_entries() if entry.key in DEFAULT_KEYS] == [
        "dashboard",
        "stock",
        "purchasing",
        "sales",
        "finance",
        "reports",
    ]


def test_only_the_longest_matching_entry_is_active(client_a, tenant_a, owner_a):
    from tests.api.conftest import login

    login(client_a, tenant_a, owner_a)
    page = client_a.get("/stock/counts/").content.decode()
    assert page.count('aria-current="page"') == 1
    assert 'data-nav="stockcount" class="active" aria-current="page"' in page
