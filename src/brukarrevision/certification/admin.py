from django.contrib import admin

from .models import Certification, Checklist


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: certifications and checklists are written through their own
    pages, whose services check who may and keep versions frozen."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ["unit", "performer", "round", "status", "certified_on", "valid_until"]
    list_filter = ["status"]
    search_fields = ["unit__name"]
    exclude = ["code"]


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "version", "frozen_at"]
