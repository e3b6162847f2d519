"""Web forms of sales documents: the order head and a formset of lines added with htmx, and the heads of
the deliver, invoice, return and receipt forms (their lines are inputs named per line, read by the views).

The forms only parse; the services check the rules, and their errors are put back on the field they name.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from jxc.kernel.errors import AppError
from modules.catalog.models import Item, Unit
from modules.inventory.models import Location, Warehouse
from modules.partners.models import Partner
from modules.sales.enums import ReceiptMethod
from modules.sales.services import OrderLineInput

LINES_PREFIX = "lines"
DATE = {"type": "date"}


def _date_field(label, required=True):
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


class OrderForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Partner.objects.none())
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=Warehouse.objects.none())
    salesperson = forms.ModelChoiceField(label=_("Salesperson"), queryset=get_user_model().objects.none(),
                                         required=False)  # fmt: skip
    date = _date_field(_("Date"))
    delivery_date = _date_field(_("Delivery date"), required=False)
    valid_until = _date_field(_("Valid until (quotation)"), required=False)
    prices_include_vat = forms.BooleanField(label=_("Prices include VAT"), required=False, initial=True)
    quotation = forms.BooleanField(label=_("Save as a quotation"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Partner.objects.filter(is_active=True, is_customer=True).order_by("code")
        self.fields["warehouse"].queryset = Warehouse.objects.filter(is_active=True).order_by("-is_default", "code")
        self.fields["salesperson"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["salesperson"].label_from_instance = lambda user: (
            user.get_full_name() or user.email or user.username
        )
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-field", name)


class LineForm(forms.Form):
    """One line; the item comes from the picker (a hidden id), numbers stay text for the service."""

    item = forms.ModelChoiceField(queryset=Item.objects.all(), widget=forms.HiddenInput, required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False)
    quantity = forms.CharField(required=False)
    unit_price = forms.CharField(required=False)
    price_source = forms.CharField(required=False, max_length=64)
    discount_percent = forms.CharField(required=False)
    vat_rate = forms.CharField(required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("item") and not (data.get("quantity") or "").strip()

    def line_input(self) -> OrderLineInput:
        data = self.cleaned_data
        return OrderLineInput(
            item=data.get("item"), unit=data.get("unit"), quantity=data.get("quantity") or "",
            unit_price=data.get("unit_price") or None, discount_percent=data.get("discount_percent") or None,
            vat_rate=data.get("vat_rate") or None, price_source=data.get("price_source") or "",
        )  # fmt: skip


LineFormSet = forms.formset_factory(LineForm, extra=0)


class DeliverForm(forms.Form):
    date = _date_field(_("Date"))
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none(), required=False)

    def __init__(self, *args, warehouse: Warehouse, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(warehouse=warehouse).order_by("code")


class DatedForm(forms.Form):
    date = _date_field(_("Date"))


class InvoiceForm(DatedForm):
    due_date = _date_field(_("Due date"), required=False)


class ReturnForm(DatedForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class ReceiptForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Partner.objects.none())
    date = _date_field(_("Date"))
    amount = forms.CharField(label=_("Amount"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    method = forms.ChoiceField(label=_("Payment method"), choices=ReceiptMethod.choices, initial=ReceiptMethod.BANK)
    reference = forms.CharField(label=_("Reference"), required=False, max_length=64)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Partner.objects.filter(is_active=True, is_customer=True).order_by("code")
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-field", name)


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
