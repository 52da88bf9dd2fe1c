from django.contrib import admin

from .models import LadderResponse, LadderRound


class ReadOnly(admin.ModelAdmin):
    """Read-only: rounds are started, answered and closed through the ladder pages."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ResponseInline(admin.TabularInline):
    model = LadderResponse
    fields = ["perspective", "label", "submitted_at"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LadderRound)
class LadderRoundAdmin(ReadOnly):
    list_display = ["title", "unit", "started_on", "closed_at"]
    search_fields = ["title", "unit__name"]
    inlines = [ResponseInline]


@admin.register(LadderResponse)
class LadderResponseAdmin(ReadOnly):
    # The answer link's code is left out: it is a key, not something to read.
    list_display = ["label", "perspective", "round", "submitted_at"]
    list_filter = ["perspective"]
    exclude = ["token"]
