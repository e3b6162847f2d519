"""Web forms: they only shape the input; the services decide what is valid."""

from django import forms
from django.utils.translation import pgettext_lazy

from modules.partners.models import PriceTier


class PartnerForm(forms.Form):
    code = forms.CharField(label=pgettext_lazy("partners", "Code"), max_length=32)
    name = forms.CharField(label=pgettext_lazy("partners", "Name"), max_length=200)
    is_supplier = forms.BooleanField(label=pgettext_lazy("partners", "Supplier"), required=False)
    is_customer = forms.BooleanField(label=pgettext_lazy("partners", "Customer"), required=False)
    taxpayer_id = forms.CharField(
        label=pgettext_lazy("partners", "Taxpayer id"),
        required=False,
        max_length=40,
        help_text=pgettext_lazy("partners", "15, 17, 18 or 20 characters; 18 is the unified social credit code."),
    )
    bank_name = forms.CharField(label=pgettext_lazy("partners", "Bank"), required=False, max_length=200)
    bank_account = forms.CharField(label=pgettext_lazy("partners", "Bank account"), required=False, max_length=64)
    address = forms.CharField(label=pgettext_lazy("partners", "Address"), required=False, max_length=300)
    payment_terms_days = forms.IntegerField(label=pgettext_lazy("partners", "Payment terms (days)"), initial=0)
    lead_time_days = forms.IntegerField(
        label=pgettext_lazy("partners", "Lead time (days)"),
        required=False,
        initial=0,
        help_text=pgettext_lazy("partners", "Days from ordering to delivery, for replenishment suggestions."),
    )
    credit_limit = forms.DecimalField(label=pgettext_lazy("partners", "Credit limit"), initial=0, decimal_places=2)
    price_tier = forms.ChoiceField(
        label=pgettext_lazy("partners", "Price tier"), choices=PriceTier.choices, initial=PriceTier.RETAIL
    )
    notes = forms.CharField(
        label=pgettext_lazy("partners", "Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContactForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("partners", "Contact name"), max_length=100)
    phone = forms.CharField(label=pgettext_lazy("partners", "Phone"), required=False, max_length=32)
    email = forms.CharField(label=pgettext_lazy("partners", "Email"), required=False, max_length=254)
    title = forms.CharField(label=pgettext_lazy("partners", "Job title"), required=False, max_length=100)
    is_primary = forms.BooleanField(label=pgettext_lazy("partners", "Primary contact"), required=False)
