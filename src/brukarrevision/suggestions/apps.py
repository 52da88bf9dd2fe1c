from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "brukarrevision.suggestions"
    verbose_name = _("Suggestion box")
