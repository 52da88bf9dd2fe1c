from django.urls import path

from . import survey

app_name = "survey"
urlpatterns = [
    path("<slug:token>/", survey.start, name="start"),
    path("<slug:token>/<int:number>/", survey.page, name="page"),
    path("<slug:token>/thanks/", survey.thanks, name="thanks"),
]
