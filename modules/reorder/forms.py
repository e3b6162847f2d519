"""Web forms of the reorder pages. They only shape the input; the services check the rules and name the field."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Quantities stay text here so the service's own messages (negative, too many places, order of the levels)
# reach the user, the same ones the API gives.
LEVEL_FIELDS = ("minimum", "reorder_point", "maximum")


def _level(label, help_text=""):
    return forms.CharField(
        label=label, help_text=help_text, max_length=40, widget=forms.TextInput({"inputmode": "decimal"})
    )


def _supplier_choices(suppliers) -> list[tuple[str, str]]:
    return [("", _("(the item's default supplier)"))] + [(str(s.pk), f"{s.code} {s.name}") for s in suppliers]


class RuleLevelsForm(forms.Form):
    minimum = _level(pgettext_lazy("reorder", "Minimum"), _("Safety stock."))
    reorder_point = _level(_("Reorder point"), _("At or below it the item is low."))
    maximum = _level(pgettext_lazy("reorder", "Maximum"), _("Order up to this quantity."))
    preferred_supplier = forms.ChoiceField(label=_("Preferred supplier"), required=False)
    is_active = forms.BooleanField(label=pgettext_lazy("reorder", "Active"), required=False, initial=True)

    def __init__(self, *args, suppliers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_supplier"].choices = _supplier_choices(suppliers)

    def service_values(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in LEVEL_FIELDS}
        values["preferred_supplier_id"] = int(data["preferred_supplier"]) if data["preferred_supplier"] else None
        values["is_active"] = data["is_active"]
        return values


class RuleCreateForm(RuleLevelsForm):
    item = forms.IntegerField(label=_("Item"), widget=forms.Select)
    warehouse = forms.TypedChoiceField(label=_("Warehouse"), coerce=int)

    field_order = ["item", "warehouse", *LEVEL_FIELDS, "preferred_supplier", "is_active"]

    def __init__(self, *args, warehouses=(), item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].choices = [(w.pk, f"{w.code} {w.name}") for w in warehouses]
        # The picker fills the options from the catalog's lookup; the chosen item (if any) is listed up front.
        self.fields["item"].widget.choices = [(item.pk, f"{item.code} {item.name}")] if item else []

    def service_values(self) -> dict:
        return {
            "item_id": self.cleaned_data["item"],
            "warehouse_id": self.cleaned_data["warehouse"],
            **super().service_values(),
        }


def form_field(service_field: str | None) -> str | None:
    """The form field of a service error's field ("item_id" → "item")."""
    if service_field is None:
        return None
    return service_field.removesuffix("_id")
