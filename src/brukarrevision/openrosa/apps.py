from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenRosaConfig(AppConfig):
    name = "brukarrevision.openrosa"
    verbose_name = _("Offline interviews (ODK)")
