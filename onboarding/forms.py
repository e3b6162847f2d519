from django import forms
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from onboarding.selectors import slug_availability, slug_normalise, slug_suggest_available

# Django 5.2 changed this validator message's msgid and its zh_Hans catalog has not caught up:
# named here so that makemessages puts it in our catalog, which then translates Django's message.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)


class SignupForm(forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    slug = forms.CharField(
        label=_("Shop address"),
        max_length=30,
        required=False,
        help_text=_("3–30 lower-case letters, digits or hyphens. Suggested from the company name."),
    )
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False))
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of service"),
        error_messages={"required": _("Please accept the terms of service to open a shop.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = " ".join(str(text) for text in password_validators_help_texts())
        self.fields["company_name"].widget.attrs.update({"autocomplete": "organization", "autofocus": True})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["password"].widget.attrs.update({"autocomplete": "new-password"})
        self.fields["slug"].widget.attrs.update(
            {"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false", "inputmode": "url"}
        )

    def clean_company_name(self) -> str:
        name = self.cleaned_data["company_name"].strip()
        if not name:
            raise ValidationError(_("Please enter your company name."), code="required")
        return name

    @property
    def slug_shown(self) -> str:
        """The address to show again: the one we filled in from the name, else what was typed."""
        cleaned = getattr(self, "cleaned_data", {})
        return cleaned.get("slug") or self["slug"].value() or ""

    def clean_slug(self) -> str:
        return slug_normalise(self.cleaned_data.get("slug", ""))

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("slug")
        if not slug and cleaned.get("company_name"):
            # Without JavaScript nobody filled the address in: take the suggestion.
            slug = cleaned["slug"] = slug_suggest_available(name=cleaned["company_name"])
        if slug and "slug" not in self.errors:
            availability = slug_availability(slug=slug)
            if not availability.available:
                self.add_error("slug", ValidationError(availability.message, code=availability.status))
        elif not slug and "slug" not in self.errors:
            self.add_error("slug", ValidationError(_("Please choose a shop address."), code="required"))
        password = cleaned.get("password")
        if password:
            email = cleaned.get("email") or ""
            # The owner's user does not exist yet: validate against what it will hold.
            candidate = User(username=email, email=email, first_name=cleaned.get("company_name", ""))
            try:
                validate_password(password, user=candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned
