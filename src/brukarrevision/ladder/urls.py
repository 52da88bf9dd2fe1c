from django.urls import path

from . import views

app_name = "ladder"
urlpatterns = [
    path("", views.index, name="index"),
    path("unit/<int:unit_id>/", views.unit_rounds, name="unit"),
    path("unit/<int:unit_id>/new/", views.start, name="start"),
    path("round/<int:pk>/", views.round_detail, name="round"),
    path("round/<int:pk>/links/", views.add_response, name="add_response"),
    path("round/<int:pk>/close/", views.close, name="close"),
    path("a/<str:token>/", views.answer, name="answer"),
]
