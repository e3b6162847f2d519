from django import forms
from django.utils.translation import gettext_lazy as _

from modules.inventory.models import CostingMethod, LocationKind


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


class StockSettingsForm(forms.Form):
    allow_negative_stock = forms.BooleanField(
        label=_("Allow negative stock"),
        required=False,
        help_text=_(
            "Let issues go below zero (to be corrected by a later receipt or count). FIFO costing needs it off."
        ),
    )
    costing_method = forms.ChoiceField(label=_("Costing method"), choices=CostingMethod.choices)

    def __init__(self, *args, costing_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if costing_locked:
            # A disabled field keeps its initial value whatever is posted.
            self.fields["costing_method"].disabled = True
            self.fields["costing_method"].help_text = _(
                "Stock has moved, so the costing method is fixed: changing it would re-cost the whole history."
            )

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        if self.fields["costing_method"].disabled:
            del data["costing_method"]
        return data
