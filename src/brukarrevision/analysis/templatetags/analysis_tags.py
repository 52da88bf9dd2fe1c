from django import template

register = template.Library()


@register.filter
def median(group, result):
    return result.median(group)


@register.filter
def positive_share(group, result):
    return result.positive_share(group)
