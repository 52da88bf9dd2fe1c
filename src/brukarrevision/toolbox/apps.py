from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolboxConfig(AppConfig):
    name = "brukarrevision.toolbox"
    verbose_name = _("Toolbox")
