"""移动考勤 (docs/geofence.md): what a phone punch checked against the 电子围栏 costs, against a
device's punch of the same workers with the same photo measured in the same run, in the harness
process (the check and its bookkeeping, not HTTP). Target: at most 1.2× a device punch. The geometry
alone (a 100-vertex polygon and a circle) is shown beside it.

The probe punches, their summaries' changes, phone records and audit rows are removed afterwards.
"""

from __future__ import annotations

import base64
import datetime
import io
import statistics
import time
import uuid

from bench import yardsticks
from bench.harness import Bench, Row, _ms, percentile

RATIO_LIMIT = 1.2
CENTRE = (22.58, 113.08)


def _photo() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 140, 100)).save(buffer, "JPEG", quality=80)
    return base64.b64encode(buffer.getvalue()).decode()


def _polygon(vertices: int = 100) -> dict:
    import math

    return {
        "type": "polygon",
        "name": "基准",
        "points": [
            [
                CENTRE[0] + 0.01 * math.sin(2 * math.pi * i / vertices),
                CENTRE[1] + 0.01 * math.cos(2 * math.pi * i / vertices),
            ]
            for i in range(vertices)
        ],
    }


def run(bench: Bench) -> None:
    from django.utils import timezone

    from attendance.fence_punches import submit_fence_punch
    from attendance.ingest import ingest_punches
    from attendance.models import Device, FencePunch, Punch, PunchSource
    from attendance.summaries import SHANGHAI, refresh_daily_summaries
    from jmzhgd.core.actor import Actor
    from jmzhgd.core.models import AuditLog
    from projects.geofence import distance_to_site_m
    from projects.models import Project

    samples = max(bench.sizes.page_samples, 5) * 2
    entries = list(bench.on_site_entries().select_related("person")[:samples])
    project = Project.objects.get(pk=bench.project_id)
    device = Device.objects.filter(project=project, is_active=True).first()
    fences = [_polygon(), {"type": "circle", "name": "井口", "center": list(CENTRE), "radius": 200}]
    saved_fences = project.site_fences
    Project.objects.filter(pk=project.pk).update(site_fences=fences)
    project.site_fences = fences
    actor = Actor(ip="127.0.0.9", label="基准测试")
    photo = _photo()
    day = timezone.now().astimezone(SHANGHAI).date() - datetime.timedelta(days=1)
    started_at = timezone.now()
    device_times, fence_times = [], []
    try:
        for index, entry in enumerate(entries):
            person = entry.person
            when = datetime.datetime(
                day.year, day.month, day.day, 2, index // 60, index % 60, tzinfo=SHANGHAI
            )
            item = {
                "idCardType": person.id_type,
                "idCardNumber": person.id_number,
                "time": when.strftime("%Y-%m-%d %H:%M:%S"),
                "direction": "01",
                "image": photo,
                "lat": CENTRE[0],
                "lng": CENTRE[1],
            }
            began = time.perf_counter()
            ingest_punches(actor, project.pk, [item], device=device, source=PunchSource.DEVICE)
            device_times.append(time.perf_counter() - began)
            record = {
                "uuid": str(uuid.uuid4()),
                "entryId": entry.pk,
                "direction": "02",
                "time": when.strftime("%Y-%m-%d %H:%M:%S"),
                "lat": CENTRE[0],
                "lng": CENTRE[1],
                "accuracy": 10,
                "image": photo,
            }
            began = time.perf_counter()
            outcome = submit_fence_punch(actor, project, record)
            fence_times.append(time.perf_counter() - began)
            assert outcome.fence_punch.punch_id is not None
        checks = 2000
        began = time.perf_counter()
        for _ in range(checks):
            distance_to_site_m(CENTRE[0] + 0.02, CENTRE[1], fences)
        check_us = (time.perf_counter() - began) / checks * 1e6
    finally:
        probes = Punch.objects.filter(project=project, work_date=day, received_at__gte=started_at)
        keys = set(probes.values_list("person_id", "work_date"))
        for fence_punch in FencePunch.objects.filter(project=project, received_at__gte=started_at):
            if fence_punch.photo:
                fence_punch.photo.storage.delete(fence_punch.photo.name)
            fence_punch.delete()
        for punch in probes.exclude(photo=""):
            punch.photo.storage.delete(punch.photo.name)
        probes.delete()
        refresh_daily_summaries(project.pk, keys)
        AuditLog.objects.filter(project=project, created_at__gte=started_at).delete()
        Project.objects.filter(pk=project.pk).update(site_fences=saved_fences)
    device_median, fence_median = statistics.median(device_times), statistics.median(fence_times)
    ratio = fence_median / device_median
    row = Row(
        "移动考勤 punch (fence check) vs device punch",
        f"{len(entries)} punches of each, 640×480 photo, fence of a 100-vertex polygon and a circle",
        f"≤ {RATIO_LIMIT}× a device punch",
        ratio <= RATIO_LIMIT,
        _ms(fence_median),
        _ms(percentile(fence_times, 0.95)),
        note=(
            f"device punch median {_ms(device_median)} ms; phone punch {ratio:.2f}×; "
            f"the geometry alone {check_us:.1f} µs per punch"
        ),
        extra={"ratio": round(ratio, 3), "geometry_us": round(check_us, 1)},
    )
    # In-process work of one punch, judged by its own ratio to the device punch: the yardstick is shown.
    yardsticks.judge(row, "select_page", bench.yardstick("select_page"), fence_median * 1000, None)
    bench.rows.append(row)
    bench.log(f"  移动考勤: {ratio:.2f}× a device punch, geometry {check_us:.1f} µs")
