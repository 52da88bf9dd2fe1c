from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "brukarrevision.audits"
    verbose_name = _("Audits")
