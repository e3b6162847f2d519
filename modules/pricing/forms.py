"""Web forms of the pricing pages. They only shape the input; the services check the rules and name the field
(numbers stay text here so the service's own messages reach the user, the same ones the API gives)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modules.partners.models import PriceTier
from modules.pricing.enums import CheckMode, PromotionKind


def _number(label, help_text="", required=True):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=40,
        required=required,
        widget=forms.TextInput({"inputmode": "decimal", "autocomplete": "off"}),
    )


def _item_field(required=True):
    return forms.IntegerField(label=_("Item"), widget=forms.Select, required=required)


def _item_choices(field, item) -> None:
    # The picker fills the options from the catalog's lookup; the chosen item (if any) is listed up front.
    field.widget.choices = [(item.pk, f"{item.code} {item.name}")] if item else []


def _unit_choices(units) -> list[tuple[str, str]]:
    return [("", _("(base unit)"))] + [(str(unit.pk), unit.name) for unit in units]


class PriceListForm(forms.Form):
    tier = forms.ChoiceField(label=_("Price tier"))
    name = forms.CharField(label=_("Name"), max_length=100)
    tax_inclusive = forms.BooleanField(label=_("Prices include VAT"), required=False, initial=True)

    def __init__(self, *args, free_tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [(value, label) for value, label in PriceTier.choices if value in free_tiers]


class PriceListEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    tax_inclusive = forms.BooleanField(label=_("Prices include VAT"), required=False)
    is_active = forms.BooleanField(label=pgettext_lazy("pricing", "Active"), required=False)


class EntryForm(forms.Form):
    item = _item_field()
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    min_quantity = _number(_("From quantity"), _("0: any quantity; more: a quantity break."), required=False)
    price = _number(_("Price"), _("Per one of the unit, tax as the list says."))

    def __init__(self, *args, units=(), item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)
        _item_choices(self.fields["item"], item)

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "item_id": data["item"],
            "unit_id": int(data["unit"]) if data["unit"] else None,
            "min_quantity": data["min_quantity"] or "0",
            "price": data["price"],
        }


class CustomerPriceForm(forms.Form):
    customer = forms.TypedChoiceField(label=_("Customer"), coerce=int)
    item = _item_field()
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    price = _number(_("Price"), _("Tax-inclusive, per one of the unit."))

    def __init__(self, *args, customers=(), units=(), item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].choices = [(c.pk, f"{c.code} {c.name}") for c in customers]
        self.fields["unit"].choices = _unit_choices(units)
        _item_choices(self.fields["item"], item)

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "customer_id": data["customer"],
            "item_id": data["item"],
            "unit_id": int(data["unit"]) if data["unit"] else None,
            "price": data["price"],
        }


class PromotionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Shown on the line, e.g. 双十一."))
    item = _item_field(required=False)
    category = forms.ChoiceField(label=_("or a category"), required=False, help_text=_("With its subcategories."))
    kind = forms.ChoiceField(label=_("Kind"), choices=PromotionKind.choices)
    percent_off = _number(_("Percent off"), _("For percent off: e.g. 10 for ten percent off."), required=False)
    fixed_price = _number(_("Fixed price"), _("For a fixed price: per base unit, tax-inclusive."), required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput({"type": "date"}))
    valid_to = forms.DateField(label=_("Valid to"), widget=forms.DateInput({"type": "date"}), help_text=_("Included."))
    is_active = forms.BooleanField(label=pgettext_lazy("pricing", "Active"), required=False, initial=True)

    def __init__(self, *args, categories=(), item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [
            (str(category.pk), "\u3000" * depth + category.name) for category, depth in categories
        ]
        _item_choices(self.fields["item"], item)

    def service_values(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        return {
            "name": data["name"],
            "item_id": data["item"],
            "category_id": int(data["category"]) if data["category"] else None,
            "kind": kind,
            "percent_off": data["percent_off"] if kind == PromotionKind.PERCENT_OFF else None,
            "fixed_price": data["fixed_price"] if kind == PromotionKind.FIXED_PRICE else None,
            "valid_from": data["valid_from"],
            "valid_to": data["valid_to"],
            "is_active": data["is_active"],
        }


class BulkChangeForm(forms.Form):
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, help_text=_("With its subcategories."))
    target = forms.ChoiceField(label=_("Prices to change"))
    percent = _number(
        _("Change by percent"), _("e.g. 10 raises by ten percent, -5 lowers by five percent; rounded to cents.")
    )

    def __init__(self, *args, categories=(), price_lists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            (category.pk, "\u3000" * depth + category.name) for category, depth in categories
        ]
        self.fields["target"].choices = [("item", _("Items' sale prices"))] + [
            (str(price_list.pk), price_list.name) for price_list in price_lists
        ]

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "category_id": data["category"],
            "percent": data["percent"],
            "price_list_id": None if data["target"] == "item" else int(data["target"]),
        }


class SettingsForm(forms.Form):
    below_cost = forms.ChoiceField(label=_("Selling below cost"), choices=CheckMode.choices, widget=forms.RadioSelect)
    beyond_stock = forms.ChoiceField(
        label=_("Selling beyond available stock"), choices=CheckMode.choices, widget=forms.RadioSelect
    )


def form_field(service_field: str | None) -> str | None:
    """The form field of a service error's field ("item_id" → "item")."""
    if service_field is None:
        return None
    return service_field.removesuffix("_id")


def error_apply(form, error) -> None:
    field = form_field(error.field)
    form.add_error(field if field in form.fields else None, error.message)
