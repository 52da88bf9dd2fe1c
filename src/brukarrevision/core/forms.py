from django import forms
from django.forms.renderers import TemplatesSetting

from .models import AccessibilityReport


class AccessibleFormRenderer(TemplatesSetting):
    """Django's own accessible field markup (labels, fieldsets for choice groups,
    aria-describedby for help and errors), with our error wording and classes."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class AccessibilityReportForm(forms.ModelForm):
    class Meta:
        model = AccessibilityReport
        fields = ["page", "description", "contact"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
