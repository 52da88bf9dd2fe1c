from django.urls import path

from . import views

app_name = "oidc"
urlpatterns = [
    path("login/", views.start, name="login"),
    path("callback/", views.callback, name="callback"),
]
