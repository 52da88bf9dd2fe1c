from django.urls import path

from . import views

app_name = "releases"
urlpatterns = [
    path("", views.results, name="results"),
    path("results.<str:fmt>", views.export, name="export"),
    path("releases/", views.release_list, name="list"),
    path("releases/new/", views.release_new, name="new"),
    path("releases/<int:number>/", views.release_detail, name="detail"),
]
