"""Web forms of the books. They only parse; the services check the rules and name the field at fault."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modules.finance.enums import VAT_RATES, TaxpayerKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
VOUCHER_ROWS = 8


class DateRangeForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return data


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=DATE_WIDGET)


class VoucherForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    memo = forms.CharField(label=_("Memo"), required=False, max_length=200)


class SubAccountForm(forms.Form):
    parent = forms.CharField(label=_("Parent account code"), max_length=16)
    code = forms.CharField(label=pgettext_lazy("finance", "Code"), max_length=16)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=80)
    name_en = forms.CharField(label=_("English name"), max_length=80, required=False)


class ReverseForm(forms.Form):
    date = forms.DateField(label=_("Reversal date"), widget=DATE_WIDGET)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))


class VatSettingsForm(forms.Form):
    taxpayer_kind = forms.ChoiceField(label=_("Taxpayer kind"), choices=TaxpayerKind.choices)
    default_rate = forms.ChoiceField(
        label=_("Default VAT rate (%)"),
        choices=[(rate, f"{rate} %") for rate in dict.fromkeys(r for rates in VAT_RATES.values() for r in rates)],
        help_text=_("General taxpayers charge 13, 9, 6 or 0 %; small-scale taxpayers 3 or 1 %."),
    )
