from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OidcConfig(AppConfig):
    name = "brukarrevision.oidc"
    verbose_name = _("Municipal sign-in (OpenID Connect)")
