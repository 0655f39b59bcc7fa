"""项目考勤 pages (docs/requirements.md §8): reports read by the project and supervisors; anomaly handling by the project."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image

from ..spec import PROJECT_FORM, PROJECT_PAGE, Expect

EXPECTATIONS = {
    "attendance:month": PROJECT_PAGE,
    "attendance:month_export": PROJECT_PAGE,
    "attendance:details": PROJECT_PAGE,
    "attendance:details_export": PROJECT_PAGE,
    "attendance:punch_photo": PROJECT_PAGE,
    "attendance:anomalies": PROJECT_PAGE,
    "attendance:anomaly_resolve": PROJECT_FORM,
    "attendance:anomaly_dismiss": Expect(method="POST", supervisor=403, own=302, data={"reason": "访客误刷"}),
    "attendance:key_posts_export": PROJECT_PAGE,
}


def _png() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "gray").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="snap.png")


def open_anomaly_with_photo(project) -> int:
    """An unmatched punch of `project` (open anomaly) with a snapshot photo."""
    from attendance.models import AnomalyStatus
    from tests import factories

    punch = factories.PunchFactory(
        roster_entry=None,
        project=project,
        is_anomaly=True,
        anomaly_status=AnomalyStatus.OPEN,
        anomaly_reason="花名册中无此人",
        photo=_png(),
    )
    return punch.pk


KWARGS = {"punch_id": open_anomaly_with_photo}
