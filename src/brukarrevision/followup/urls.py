from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("audits/<slug:slug>/feedback/", views.feedback, name="feedback"),
    path("audits/<slug:slug>/feedback/proposals/<int:pk>/", views.proposal, name="proposal"),
    path("audits/<slug:slug>/feedback/actions/<int:pk>/", views.action, name="action"),
    path("public/", views.public_list, name="public_list"),
    path("public/<slug:slug>/", views.public_audit, name="public_audit"),
    path("public/<slug:slug>/report.<str:fmt>", views.public_file, name="public_file"),
    path("follow/<str:token>/confirm/", views.confirm, name="confirm"),
    path("follow/<str:token>/stop/", views.stop, name="stop"),
]
