from django import template

register = template.Library()


@register.inclusion_tag("core/includes/error_summary.html")
def error_summary(*forms):
    """An error summary above the form(s), each error linked to its field."""
    return {"forms_with_errors": [f for f in forms if f is not None and f.errors]}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def split(text):
    return text.split()


@register.filter
def field(form, name):
    """The bound field `name` of `form`, or None if the form has no such field."""
    return form[name] if name in form.fields else None
