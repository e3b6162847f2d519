"""Web forms of purchasing: the order head and a formset of lines added with htmx; the receive form; the
heads of bills, payments and returns (their lines are plain inputs per receipt line or bill); settings.

The forms only parse; the services check the rules, and their errors are put back on the field they name.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from jxc.kernel.errors import AppError
from modules.catalog.models import Item, Unit
from modules.inventory.models import Location, Warehouse
from modules.partners.models import Partner
from modules.purchasing.enums import PaymentMethod
from modules.purchasing.services import OrderLineInput

LINES_PREFIX = "lines"


class OrderForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Partner.objects.none())
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    expected_date = forms.DateField(
        label=_("Expected date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Partner.objects.filter(is_active=True, is_supplier=True).order_by("code")
        self.fields["warehouse"].queryset = Warehouse.objects.filter(is_active=True).order_by("-is_default", "code")
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-field", name)


class LineForm(forms.Form):
    """One line; the item comes from the picker (a hidden id), numbers stay text for the service."""

    item = forms.ModelChoiceField(queryset=Item.objects.all(), widget=forms.HiddenInput, required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False)
    quantity = forms.CharField(required=False)
    unit_price = forms.CharField(required=False)
    discount_percent = forms.CharField(required=False)
    vat_rate = forms.CharField(required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("item") and not (data.get("quantity") or "").strip()

    def line_input(self) -> OrderLineInput:
        data = self.cleaned_data
        return OrderLineInput(
            item=data.get("item"),
            unit=data.get("unit"),
            quantity=data.get("quantity") or "",
            unit_price=data.get("unit_price") or "",
            discount_percent=data.get("discount_percent") or None,
            vat_rate=data.get("vat_rate") or None,
        )


LineFormSet = forms.formset_factory(LineForm, extra=0)


class ReceiveForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none(), required=False)

    def __init__(self, *args, warehouse: Warehouse, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(warehouse=warehouse).order_by("code")


def error_apply(error: AppError, *, head: forms.Form, lines: forms.BaseFormSet | None, indexes: list[int]) -> None:
    """Put a service error on the field it names: a head field, `lines.N.field` (N counts the lines sent
    to the service, `indexes` maps it to the form's row), or the whole form."""
    parts = (error.field or "").split(".")
    if (
        lines is not None
        and parts[0] == "lines"
        and len(parts) == 3
        and parts[1].isdigit()
        and int(parts[1]) < len(indexes)
    ):
        form = lines.forms[indexes[int(parts[1])]]
        form.add_error(parts[2] if parts[2] in form.fields else None, error.message)
    elif parts[0] in head.fields:
        head.add_error(parts[0], error.message)
    else:
        head.add_error(None, error.message)


def _date_field(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class BillForm(forms.Form):
    date = _date_field(_("Date"))
    invoice_number = forms.CharField(label=_("Supplier invoice number"), required=False, max_length=40)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class PaymentForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Partner.objects.none())
    date = _date_field(_("Date"))
    method = forms.ChoiceField(label=_("Payment method"), choices=PaymentMethod.choices)
    account = forms.CharField(label=_("Account"), required=False, max_length=64)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Partner.objects.filter(is_supplier=True).order_by("code")


class ReturnForm(forms.Form):
    date = _date_field(_("Date"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class SettingsForm(forms.Form):
    prices_include_vat = forms.BooleanField(label=_("Prices include VAT (含税价)"), required=False)


class FreeReturnForm(forms.Form):
    """The head of a free-standing return; its lines are rows of code (scanned or typed), quantity, price, lot."""

    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Partner.objects.none())
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.none())
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none(), required=False)
    date = _date_field(_("Date"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Partner.objects.filter(is_active=True, is_supplier=True).order_by("code")
        self.fields["warehouse"].queryset = Warehouse.objects.filter(is_active=True).order_by("-is_default", "code")
        self.fields["location"].queryset = Location.objects.select_related("warehouse").order_by(
            "warehouse__code", "code"
        )
