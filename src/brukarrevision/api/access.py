"""DRF's side of the rules: each view names its scope, and `brukarrevision.permissions`
decides (the token's owner's rights AND the token's scope)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from brukarrevision.permissions import may_use_api


class TokenScope(BasePermission):
    message = _("This token does not have the scope this needs.")

    def has_permission(self, request, view) -> bool:
        return may_use_api(request.user, request.auth, view.scope)
