from django.contrib import admin

from .models import Assignment, Course, PoolMember, WayInRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here: the pool's pages go through services
    that check who may, record consent and erasure, and write training records."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PoolMember)
class PoolMemberAdmin(ReadOnlyAdmin):
    # Lived experience is special-category data: the list shows no more than needed.
    list_display = ["full_name", "organisation", "consent_given_at", "erased_at"]
    list_filter = ["organisation"]
    exclude = ["experience", "not_to_audit", "not_to_audit_service_types", "languages"]


@admin.register(WayInRequest)
class WayInRequestAdmin(ReadOnlyAdmin):
    list_display = ["requester_name", "organisation", "kind", "starts_on", "status"]
    list_filter = ["status", "kind"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["member", "request", "status", "responded_at"]
    exclude = ["token"]


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "created_at"]
