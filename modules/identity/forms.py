"""Forms of the identity pages. Field names are stable: browser tests and password managers rely on them."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from modules.identity.roles import ROLE_LABELS, Role


def role_choices():
    return list(ROLE_LABELS.items())


class LoginForm(forms.Form):
    """Email and password; the username of a merchant user is their lower-cased email."""

    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": _("The email or password is not correct."),
        "inactive": _("This account has been deactivated. Ask the shop owner to reactivate it."),
        "locked_out": _("Too many failed attempts: this account is locked for a while."),
    }

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def clean(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        password = self.cleaned_data.get("password")
        if not email or not password:
            return self.cleaned_data
        self.user_cache = authenticate(self.request, username=email, password=password)
        if self.user_cache is not None:
            return self.cleaned_data
        if getattr(self.request, "axes_locked_out", False):
            raise forms.ValidationError(self.error_messages["locked_out"], code="locked_out")
        # Say "deactivated" only to someone who knows the password; everyone else learns nothing.
        user = User.objects.filter(username=email).first()
        if user is not None and not user.is_active and user.check_password(password):
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
        raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")

    def get_user(self):
        return self.user_cache


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    # A modest default: making someone an owner should be a deliberate choice.
    role = forms.ChoiceField(label=_("Role"), choices=role_choices, initial=Role.SALES)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=role_choices)


class InvitationAcceptForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("The two passwords do not match."))
        return cleaned
