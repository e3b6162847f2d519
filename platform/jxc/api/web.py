"""Owner pages to create, list and revoke API keys (the secret is shown once, at creation)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jxc.api import selectors, services
from jxc.api.authentication import tenant_has_api_access
from jxc.api.forms import ApiKeyCreateForm
from jxc.kernel.errors import AppError
from modules.identity.access import role_required
from modules.identity.roles import Role

# Anonymous users go to the login page; any role but the owner gets 403.
owner_required = role_required(Role.OWNER)


@owner_required
@require_http_methods(["GET"])
def api_key_list(request):
    context = {
        "api_keys": list(selectors.api_key_list()),
        "form": ApiKeyCreateForm(),
        "plan_has_api": tenant_has_api_access(request.tenant),
    }
    return render(request, "api_keys/list.html", context)


@owner_required
@require_http_methods(["GET", "POST"])
def api_key_create(request):
    form = ApiKeyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api_key, secret = services.api_key_create(
                name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"], created_by_id=request.user.pk
            )
        except AppError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            # Rendered, never redirected: the secret must not sit in a session or a URL.
            response = render(request, "api_keys/created.html", {"api_key": api_key, "secret": secret})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "api_keys/create.html", {"form": form}, status=400 if form.is_bound else 200)


@owner_required
@require_http_methods(["GET", "POST"])
def api_key_revoke(request, prefix: str):
    api_key = selectors.api_key_get(prefix=prefix)
    if api_key is None:
        raise Http404(_("No API key has this prefix."))
    if request.method == "POST":
        try:
            services.api_key_revoke(prefix=prefix, revoked_by_id=request.user.pk)
        except AppError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The key “%(name)s” is revoked.") % {"name": api_key.name})
        return redirect("api_keys:list")
    return render(request, "api_keys/revoke.html", {"api_key": api_key})
