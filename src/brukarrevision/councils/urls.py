from django.urls import path

from . import views

app_name = "councils"
urlpatterns = [
    path("councils/", views.index, name="index"),
    path("councils/new/", views.body_new, name="body_new"),
    path("councils/<int:pk>/", views.body, name="body"),
    path("councils/<int:pk>/members/", views.members, name="members"),
    path("councils/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("councils/<int:pk>/meetings/<int:meeting_pk>/", views.meeting, name="meeting"),
    path("councils/<int:pk>/issues/", views.body_issues, name="body_issues"),
    path("councils/issues/<int:pk>/", views.issue, name="issue"),
    path(
        "councils/organisations/<int:pk>/issues/",
        views.organisation_issues,
        name="organisation_issues",
    ),
    path(
        "audits/<slug:slug>/feedback/proposals/<int:pk>/council/",
        views.send_proposal,
        name="send_proposal",
    ),
    path("units/<int:pk>/", views.unit, name="unit"),
]
