from django.contrib import admin

from .models import AppPassword


@admin.register(AppPassword)
class AppPasswordAdmin(admin.ModelAdmin):
    """Read-only: interviewers make and revoke their own app passwords on their ODK page.
    The digest is never shown."""

    list_display = ["user", "label", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__email", "label"]
    fields = ["user", "label", "made_verified", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
