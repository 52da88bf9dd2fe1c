from django import template

from brukarrevision.organisations.models import Organisation
from brukarrevision.permissions import coordinated_organisations

from .. import selectors
from ..models import Status, TimeReport, TravelClaim

register = template.Library()


@register.inclusion_tag("pay/includes/links.html")
def pay_links(user):
    """The start page's links to fees and travel: one's own, and each organisation's queue."""
    if not user.is_authenticated:
        return {}
    if user.is_superuser:
        organisations = Organisation.objects.filter(kind=Organisation.Kind.PERFORMER)
    else:
        organisations = coordinated_organisations(user)
    managed = []
    for organisation in organisations:
        waiting = (
            TimeReport.objects.filter(
                member__organisation=organisation, status=Status.SUBMITTED
            ).count()
            + TravelClaim.objects.filter(
                member__organisation=organisation, status=Status.SUBMITTED
            ).count()
        )
        managed.append((organisation, waiting))
    return {"reports": selectors.members_of(user).exists(), "managed": managed}
