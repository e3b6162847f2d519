from django import forms
from django.utils.translation import gettext_lazy as _

from jxc.api.enums import Scope
from jxc.api.services import NAME_MAX_LENGTH


class ApiKeyCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Who or what uses the key, e.g. 'Accountant Wang' or 'Online shop sync'."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.READ],
        help_text=_("Give a key only what it needs."),
    )
