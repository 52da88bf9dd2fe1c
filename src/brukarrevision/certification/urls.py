from django.urls import path

from . import views

app_name = "certification"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.offer, name="offer"),
    path("register/", views.register, name="register"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("checklists/", views.checklists, name="checklists"),
    path("checklists/<int:org_pk>/", views.checklist_editor, name="checklist_editor"),
    path("checklists/<int:org_pk>/new/", views.criterion_edit, name="criterion_new"),
    path(
        "checklists/<int:org_pk>/<int:criterion_pk>/", views.criterion_edit, name="criterion_edit"
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/answer/", views.answer_offer, name="answer_offer"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path(
        "<int:pk>/participants/<int:participant_pk>/remove/",
        views.remove_participant,
        name="remove_participant",
    ),
    path("<int:pk>/meeting/", views.meeting, name="meeting"),
    path("<int:pk>/checklist/", views.checklist, name="checklist"),
    path("<int:pk>/checklist/<int:criterion_pk>/", views.criterion, name="criterion"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/delete/",
        views.delete_evidence,
        name="delete_evidence",
    ),
    path("<int:pk>/check-ins/", views.check_ins, name="check_ins"),
    path("<int:pk>/actions/", views.actions, name="actions"),
    path("<int:pk>/actions/<int:action_pk>/", views.action, name="action"),
    path("<int:pk>/decision/", views.decision, name="decision"),
    path("<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate"),
    path("<int:pk>/follow-ups/", views.follow_ups, name="follow_ups"),
    path("<int:pk>/renew/", views.renew, name="renew"),
]
