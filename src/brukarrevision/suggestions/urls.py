from django.urls import path

from . import views

app_name = "suggestions"
urlpatterns = [
    path("", views.box_list, name="list"),
    path("queue/", views.queues, name="queues"),
    path("<int:unit_id>/", views.box, name="box"),
    path("<int:unit_id>/thanks/", views.thanks, name="thanks"),
    path("<int:unit_id>/wall/", views.wall, name="wall"),
    path("<int:unit_id>/poster/", views.poster, name="poster"),
    path("<int:unit_id>/queue/", views.queue, name="queue"),
    path("<int:unit_id>/queue/<int:pk>/", views.moderate, name="moderate"),
    path("<int:unit_id>/queue/<int:pk>/council/", views.to_council, name="to_council"),
]
