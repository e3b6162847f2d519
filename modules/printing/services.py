"""Printing writes: the shop profile's details and its logo. One transaction each, on the locked row."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.kernel.errors import AppError
from modules.partners.domain import taxpayer_id_normalise, taxpayer_id_problem
from modules.printing.domain import logo_check
from modules.printing.enums import ErrorCode
from modules.printing.models import ShopProfile

PROFILE_FIELDS = ("display_name", "address", "phone", "taxpayer_id", "bank_name", "bank_account")


def _locked() -> ShopProfile:
    ShopProfile.objects.get_or_create(pk=1)
    return ShopProfile.objects.select_for_update().get(pk=1)


def shop_profile_update(
    *, display_name: str, address: str, phone: str, taxpayer_id: str, bank_name: str, bank_account: str
) -> ShopProfile:
    """Set the details printed in the header of every document; all of them may be left empty."""
    values = {
        "display_name": display_name,
        "address": address,
        "phone": phone,
        "taxpayer_id": taxpayer_id_normalise(taxpayer_id),
        "bank_name": bank_name,
        "bank_account": bank_account,
    }
    values = {name: (" ".join(str(value or "").split())) for name, value in values.items()}
    for name, value in values.items():
        limit = ShopProfile._meta.get_field(name).max_length
        if len(value) > limit:
            raise AppError(ErrorCode.TOO_LONG, _("At most %(n)s characters.") % {"n": limit}, field=name)
    if values["taxpayer_id"] and taxpayer_id_problem(values["taxpayer_id"]):
        raise AppError(
            ErrorCode.TAXPAYER_ID_INVALID,
            _("Not a taxpayer id: enter the 18-character unified social credit code (or an old 15, 17 or 20 "
              "character number)."),
            field="taxpayer_id",
        )  # fmt: skip
    with transaction.atomic():
        profile = _locked()
        for name, value in values.items():
            setattr(profile, name, value)
        profile.save(update_fields=[*PROFILE_FIELDS, "updated_at"])
    return profile


def shop_logo_set(*, data: bytes) -> ShopProfile:
    """Replace the logo with `data`, a PNG or JPEG of at most 512 KB (else an AppError on `logo`)."""
    content_type = logo_check(data)
    with transaction.atomic():
        profile = _locked()
        profile.logo, profile.logo_content_type, profile.logo_updated_at = data, content_type, timezone.now()
        profile.save(update_fields=["logo", "logo_content_type", "logo_updated_at", "updated_at"])
    return profile


def shop_logo_remove() -> ShopProfile:
    with transaction.atomic():
        profile = _locked()
        profile.logo, profile.logo_content_type, profile.logo_updated_at = None, "", timezone.now()
        profile.save(update_fields=["logo", "logo_content_type", "logo_updated_at", "updated_at"])
    return profile
