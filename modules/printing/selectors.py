"""Printing reads: the shop profile (a blank one before the first change) and the header it prints."""

from modules.printing.domain import ShopHeader
from modules.printing.models import ShopProfile


def shop_profile_get() -> ShopProfile:
    """The saved profile, or an unsaved blank one: reading never writes."""
    return ShopProfile.objects.filter(pk=1).first() or ShopProfile(pk=1)


def shop_header(*, tenant) -> ShopHeader:
    profile = shop_profile_get()
    return ShopHeader(
        name=profile.display_name or tenant.name,
        address=profile.address,
        phone=profile.phone,
        taxpayer_id=profile.taxpayer_id,
        bank_name=profile.bank_name,
        bank_account=profile.bank_account,
        logo=bytes(profile.logo) if profile.logo else None,
    )
