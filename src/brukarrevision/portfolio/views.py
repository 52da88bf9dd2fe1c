"""The portfolio page and its XLSX export: one view, open to everyone; what it counts
follows `permissions.portfolio_audits` (the public sees published audits only)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from brukarrevision import permissions
from brukarrevision.lib.downloads import attachment

from . import presenting, selectors
from .forms import PortfolioFilterForm


@require_GET
def overview(request):
    if not permissions.may_view_portfolio(request.user):
        raise PermissionDenied("view_portfolio")
    data = selectors.overview(request.user, request.GET)
    form = PortfolioFilterForm(request.GET or None, choices=data["choices"])
    if form.is_bound and not form.is_valid():
        valid = {k: v for k, v in request.GET.items() if k in form.fields and k not in form.errors}
        data = selectors.overview(request.user, valid)
    if request.GET.get("export") == "xlsx":
        response = attachment(presenting.xlsx(data), "portfolio.xlsx")
    else:
        query = request.GET.copy()
        query.pop("export", None)
        tables = presenting.tables(data)
        response = render(
            request,
            "portfolio/overview.html",
            {
                "form": form,
                "data": data,
                "tables": tables,
                "trend_tables": [tables[k] for k in tables if k.startswith("trend_")],
                "quality_chart": presenting.quality_chart(data),
                "county_chart": presenting.county_chart(data),
                "query": query.urlencode(),
                "reports": list(
                    {p["audit"]["slug"]: p["audit"] for p in data["proposals"]["listed"]}.values()
                ),
                "national": not any(
                    k in data["filters"] for k in ("county", "service_type", "year", "organisation")
                ),
            },
        )
    if request.user.is_authenticated:  # may hold unpublished results: never stored on the way
        patch_cache_control(response, private=True, no_store=True)
    return response
