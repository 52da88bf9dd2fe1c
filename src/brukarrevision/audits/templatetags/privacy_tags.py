"""The audit page's note on its personal data: the retention date and where to read more."""

from django import template

from brukarrevision.audits import retention
from brukarrevision.permissions import Action, can

register = template.Library()


@register.inclusion_tag("audits/includes/retention_summary.html", takes_context=True)
def retention_summary(context, audit):
    user = context["request"].user
    days = retention.days_left(audit)
    return {
        "audit": audit,
        "days_left": days,
        "soon": days is not None and days <= retention.WARN_DAYS,
        "months": retention.RETENTION_MONTHS,
        "may_set_retention": can(user, Action.SET_RETENTION, audit),
        "may_view_record": can(user, Action.VIEW_PROCESSING_RECORD, audit),
    }
