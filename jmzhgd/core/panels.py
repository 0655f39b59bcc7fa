"""Page slots that higher floors fill: a page of a lower app names a slot, apps above register into it.

项目总览 (projects) shows the project's alerts without projects importing the 预警中心: alerts
registers a panel for the "project_overview" slot in its AppConfig.ready (docs/architecture.md pattern 9).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

_SLOTS: dict[str, list[Callable[..., str]]] = {}


def register(slot: str, render: Callable[..., str]) -> None:
    """`render(request, **context)` returns the panel's HTML (already escaped: a rendered template)."""
    if render not in _SLOTS.setdefault(slot, []):
        _SLOTS[slot].append(render)


def render_slot(slot: str, request, **context) -> SafeString:
    return mark_safe("".join(render(request, **context) for render in _SLOTS.get(slot, [])))
