from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from brukarrevision.permissions import may_handle_personal_data

from . import personal_data
from .models import SecurityEvent, SecurityPolicy, User
from .services import remove_second_factor

# Second factors are reset only through the user's action below, which is logged and told to
# the user by e-mail; their own admin pages would delete them without a trace.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class EraseConfirmationForm(forms.Form):
    """The administrator types the person's e-mail address, so the wrong person is not erased
    by a slip of the mouse."""

    confirm_email = forms.CharField(
        label=_("Type the person's e-mail address to confirm"), max_length=254
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm_email(self):
        typed = self.cleaned_data["confirm_email"].strip().lower()
        if typed != self.person.email.lower():
            raise forms.ValidationError(
                _("This is not the person's e-mail address. Type it exactly as shown above.")
            )
        return typed


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "password1", "password2"]})]
    actions = ["reset_second_factor", "export_personal_data", "erase_person"]

    @admin.action(description=_("Reset two-step sign-in (logged; the person is told by e-mail)"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            remove_second_factor(request=request, user=user, by=request.user)
        self.message_user(
            request,
            _("Two-step sign-in was reset for %(n)s people.") % {"n": queryset.count()},
            messages.SUCCESS,
        )

    def has_personal_data_permission(self, request):
        return may_handle_personal_data(request.user)

    def _one_person(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Choose exactly one person for this action."), messages.ERROR
            )
            return None
        return queryset.get()

    @admin.action(
        description=_("Export this person's data (GDPR, logged)"), permissions=["personal_data"]
    )
    def export_personal_data(self, request, queryset):
        person = self._one_person(request, queryset)
        if person is None:
            return None
        content = personal_data.export_personal_data(
            person=person, by=request.user, request=request
        )
        response = HttpResponse(content, content_type="application/zip")
        filename = personal_data.export_filename(person)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(
        description=_("Erase this person's data (GDPR, logged; asks to confirm)"),
        permissions=["personal_data"],
    )
    def erase_person(self, request, queryset):
        person = self._one_person(request, queryset)
        if person is None:
            return None
        reasons = personal_data.erasure_blockers(person, by=request.user)
        for reason in reasons:
            self.message_user(request, reason, messages.ERROR)
        if reasons:
            return None
        confirming = "confirm_email" in request.POST
        form = EraseConfirmationForm(request.POST if confirming else None, person=person)
        if form.is_valid():
            try:
                erased = personal_data.erase_person(person=person, by=request.user, request=request)
            except personal_data.ErasureRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
                return None
            self.message_user(
                request,
                _("The person's data was erased. The account is now “%(name)s”.")
                % {"name": erased.full_name},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase a person's data"),
            "opts": self.model._meta,
            "person": person,
            "placeholder": personal_data.placeholder_name(person),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        response = TemplateResponse(request, "accounts/erase_person_confirmation.html", context)
        response["Cache-Control"] = "no-store"
        return response


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "identifier", "ip_address", "path"]
    list_filter = ["kind"]
    search_fields = ["identifier", "ip_address"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not SecurityPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
