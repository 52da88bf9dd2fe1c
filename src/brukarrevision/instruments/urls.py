from django.urls import path

from . import views

app_name = "instruments"
urlpatterns = [
    path("", views.index, name="index"),
    path("questions/<int:question_pk>/", views.audit_question, name="question"),
    path("<int:pk>/", views.builder, name="builder"),
    path("<int:pk>/sections/<int:section_pk>/", views.section_edit, name="section"),
    path("<int:pk>/items/<int:item_pk>/", views.item_edit, name="item"),
    path("<int:pk>/bank/", views.bank_page, name="bank"),
    path("<int:pk>/preview/<str:lang>/", views.preview, name="preview"),
    path("<int:pk>/paper/<str:lang>/", views.paper, name="paper"),
    path("<int:pk>/xlsform/", views.xlsform_export, name="xlsform"),
]
