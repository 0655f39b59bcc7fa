"""The 预警 panel on 项目总览: the project's waiting alerts, newest first (two queries)."""

from __future__ import annotations

from django.template.loader import render_to_string

PANEL_ROWS = 10


def project_overview(request, project=None, **context) -> str:
    from .models import Alert

    waiting = Alert.objects.filter(project=project).active().order_by("-first_seen_at", "-id")
    return render_to_string(
        "alerts/_overview_panel.html",
        {"project": project, "alerts": list(waiting[:PANEL_ROWS]), "count": waiting.count()},
        request=request,
    )
