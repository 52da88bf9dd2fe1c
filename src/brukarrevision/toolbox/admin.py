from django.contrib import admin

from .models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read-only: entries are edited in the toolbox's own form (services.save_entry)."""

    list_display = ["title", "kind", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["title", "summary"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
