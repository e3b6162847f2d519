"""The numbering settings page (/settings/numbering/): each document type's prefix, set by the owner or
the manager. Thin over the selectors and `document_prefix_set`."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jxc.kernel.errors import AppError
from jxc.kernel.numbers import today_in
from modules.identity.access import role_required
from modules.identity.roles import Role
from modules.numbering import selectors, services


@role_required(Role.OWNER, Role.MANAGER)
@require_http_methods(["GET", "POST"])
def numbering_settings(request):
    error: AppError | None = None
    posted: dict[str, str] = {}
    if request.method == "POST":
        doc_type = request.POST.get("doc_type", "")
        prefix = request.POST.get("prefix", "")
        try:
            used = services.document_prefix_set(doc_type=doc_type, prefix=prefix)
        except AppError as refused:
            error, posted = refused, {"doc_type": doc_type, "prefix": prefix}
        else:
            messages.success(request, _("Documents of this type are now numbered %(prefix)s….") % {"prefix": used})
            return redirect("numbering:settings")
    context = {
        "rows": selectors.document_prefix_rows(on=today_in(request.tenant.timezone)),
        "error": error,
        "posted": posted,
        # The row whose prefix was refused shows the message by its field.
        "refused_row": posted.get("doc_type") if error is not None and error.field == "prefix" else None,
    }
    return render(request, "numbering/settings.html", context, status=400 if error else 200)
