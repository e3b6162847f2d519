"""Thin views over identity services: login and passwords, the users page, invitations, one-time login."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from jxc.kernel.errors import AppError
from modules.identity import selectors, services
from modules.identity.access import role_required
from modules.identity.forms import InvitationAcceptForm, InviteForm, LoginForm, RoleForm
from modules.identity.login_tokens import login_token_spend
from modules.identity.models import Invitation
from modules.identity.roles import ROLE_LABELS, Role
from modules.identity.tokens import password_reset_token_generator

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _login_with_language(request, response, user):
    """Switch to the user's preferred language for this response and the ones that follow."""
    language = services.profile_language(user=user)
    if language:
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "identity/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        return _login_with_language(self.request, response, form.get_user())


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("identity:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "identity/password_change.html"
    success_url = reverse_lazy("identity:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "identity/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "identity/password_reset.html"
    email_template_name = "identity/email/password_reset.txt"
    subject_template_name = "identity/email/password_reset_subject.txt"
    token_generator = password_reset_token_generator
    success_url = reverse_lazy("identity:password_reset_done")

    def form_valid(self, form):
        if _reset_rate_limited(self.request, form.cleaned_data["email"]):
            form.add_error(None, _("Too many password reset requests. Please try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        self.extra_email_context = {"shop_name": self.request.tenant.name}
        return super().form_valid(form)


def _reset_rate_limited(request, email: str) -> bool:
    """Reset emails cost the shop's reputation with mail providers: a few per address, a few more per IP.

    The cache key function is tenant-aware, so the counts are per shop."""
    email = email.strip().lower()
    by_email = is_ratelimited(
        request, group="identity.password_reset.email", key=lambda _g, _r: email, rate="5/h", increment=True
    )
    by_ip = is_ratelimited(request, group="identity.password_reset.ip", key="ip", rate="20/h", increment=True)
    return by_email or by_ip


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "identity/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "identity/password_reset_confirm.html"
    token_generator = password_reset_token_generator
    success_url = reverse_lazy("identity:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever proved they own the mailbox may log in again at once, even after a lockout.
        from axes.utils import reset as axes_reset

        axes_reset(username=form.user.username)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "identity/password_reset_complete.html"


@login_required
@require_POST
def language_set(request):
    """Remember the signed-in user's language and switch to it (the language switch can post here)."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    try:
        services.profile_set_language(user=request.user, language=language)
    except AppError as exc:
        messages.error(request, str(exc.message))
        return redirect(next_url)
    return _login_with_language(request, HttpResponseRedirect(next_url), request.user)


# --- The users page (owners only) ------------------------------------------


def _users_context(request, invite_form=None):
    return {
        "users": selectors.user_list(),
        "invitations": selectors.invitation_pending_list(),
        "invite_form": invite_form or InviteForm(),
        "role_labels": ROLE_LABELS,
        "roles": list(ROLE_LABELS.items()),
        "user_limit": selectors.user_limit(),
        "seats_taken": selectors.seats_taken(),
    }


@role_required(Role.OWNER)
def users(request):
    return render(request, "identity/users.html", _users_context(request))


@role_required(Role.OWNER)
@require_POST
def user_invite(request):
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.user_invite(
                email=form.cleaned_data["email"], role=form.cleaned_data["role"], invited_by=request.user
            )
        except AppError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("identity:users")
    return render(request, "identity/users.html", _users_context(request, invite_form=form), status=400)


def _row_response(request, target: User, error: str | None = None):
    """htmx swaps the one row; a plain form post goes back to the page."""
    if request.htmx:
        target = selectors.user_list().get(pk=target.pk)
        return render(
            request,
            "identity/_user_row.html",
            # 200 even with an error: htmx swaps only successful responses, and the row shows the error.
            {"u": target, "roles": list(ROLE_LABELS.items()), "role_labels": ROLE_LABELS, "row_error": error},
        )
    if error:
        messages.error(request, error)
    return redirect("identity:users")


def _user_action(request, pk: int, action):
    target = get_object_or_404(User, pk=pk)
    try:
        action(target)
    except AppError as exc:
        return _row_response(request, target, error=str(exc.message))
    return _row_response(request, target)


@role_required(Role.OWNER)
@require_POST
def user_role_change(request, pk: int):
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _row_response(request, get_object_or_404(User, pk=pk), error=_("Choose one of the listed roles."))
    role = form.cleaned_data["role"]
    return _user_action(
        request, pk, lambda target: services.user_set_role(user=target, role=role, acting_user=request.user)
    )


@role_required(Role.OWNER)
@require_POST
def user_deactivate(request, pk: int):
    return _user_action(request, pk, lambda target: services.user_deactivate(user=target, acting_user=request.user))


@role_required(Role.OWNER)
@require_POST
def user_reactivate(request, pk: int):
    return _user_action(request, pk, lambda target: services.user_reactivate(user=target, acting_user=request.user))


@role_required(Role.OWNER)
@require_POST
def invitation_revoke(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, acting_user=request.user)
    except AppError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The invitation to %(email)s was cancelled.") % {"email": invitation.email})
    return redirect("identity:users")


# --- Accepting an invitation, one-time login --------------------------------


def invitation_accept(request, token: str):
    try:
        invitation = services.invitation_get_pending(token=token)
    except AppError as exc:
        return render(request, "identity/link_problem.html", {"message": exc.message}, status=400)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, name=form.cleaned_data["name"], password=form.cleaned_data["password1"]
            )
        except AppError as exc:
            field = {"password": "password1"}.get(exc.field, exc.field)
            form.add_error(field if field in form.fields else None, str(exc.message))
        else:
            auth_login(request, user, backend=MODEL_BACKEND)
            response = HttpResponseRedirect(resolve_url(settings.LOGIN_REDIRECT_URL))
            return _login_with_language(request, response, user)
    context = {"form": form, "invitation": invitation, "role_label": ROLE_LABELS.get(invitation.role, "")}
    return render(request, "identity/invitation_accept.html", context, status=400 if form.errors else 200)


def token_login(request):
    try:
        user_id, next_path = login_token_spend(
            token=request.GET.get("token", ""), schema_name=request.tenant.schema_name
        )
    except AppError as exc:
        return render(request, "identity/link_problem.html", {"message": exc.message}, status=exc.status_code)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        message = _("This account cannot log in. Please contact the shop owner.")
        return render(request, "identity/link_problem.html", {"message": message}, status=400)
    auth_login(request, user, backend=MODEL_BACKEND)
    return _login_with_language(request, HttpResponseRedirect(next_path), user)
