"""Reads for the signup pages: is a shop address free, and which free address to suggest for a name."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from tenants.enums import TenantErrorCode
from tenants.services import slug_check
from tenants.slugs import SLUG_MAX, slug_suggest


class SlugStatus:
    AVAILABLE = "available"
    TAKEN = "taken"
    RESERVED = "reserved"
    INVALID = "invalid"


_STATUS_FOR_CODE = {
    TenantErrorCode.SLUG_INVALID: SlugStatus.INVALID,
    TenantErrorCode.SLUG_RESERVED: SlugStatus.RESERVED,
    TenantErrorCode.SLUG_TAKEN: SlugStatus.TAKEN,
}


@dataclass(frozen=True)
class SlugAvailability:
    slug: str
    status: str
    message: str

    @property
    def available(self) -> bool:
        return self.status == SlugStatus.AVAILABLE


def slug_normalise(raw: str) -> str:
    """What a visitor typed, as the address it would become (`  MyShop ` -> `myshop`)."""
    return (raw or "").strip().lower()


def slug_availability(*, slug: str) -> SlugAvailability:
    try:
        slug_check(slug)
    except AppError as error:
        return SlugAvailability(
            slug=slug, status=_STATUS_FOR_CODE.get(error.code, SlugStatus.INVALID), message=str(error.message)
        )
    return SlugAvailability(slug=slug, status=SlugStatus.AVAILABLE, message=_("This shop address is available."))


def slug_suggest_available(*, name: str, attempts: int = 20) -> str:
    """A free address derived from the company name: the pinyin slug, then `-2`, `-3`... if taken."""
    base = slug_suggest(name)
    for n in range(1, attempts + 1):
        suffix = "" if n == 1 else f"-{n}"
        candidate = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
        if slug_availability(slug=candidate).available:
            return candidate
    return base
