from django.urls import path

from . import views

app_name = "pay"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("time/new/", views.time_report, name="time_new"),
    path("time/<int:pk>/", views.time_report, name="time_edit"),
    path("travel/new/", views.travel_claim, name="travel_new"),
    path("travel/<int:pk>/", views.travel_claim, name="travel_edit"),
    path("travel/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<str:kind>/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("organisations/<int:pk>/approval/", views.approval_queue, name="queue"),
    path("organisations/<int:pk>/fees/", views.schedule, name="schedule"),
    path("audits/<slug:slug>/costs/", views.audit_costs, name="audit_costs"),
    path("audits/<slug:slug>/invoice/", views.invoice, name="invoice"),
]
