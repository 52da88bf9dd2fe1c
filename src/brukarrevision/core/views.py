from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.audits.selectors import open_offers

from . import selectors, services
from .forms import AccessibilityReportForm


def home(request):
    if not request.user.is_authenticated:
        return render(request, "core/landing.html", {"offers": open_offers()})
    return render(request, "core/home.html", selectors.start_page(request.user))


@require_http_methods(["GET", "POST"])
def accessibility(request):
    form = AccessibilityReportForm(request.POST or None, initial={"page": request.GET.get("page")})
    if request.method == "POST" and form.is_valid():
        services.receive_accessibility_report(**form.cleaned_data)
        messages.success(request, _("Thank you. We have received your report."))
        return redirect("core:accessibility")
    return render(request, "core/accessibility.html", {"form": form})


def permission_denied(request, exception=None):
    record_event(
        SecurityEvent.Kind.ACCESS_REFUSED,
        request=request,
        user=request.user if request.user.is_authenticated else None,
        identifier="" if request.user.is_authenticated else "anonymous",
        detail=str(exception or "")[:200],
    )
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)
