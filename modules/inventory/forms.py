from django import forms
from django.utils.translation import gettext_lazy as _

from modules.inventory.models import LocationKind


class WarehouseForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class LocationForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=LocationKind.choices)
    parent = forms.TypedChoiceField(label=_("Parent"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, tree=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("(top level)"))] + [
            (location.pk, "— " * depth + location.code) for location, depth in tree
        ]
