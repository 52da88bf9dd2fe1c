from django.urls import path

from . import views

app_name = "openrosa"
urlpatterns = [
    path("openrosa/", views.server, name="server"),
    path("openrosa/formList", views.form_list, name="form_list"),
    path("openrosa/forms/<str:form_id>/form.xml", views.form_xml, name="form"),
    path("openrosa/submission", views.submission, name="submission"),
    path("odk/", views.app_passwords, name="app_passwords"),
]
