"""The header badge: how many alerts wait for the signed-in user (one query per page over the
pending counts the database keeps, alerts.counts, not a COUNT of the alerts)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import SimpleLazyObject


def open_alerts(request):
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or not (user.is_supervisor or user.is_superuser or user.is_project_user)
    ):
        return {}

    def count() -> int:
        from .counts import pending_total

        # Lazy: counted only by a page that shows the header (not by JSON or file responses).
        return pending_total(user)

    url = (
        reverse("alerts:project_list", kwargs={"project_id": user.project_id})
        if user.is_project_user
        else reverse("alerts:center")
    )
    return {"open_alert_count": SimpleLazyObject(count), "open_alerts_url": url}
