"""Demo 移动考勤 (docs/geofence.md): the demo 市政 road project gets a two-part 电子围栏 along its road,
a 考勤员 phone account, and a few phone punches of the last days: most inside a fence (counted), some
outside or with a poor accuracy (异常考勤 waiting for the project). Idempotent: a project that has
phone punches already gets none."""

from __future__ import annotations

import base64
import datetime
import io
import math
import uuid

from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from jmzhgd.accounts.models import Role, User
from jmzhgd.core.codes import Direction, ProjectCategory

from .fence_punches import submit_fence_punch
from .models import FencePunch
from .summaries import SHANGHAI

DEMO_ATTENDANT_PASSWORD = "Kq@2026demo"
METRES_PER_DEGREE_LAT = math.pi * 6_371_008.8 / 180
# Two stretches of 银湖大道西段 under works, each a long thin polygon (lat, lng), about 800 m apart.
ROAD_PARTS = [
    (
        "银湖大道西段 K0+000–K0+600",
        [[22.4572, 113.0262], [22.4592, 113.0262], [22.4592, 113.0320], [22.4572, 113.0320]],
    ),
    (
        "银湖大道西段 K1+400–K2+000",
        [[22.4580, 113.0400], [22.4600, 113.0400], [22.4600, 113.0458], [22.4580, 113.0458]],
    ),
]
# (metres north of a part's middle, accuracy m, part): inside, just outside within accuracy, far outside.
PUNCH_PLACES = [(0, 8, 0), (20, 12, 1), (150, 60, 0), (0, 15, 1), (300, 10, 0), (0, 180, 1), (900, 20, 1)]


def _photo(shade: int) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (shade, 120, 90)).save(buffer, "JPEG")
    return base64.b64encode(buffer.getvalue()).decode()


def seed(demo) -> None:
    project = next(
        (p for p in demo.shared.get("projects", []) if p.category == ProjectCategory.MUNICIPAL), None
    )
    if project is None:
        return
    if not project.site_fences:
        project.site_fences = [
            {"type": "polygon", "name": name, "points": points} for name, points in ROAD_PARTS
        ]
        project.save(update_fields=["site_fences"])
    username = f"kq{project.code}-1"
    attendant = User.objects.filter(username=username).first()
    if attendant is None:
        attendant = User(
            username=username, role=Role.ATTENDANT, project=project, real_name="道路一号考勤手机"
        )
        attendant.set_password(DEMO_ATTENDANT_PASSWORD)
    elif not demo.keep_passwords:
        attendant.set_password(DEMO_ATTENDANT_PASSWORD)
    attendant.must_change_password = False
    attendant.save()
    demo.logins.append(("考勤员", username, DEMO_ATTENDANT_PASSWORD))
    if FencePunch.objects.filter(project=project).exists():
        return
    entries = list(
        project.roster.filter(exit_date__isnull=True).select_related("person")[: len(PUNCH_PLACES)]
    )
    now = timezone.now().astimezone(SHANGHAI)
    yesterday = now.date() - datetime.timedelta(days=1)
    actor = demo.actor
    stored = 0
    for index, (entry, (north, accuracy, part)) in enumerate(zip(entries, PUNCH_PLACES, strict=False)):
        points = ROAD_PARTS[part][1]
        middle_lat = sum(p[0] for p in points) / len(points) + north / METRES_PER_DEGREE_LAT
        middle_lng = sum(p[1] for p in points) / len(points)
        when = datetime.datetime(
            yesterday.year, yesterday.month, yesterday.day, 7, 30 + index, tzinfo=SHANGHAI
        )
        try:
            submit_fence_punch(
                actor,
                project,
                {
                    "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"jmzhgd-demo-fence/{project.code}/{index}")),
                    "entryId": entry.pk,
                    "direction": Direction.IN,
                    "time": when.strftime("%Y-%m-%d %H:%M:%S"),
                    "lat": round(middle_lat, 6),
                    "lng": round(middle_lng, 6),
                    "accuracy": accuracy,
                    "image": _photo(40 * index % 255),
                },
            )
        except ValidationError as exc:  # e.g. a demo worker who entered today
            demo.write(f"  移动考勤：跳过 {entry.person.name}：{'；'.join(exc.messages)}")
            continue
        stored += 1
    pending = FencePunch.objects.filter(project=project, review="pending").count()
    demo.write(
        f"  移动考勤：{project.name} 电子围栏 {len(project.site_fences)} 段，手机打卡 {stored} 条（待处理 {pending} 条）"
    )
