from django import template
from django.utils.translation import gettext as _

from brukarrevision import permissions

from .. import questions, selectors

register = template.Library()


@register.filter
def level_name(number: int) -> str:
    """ "Level 3" for a reached level, or a plain "none yet"."""
    if not number:
        return _("No level yet")
    return _("Level %(n)s") % {"n": number}


@register.filter
def level_title(number: int) -> str:
    for level in questions.LEVELS:
        if level.number == number:
            return str(level.name)
    return ""


@register.inclusion_tag("ladder/includes/summary.html", takes_context=True)
def ladder_summary(context, unit):
    """The latest ladder result of `unit`, for any page about the unit (e.g. a certification).
    The link to the full result is shown to those who may see it."""
    user = context.get("user")
    return {
        "ladder_summary": selectors.latest_summary(unit),
        "ladder_unit": unit,
        "ladder_may_view": permissions.may_view_ladder(user, unit),
        "stages": questions.STAGES,
    }
