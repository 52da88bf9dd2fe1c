from django.contrib import admin

from .models import Application, Audit, AuditMember, Offer, PhaseTransition, TrainingRecord


class MemberInline(admin.TabularInline):
    model = AuditMember
    fk_name = "audit"
    extra = 0
    exclude = ["added_by"]


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
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "topic", "completed_on"]
