from django.urls import path, re_path

from . import pages, views

app_name = "api"
urlpatterns = [
    path("api/schema/", views.SchemaView.as_view(), name="schema"),
    path("api/docs/", views.DocsView.as_view(), name="docs"),
    path("api/v1/audits/", views.AuditList.as_view(), name="audits"),
    path("api/v1/audits/<slug:slug>/", views.AuditDetail.as_view(), name="audit"),
    path(
        "api/v1/audits/<slug:slug>/questionnaires/",
        views.QuestionnaireList.as_view(),
        name="questionnaires",
    ),
    path("api/v1/audits/<slug:slug>/releases/", views.ReleaseList.as_view(), name="releases"),
    path(
        "api/v1/audits/<slug:slug>/releases/<int:number>/",
        views.ReleaseDetail.as_view(),
        name="release",
    ),
    path("api/v1/audits/<slug:slug>/proposals/", views.ProposalList.as_view(), name="proposals"),
    path("api/v1/audits/<slug:slug>/responses/", views.ResponseCreate.as_view(), name="responses"),
    path("api/v1/reports/", views.ReportList.as_view(), name="reports"),
    path("api/v1/portfolio/", views.Portfolio.as_view(), name="portfolio"),
    # Anything else under /api/ (a path no route takes) gets a JSON 404, not the HTML page.
    re_path(r"^api/", views.not_found),
    path("accounts/api-tokens/", pages.tokens, name="tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", pages.revoke, name="revoke"),
]
