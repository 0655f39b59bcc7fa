from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def url_if_exists(name: str, *args) -> str:
    """The URL of `name`, or "" while that page is not part of the platform."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


class PageTitleNode(template.Node):
    child_nodelists = ("nodelist",)  # so that {% block title %} inside stays overridable

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        page = mark_safe(self.nodelist.render(context).strip())  # rendered (and escaped) by the block
        platform = context.get("PLATFORM_NAME", "")
        return format_html("{} - {}", page, platform) if page else conditional_escape(platform)


@register.tag
def page_title(parser, token):
    """`{% page_title %}{% block title %}{% endblock %}{% endpage_title %}`: 「页面 - 平台名称」, or the
    platform's name alone on a page without a title. A template cannot test whether a block is
    empty (`self.title` does not exist in Django templates), so the tag renders it and decides."""
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist)


@register.simple_tag(takes_context=True)
def panels(context, slot: str, **kwargs):
    """The panels higher apps registered for `slot` (jmzhgd.core.panels)."""
    from jmzhgd.core.panels import render_slot

    return render_slot(slot, context["request"], **kwargs)
