from django.contrib import admin

from .models import Body, Issue


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: councils, members and issues are written through their
    own pages, whose services check who may and keep each issue's history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Body)
class BodyAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "organisation", "unit"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["title", "body", "status", "due_on", "fed_back_on"]
    list_filter = ["status", "source"]
    search_fields = ["title"]
