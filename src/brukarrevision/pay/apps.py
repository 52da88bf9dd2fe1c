from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayConfig(AppConfig):
    name = "brukarrevision.pay"
    verbose_name = _("Fees and travel")
