from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_home, name="home"),
    path("sections/<slug:key>/", views.section_edit, name="section"),
    path("versions/<int:number>/", views.version, name="version"),
    path("review/", views.review, name="review"),
    path("assessment/", views.assessment, name="assessment"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<int:pk>/", views.proposals, name="proposal"),
    path("render/", views.render_request, name="render"),
    path("renderings/<int:pk>/", views.rendering_status, name="rendering"),
    path("renderings/<int:pk>/file", views.rendering_file, name="rendering_file"),
    path("preview/", views.preview, name="preview"),
]
