from django.contrib import admin

from .models import Application, Audit, AuditMember, Offer, PhaseTransition, TrainingRecord


class ReadOnlyAdmin:
    """Shown, never added, changed or deleted here: teams, pledges and training are given
    through the audit's own pages, whose services check the rules and write the security
    log; the admin would do it without either."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MemberInline(ReadOnlyAdmin, admin.TabularInline):
    model = AuditMember
    fk_name = "audit"
    extra = 0
    fields = readonly_fields = [
        "user",
        "role",
        "perspective",
        "declared_not_current_user_at",
        "pledge_signed_at",
        "added_by",
        "added_at",
    ]


class TransitionInline(admin.TabularInline):
    model = PhaseTransition
    extra = 0
    readonly_fields = ["from_phase", "to_phase", "moved_by", "moved_at", "reason"]
    can_delete = False


@admin.register(Audit)
class AuditAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "client", "phase"]
    list_filter = ["phase", "performer"]
    search_fields = ["title", "slug"]
    readonly_fields = ["phase"]
    inlines = [MemberInline, TransitionInline]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "performer", "places", "is_open"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["client", "offer", "status", "submitted_at"]
    list_filter = ["status", "offer"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["user", "topic", "completed_on"]
    fields = readonly_fields = ["user", "topic", "completed_on", "recorded_by"]
