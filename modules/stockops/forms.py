"""Web forms of stock documents: the head (fields by kind) and a formset of lines added and removed with htmx.

The forms only parse; the services check the rules, and their errors are put back on the field they name.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from jxc.kernel.errors import AppError
from modules.catalog.models import Item, Unit
from modules.inventory.models import Location, Warehouse
from modules.partners.models import Partner
from modules.stockops.enums import AdjustmentReason, DocumentKind
from modules.stockops.services import LineInput

LINES_PREFIX = "lines"
# Fields of the head each kind shows; the rest are removed from the form.
KIND_FIELDS = {
    DocumentKind.STOCK_IN: {"partner"},
    DocumentKind.STOCK_OUT: {"partner"},
    DocumentKind.TRANSFER: {"target_warehouse"},
    DocumentKind.ADJUSTMENT: {"reason"},
}


class DocumentForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.none())
    target_warehouse = forms.ModelChoiceField(label=_("To warehouse"), queryset=Warehouse.objects.none())
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none(), required=False)
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *AdjustmentReason.choices])
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in {"target_warehouse", "partner", "reason"} - KIND_FIELDS[kind]:
            del self.fields[name]
        warehouses = Warehouse.objects.filter(is_active=True).order_by("-is_default", "code")
        self.fields["warehouse"].queryset = warehouses
        if kind == DocumentKind.TRANSFER:
            self.fields["warehouse"].label = _("From warehouse")
            self.fields["target_warehouse"].queryset = warehouses
        if "partner" in self.fields:
            is_in = kind == DocumentKind.STOCK_IN
            self.fields["partner"].queryset = Partner.objects.filter(
                is_active=True, **({"is_supplier": True} if is_in else {"is_customer": True})
            )
            self.fields["partner"].label = _("Supplier") if is_in else _("Customer")
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-field", name)

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("reason", "")
        return data


class LineForm(forms.Form):
    """One line; the item comes from the picker (a hidden id), quantities and costs stay text for the service."""

    item = forms.ModelChoiceField(queryset=Item.objects.all(), widget=forms.HiddenInput, required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False)
    quantity = forms.CharField(required=False)
    unit_cost = forms.CharField(required=False)
    location = forms.ModelChoiceField(queryset=Location.objects.all(), required=False)
    target_location = forms.ModelChoiceField(queryset=Location.objects.all(), required=False)
    lot_code = forms.CharField(required=False, max_length=64)
    expiry_date = forms.DateField(required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("item") and not (data.get("quantity") or "").strip()

    def line_input(self) -> LineInput:
        data = self.cleaned_data
        return LineInput(
            item=data.get("item"),
            unit=data.get("unit") or (data["item"].base_unit if data.get("item") else None),
            quantity=data.get("quantity") or "",
            unit_cost=data.get("unit_cost") or None,
            location=data.get("location"),
            target_location=data.get("target_location"),
            lot_code=data.get("lot_code") or "",
            expiry_date=data.get("expiry_date"),
        )


LineFormSet = forms.formset_factory(LineForm, extra=0)


def error_apply(error: AppError, *, head: DocumentForm, lines: forms.BaseFormSet, indexes: list[int]) -> None:
    """Put a service error on the field it names: a head field, `lines.N.field` (N counts the lines
    sent to the service, `indexes` maps it to the form's row), or the whole form."""
    parts = (error.field or "").split(".")
    if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(indexes):
        form = lines.forms[indexes[int(parts[1])]]
        form.add_error(parts[2] if parts[2] in form.fields else None, error.message)
    elif parts[0] in head.fields:
        head.add_error(parts[0], error.message)
    else:
        head.add_error(None, error.message)
