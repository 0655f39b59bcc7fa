from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def url_if_exists(name: str, *args) -> str:
    """The URL of `name`, or "" while that page is not part of the platform."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def panels(context, slot: str, **kwargs):
    """The panels higher apps registered for `slot` (jmzhgd.core.panels)."""
    from jmzhgd.core.panels import render_slot

    return render_slot(slot, context["request"], **kwargs)
