from django import template

register = template.Library()


@register.filter
def median(group, result):
    return result.median(group)


@register.filter
def positive_share(group, result):
    return result.positive_share(group)


@register.filter
def mean(group, result):
    return result.mean(group)


@register.filter
def base(group, result):
    return None if group.hidden else result.base(group)
