from django import forms
from django.utils.translation import gettext_lazy as _


class ProjectImportForm(forms.Form):
    file = forms.FileField(
        label=_("REFI-QDA project file (.qdpx)"),
        help_text=_("A project exported from QualCoder, NVivo, MAXQDA or ATLAS.ti, at most 50 MB."),
    )
