"""Web forms of the customers pages: they only shape the input; the services decide what is valid."""

from django import forms
from django.utils.translation import pgettext_lazy

from jxc.kernel.errors import AppError
from modules.crm.enums import FollowUpKind
from modules.crm.models import TEXT_MAX_LENGTH


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("crm", "Kind"), choices=FollowUpKind.choices, initial=FollowUpKind.CALL
    )
    text = forms.CharField(
        label=pgettext_lazy("crm", "Note"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_date = forms.DateField(
        label=pgettext_lazy("crm", "Next follow-up"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PeriodForm(forms.Form):
    """A statement's period; the dates default to the month so far."""

    date_from = forms.DateField(
        label=pgettext_lazy("crm", "From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=pgettext_lazy("crm", "To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def error_apply(form: forms.Form, error: AppError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))
