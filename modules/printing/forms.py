"""The print settings page's forms: the shop's details, and a logo upload (checked by the service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.printing.models import ShopProfile
from modules.printing.services import PROFILE_FIELDS


class ShopProfileForm(forms.ModelForm):
    class Meta:
        model = ShopProfile
        fields = PROFILE_FIELDS
        help_texts = {
            "display_name": _("Leave empty to print the company name."),
            "taxpayer_id": _("The 18-character unified social credit code."),
        }


class LogoForm(forms.Form):
    # A plain file field: the service says what is wrong with a file (type, size, damage) in one place.
    logo = forms.FileField(
        label=_("Logo"),
        help_text=_("PNG or JPEG, at most 512 KB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
