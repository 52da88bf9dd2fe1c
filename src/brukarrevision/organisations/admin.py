from django.contrib import admin

from . import services
from .models import Membership, Organisation, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    inlines = [UnitInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Roles are granted and ended through organisations.services, which checks who may
    and writes the security log. A role is not changed in place: end it and grant another."""

    list_display = ["user", "role", "organisation", "unit"]
    list_filter = ["role", "organisation"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "organisation", "role", "unit"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing of a role is changed in place
        granted = services.grant_membership(
            by=request.user,
            user=obj.user,
            organisation=obj.organisation,
            role=obj.role,
            unit=obj.unit,
            request=request,
        )
        obj.pk = granted.pk

    def delete_model(self, request, obj):
        services.end_membership(by=request.user, membership=obj, request=request)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "organisation", "unit"):
            services.end_membership(by=request.user, membership=membership, request=request)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "client", "service_type", "municipality"]
    list_filter = ["service_type", "client"]
