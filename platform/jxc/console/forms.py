from django import forms
from django.utils.translation import gettext_lazy as _

from billing.selectors import plan_list
from jxc.console.services import REASON_MAX_LENGTH
from tenants.enums import TenantStatus

_REASON_ERRORS = {"required": _("Give a reason: it is kept in the audit log.")}


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Required. Kept in the audit log with your name."),
        error_messages=_REASON_ERRORS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConsoleLoginForm(forms.Form):
    email = forms.CharField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class TenantFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any"))] + TenantStatus.choices)
    plan = forms.ChoiceField(label=_("Plan"), required=False)
    created_from = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(label=_("Created to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [("", _("Any"))] + [(p.code, p.display_name) for p in plan_list()]

    def search_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "plan_code": data.get("plan") or "",
            "created_from": data.get("created_from"),
            "created_to": data.get("created_to"),
        }


class SuspendForm(forms.Form):
    reason = _reason_field()


class ReactivateForm(forms.Form):
    reason = _reason_field()


class ExtendTrialForm(forms.Form):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=365, initial=14)
    reason = _reason_field()


class DeleteForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Type the shop address to confirm"),
        max_length=63,
        error_messages={"required": _("Type the shop address exactly to confirm deletion.")},
    )
    reason = _reason_field()


class AuditFilterForm(forms.Form):
    tenant = forms.CharField(label=_("Shop address"), required=False, max_length=63)
