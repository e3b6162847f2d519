"""Pages of the merchant shell. Thin: the numbers come from selectors."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from modules.workspace.selectors import dashboard_summary


@login_required
def dashboard(request):
    summary = dashboard_summary(tenant=request.tenant, user=request.user)
    return render(request, "workspace/dashboard.html", {"summary": summary})
