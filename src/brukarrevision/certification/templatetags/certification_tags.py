from django import template

from brukarrevision.organisations.models import Organisation
from brukarrevision.permissions import coordinated_organisations, visible_certifications

register = template.Library()


@register.inclusion_tag("certification/includes/links.html")
def certification_links(user):
    """The start page's link to the certifications a person leads, takes part in or follows,
    and, for a user organisation's coordinator, to offering one."""
    if not user.is_authenticated:
        return {}
    may_start = user.is_superuser or (
        coordinated_organisations(user).filter(kind=Organisation.Kind.PERFORMER).exists()
    )
    return {"count": visible_certifications(user).count(), "may_start": may_start}
