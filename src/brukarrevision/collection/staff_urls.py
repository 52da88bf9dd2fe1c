from django.urls import path

from . import views

app_name = "collection"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("links/<int:pk>/open/", views.toggle, name="toggle"),
    path("links/<int:pk>/qr.svg", views.qr, name="qr"),
    path("links/<int:pk>/codes/", views.codes, name="codes"),
    path("activity/", views.activity, name="activity"),
    path("paper/", views.paper, name="paper"),
    path("interviews/", views.interviews, name="interviews"),
    path("interviews/<int:pk>/book/", views.book, name="book"),
    path("interviews/<int:pk>/", views.record, name="record"),
]
