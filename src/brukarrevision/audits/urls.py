from django.urls import path

from . import privacy_views, views

app_name = "audits"
urlpatterns = [
    path("offers/", views.offer_list, name="offers"),
    path("offers/new/", views.offer_edit, name="offer_new"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:offer_pk>/apply/", views.application_new, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("audits/<slug:slug>/", views.audit_detail, name="audit"),
    path("audits/<slug:slug>/plan/", views.plan, name="plan"),
    path("audits/<slug:slug>/team/", views.team, name="team"),
    path("audits/<slug:slug>/phase/", views.phase_move, name="phase"),
    path("audits/<slug:slug>/checklist/", views.checklist_tick, name="tick"),
    path("audits/<slug:slug>/pledge/", views.pledge, name="pledge"),
    path("audits/<slug:slug>/retention/", privacy_views.retention_edit, name="retention"),
    path("audits/<slug:slug>/processing/", privacy_views.processing_record, name="processing"),
    path(
        "audits/<slug:slug>/processing.pdf",
        privacy_views.processing_record_pdf,
        name="processing_pdf",
    ),
]
