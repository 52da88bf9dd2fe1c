from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AccessibilityReport

# The admin speaks the site's language (Swedish first, like every page) and names the site.
admin.site.site_header = _("Brukarrevision administration")
admin.site.site_title = _("Brukarrevision administration")
admin.site.index_title = _("Administration")


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    list_display = ["received_at", "page", "handled"]
    list_filter = ["handled"]
