from django.urls import path

from . import views

app_name = "pool"
urlpatterns = [
    path("pool/", views.index, name="index"),
    path("pool/<int:organisation_id>/", views.pool_list, name="list"),
    path("pool/<int:organisation_id>/new/", views.member_new, name="member_new"),
    path("pool/<int:organisation_id>/courses/", views.course_list, name="courses"),
    path("pool/<int:organisation_id>/totals/", views.totals, name="totals"),
    path("pool/<int:organisation_id>/way-in/", views.queue, name="queue"),
    path("pool/member/<int:pk>/", views.member_detail, name="member"),
    path("pool/member/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("pool/member/<int:pk>/consent/", views.member_consent, name="consent"),
    path("pool/member/<int:pk>/account/", views.member_account, name="account"),
    path("pool/member/<int:pk>/auditor-role/", views.member_auditor_role, name="auditor_role"),
    path("pool/member/<int:pk>/erase/", views.member_erase, name="erase"),
    path("pool/course/<int:pk>/", views.course_detail, name="course"),
    path("pool/certificate/<int:pk>/", views.certificate_pdf, name="certificate"),
    path("pool/request/<int:pk>/", views.request_detail, name="request"),
    path("way-in/", views.way_in_index, name="way_in_index"),
    path("way-in/answer/<str:token>/", views.answer, name="answer"),
    path("way-in/<int:organisation_id>/", views.way_in, name="way_in"),
    path("way-in/<int:organisation_id>/received/", views.way_in_received, name="way_in_received"),
]
