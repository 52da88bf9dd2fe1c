from django.contrib import admin

from .models import AccessibilityReport


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    list_display = ["received_at", "page", "handled"]
    list_filter = ["handled"]
