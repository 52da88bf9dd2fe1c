from django import template
from django.conf import settings

from brukarrevision.oidc.backends import enabled

register = template.Library()


@register.inclusion_tag("oidc/sign_in_button.html")
def oidc_sign_in(next_url=""):
    """ "Sign in with <provider>" on the sign-in page, only when municipal sign-in is set up."""
    return {
        "enabled": enabled(),
        "provider": settings.OIDC_PROVIDER_NAME,
        "next": next_url,
    }
