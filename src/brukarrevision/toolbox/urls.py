from django.urls import path

from . import views

app_name = "toolbox"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.edit, name="new"),
    path("<slug:slug>/", views.entry, name="entry"),
    path("<slug:slug>/easy/", views.easy, name="easy"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/files/", views.upload, name="upload"),
    path("<slug:slug>/files/<int:pk>/", views.attachment, name="attachment"),
    path("<slug:slug>/files/<int:pk>/remove/", views.remove, name="remove"),
]
