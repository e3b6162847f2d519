"""The shop's main navigation: a small registry the shell template reads.

Business modules arrive with later issues. Each nav entry names the URL its
page will have; until that URL exists the entry is shown greyed out as
"coming soon" instead of linking to a 404, and it lights up by itself once a
module adds the URL name. A module may also register its own entry (or
replace a default one) with `nav_register` from its AppConfig.ready().
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str | Promise
    url_name: str
    order: int
    # A Django permission ("app_label.codename") the user needs to see the entry; None: everyone.
    permission: str | None = None


@dataclass(frozen=True)
class NavItem:
    """A nav entry resolved for one request: `url` is None while the page does not exist yet."""

    key: str
    label: str | Promise
    url: str | None
    active: bool

    @property
    def available(self) -> bool:
        return self.url is not None


_registry: dict[str, NavEntry] = {}


def nav_register(
    *, key: str, label: str | Promise, url_name: str, order: int, permission: str | None = None
) -> NavEntry:
    """Add the nav entry `key`, or replace the one registered under it before."""
    entry = NavEntry(key=key, label=label, url_name=url_name, order=order, permission=permission)
    _registry[key] = entry
    return entry


def nav_unregister(*, key: str) -> None:
    _registry.pop(key, None)


def nav_entries() -> list[NavEntry]:
    return sorted(_registry.values(), key=lambda entry: (entry.order, entry.key))


def url_or_none(url_name: str, *args, **kwargs) -> str | None:
    """The path of `url_name`, or None when no such URL is installed (yet)."""
    try:
        return reverse(url_name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def nav_items(*, user, path: str) -> list[NavItem]:
    """The entries `user` may see, with their links resolved and the current one marked active."""
    visible = [
        (entry, url_or_none(entry.url_name))
        for entry in nav_entries()
        if not entry.permission or user.has_perm(entry.permission)
    ]
    # The longest matching link wins: /stock/counts/ marks "Stock counts", not "Stock" as well.
    matching = [url for _entry, url in visible if url and (path == url if url == "/" else path.startswith(url))]
    current = max(matching, key=len, default=None)
    return [
        NavItem(key=entry.key, label=entry.label, url=url, active=url is not None and url == current)
        for entry, url in visible
    ]


# The defaults. A module adding `<namespace>:index` gets a live link without touching this file.
# Labels carry a message context: Django merges every app's catalog into one, and other apps
# translate the same words differently (the role "Sales", a count of "Users").
nav_register(key="dashboard", label=pgettext_lazy("nav", "Dashboard"), url_name="workspace:dashboard", order=0)
nav_register(key="stock", label=pgettext_lazy("nav", "Stock"), url_name="inventory:index", order=10)
nav_register(key="purchasing", label=pgettext_lazy("nav", "Purchasing"), url_name="purchasing:index", order=20)
nav_register(key="sales", label=pgettext_lazy("nav", "Sales"), url_name="sales:index", order=30)
nav_register(key="finance", label=pgettext_lazy("nav", "Finance"), url_name="finance:index", order=40)
nav_register(key="reports", label=pgettext_lazy("nav", "Reports"), url_name="reports:index", order=50)
