from django.contrib import admin

from .models import AuditBudget, FeeRate, PaySettings, TimeReport, TravelClaim


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown only: fees, approvals and budgets are set on the pay pages, whose services
    check permission and lock approved rows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaySettings)
class PaySettingsAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "mileage_rate", "yearly_warning_sek"]


@admin.register(FeeRate)
class FeeRateAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "kind", "amount", "valid_from"]
    list_filter = ["organisation", "kind"]


@admin.register(TimeReport)
class TimeReportAdmin(ReadOnlyAdmin):
    list_display = ["member", "date", "activity", "fee_kind", "quantity", "amount", "status"]
    list_filter = ["status", "member__organisation"]
    list_select_related = ["member"]


@admin.register(TravelClaim)
class TravelClaimAdmin(ReadOnlyAdmin):
    list_display = ["member", "date", "route_from", "route_to", "kilometres", "status"]
    list_filter = ["status", "member__organisation"]
    list_select_related = ["member"]
    exclude = ["receipt"]


@admin.register(AuditBudget)
class AuditBudgetAdmin(ReadOnlyAdmin):
    list_display = ["audit", "amount", "set_by", "set_at"]
