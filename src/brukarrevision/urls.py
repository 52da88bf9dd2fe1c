from django.contrib import admin
from django.urls import include, path

from brukarrevision.accounts.log_views import security_log

urlpatterns = [
    path("security/log/", security_log, name="security_log"),
    path("", include("brukarrevision.core.urls")),
    path("accounts/", include("brukarrevision.accounts.urls")),
    path("", include("brukarrevision.audits.urls")),
    path("audits/<slug:slug>/instruments/", include("brukarrevision.instruments.urls")),
    path("s/", include("brukarrevision.collection.urls")),
    path("audits/<slug:slug>/collection/", include("brukarrevision.collection.staff_urls")),
    path("audits/<slug:slug>/analysis/", include("brukarrevision.analysis.urls")),
    path("audits/<slug:slug>/results/", include("brukarrevision.releases.urls")),
    path("audits/<slug:slug>/report/", include("brukarrevision.reports.urls")),
    path("", include("brukarrevision.followup.urls")),
    path("", include("brukarrevision.pool.urls")),
    path("", include("brukarrevision.councils.urls")),
    path("suggestions/", include("brukarrevision.suggestions.urls")),
    path("toolbox/", include("brukarrevision.toolbox.urls")),
    path("portfolio/", include("brukarrevision.portfolio.urls")),
    path("pay/", include("brukarrevision.pay.urls")),
    path("ladder/", include("brukarrevision.ladder.urls")),
    path("certification/", include("brukarrevision.certification.urls")),
    path("", include("brukarrevision.api.urls")),
    path("", include("brukarrevision.openrosa.urls")),
    path("oidc/", include("brukarrevision.oidc.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler403 = "brukarrevision.core.views.permission_denied"
handler404 = "brukarrevision.core.views.not_found"
