"""At most API_RATE_PER_HOUR requests an hour per token (per person for anything else).
Over it: 429 with Retry-After. Counted in the shared cache (Redis when CACHE_URL is set)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read on every request, so the setting can be changed without touching DRF's.
        return f"{settings.API_RATE_PER_HOUR}/hour"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
