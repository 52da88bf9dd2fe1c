from django.urls import path

from . import views

app_name = "analysis"
urlpatterns = [
    path("", views.results_page, name="results"),
    path("responses.<str:fmt>", views.export_responses, name="export_responses"),
    path("codebook/", views.codebook_page, name="codebook"),
    path("codebook/<int:pk>/", views.code_edit, name="code"),
    path("codebook.<str:fmt>", views.codebook_export, name="codebook_export"),
    path("codebook/project.qdpx", views.codebook_project, name="codebook_project"),
    path("coding/", views.coding, name="coding"),
    path("codings/<int:pk>/", views.coding_change, name="coding_change"),
    path("agreement/", views.agreement, name="agreement"),
    path("findings/", views.findings, name="findings"),
    path("findings/<int:pk>/", views.finding_edit, name="finding"),
]
