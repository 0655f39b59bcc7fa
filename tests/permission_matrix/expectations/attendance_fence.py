"""移动考勤 (docs/geofence.md): the punch page and its calls for the project (and its 考勤员), the
list of punches outside the fence read by the project and supervisors, 认可/驳回 by the project."""

from __future__ import annotations

import datetime
import io
import uuid

from django.core.files.base import ContentFile
from PIL import Image

from ..spec import PROJECT_FORM, PROJECT_PAGE, Expect

DECIDE = Expect(method="POST", supervisor=403, own=302, data={"reason": "现场核实，在线路延长段施工"})

EXPECTATIONS = {
    "projects:fences": Expect(method="POST", supervisor=403, own=302, data={"fences": "[]"}),
    "attendance:fence_punch": PROJECT_FORM,
    "attendance:fence_punch_workers": Expect(supervisor=403, data={"q": "张"}),
    "attendance:fence_punch_submit": Expect(method="POST", supervisor=403, own=400),
    "attendance:fence_punch_roster": PROJECT_FORM,
    "attendance:fence_punch_sw": PROJECT_FORM,
    "attendance:fence_punch_manifest": PROJECT_FORM,
    "attendance:fence_anomalies": PROJECT_PAGE,
    "attendance:fence_accept": DECIDE,
    "attendance:fence_reject": DECIDE,
    "attendance:fence_photo": PROJECT_PAGE,
    "attendance:attendants": PROJECT_PAGE,
    "attendance:attendant_disable": Expect(method="POST", supervisor=403, own=302),
}


def pending_fence_punch(project) -> int:
    """A 移动考勤 punch 300 m outside `project`'s fence, waiting for the project, with its photo."""
    from attendance.models import FenceCheck, FencePunch, FenceReview
    from tests import factories

    entry = factories.RosterEntryFactory(team__unit__project=project)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "gray").save(buffer, "JPEG")
    punched_at = datetime.datetime(2026, 4, 7, 8, 0, tzinfo=datetime.UTC)
    return FencePunch.objects.create(
        project=project,
        client_uuid=uuid.uuid4(),
        content_digest="0" * 64,
        roster_entry=entry,
        person=entry.person,
        punched_at=punched_at,
        work_date=punched_at.date(),
        direction="01",
        lat="22.580000",
        lng="113.080000",
        accuracy_m=10,
        distance_m=300,
        fence_check=FenceCheck.OUTSIDE,
        review=FenceReview.PENDING,
        photo=ContentFile(buffer.getvalue(), name="site.jpg"),
    ).pk


def attendant_of(project) -> int:
    from attendance.attendants import issue_attendant
    from jmzhgd.core.actor import Actor

    return issue_attendant(Actor.system(), project, "一号考勤机")[0].pk


KWARGS = {"fence_punch_id": pending_fence_punch, "attendant_id": attendant_of}
