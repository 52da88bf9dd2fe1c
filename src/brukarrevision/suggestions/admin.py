from django.contrib import admin

from .models import Suggestion


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """Read-only: suggestions are moderated in the queue (services.moderate), not here."""

    list_display = ["unit", "created_on", "status", "quality_area"]
    list_filter = ["status", "quality_area"]
    search_fields = ["unit__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
