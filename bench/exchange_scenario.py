"""数据对接: a month of the big project's attendance (124,000 punches at full scale) pushed to the fake
provincial platform (exchange.testing: a real HTTP server that signs, decrypts and checks every
item) through exchange.services, as `manage.py sync_province` does. Target: ≤ 60 s.

The records the punches depend on (units, teams, workers, entries) are sent first, untimed; the
row times queueing, sending and polling the punches. The exchange's rows are deleted afterwards,
so the dataset stays the same between runs.
"""

from __future__ import annotations

import time

from bench import yardsticks
from bench.harness import Bench, Row, _ms

TARGET = "≤ 60 s (queue + send + poll)"
SECRET = "0123456789abcdef0123456789ABCDEF"  # the project's secret, also its AES key
PHOTO = "bench/exchange-photo.jpg"  # one small picture every worker of the run points at


def run(bench: Bench) -> None:
    try:
        from exchange import services
        from exchange.client import ProvinceClient
        from exchange.testing import FakeProvince
    except ImportError:
        bench.missing("province sync", "", TARGET, "exchange")
        return
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.test.utils import override_settings
    from PIL import Image

    from exchange.mapping.attendance import sendable_punches
    from exchange.models import OutboundRecord, ProvinceRequest, RecordStatus, SyncCursor
    from projects.models import Project
    from workforce.models import Person

    project = Project.objects.get(pk=bench.project_id)
    punches = sendable_punches(project).count()
    # The province takes no worker without a photo: the run's workers borrow one, and give it back.
    borrowers = Person.objects.filter(roster_entries__project=project, photo="").distinct()
    lenders = list(borrowers.values_list("pk", flat=True))
    picture = io.BytesIO()
    Image.new("RGB", (120, 160), (200, 180, 160)).save(picture, "JPEG")
    photo = default_storage.save(PHOTO, ContentFile(picture.getvalue()))

    def clear() -> None:
        OutboundRecord.objects.filter(project=project).delete()
        ProvinceRequest.objects.filter(project=project).delete()
        SyncCursor.objects.filter(project=project).delete()

    clear()
    Person.objects.filter(pk__in=lenders).update(photo=photo)
    with FakeProvince({project.code: SECRET}, pending_polls=0) as province:
        client = ProvinceClient(province.url, project.code, SECRET)
        with override_settings(PROVINCE_POLL_SECONDS=0, PROVINCE_RETRY_SECONDS=60):
            try:
                # Everything but the punches first: pretend the attendance was already queued and sent.
                services.enqueue_changes(project)
                OutboundRecord.objects.filter(project=project, method="WorkerAttendance.Add").delete()
                services.sync_province(project=project, client=client, max_seconds=600)
                SyncCursor.objects.filter(project=project).delete()
                OutboundRecord.objects.filter(project=project, method="WorkerAttendance.Add").delete()
                started = time.perf_counter()
                services.sync_province(project=project, client=client, max_seconds=600)
                seconds = time.perf_counter() - started
                sent = OutboundRecord.objects.filter(project=project, method="WorkerAttendance.Add")
                accepted = sent.filter(status=RecordStatus.ACCEPTED).count()
                other = sent.exclude(status=RecordStatus.ACCEPTED).count()
            finally:
                clear()
                Person.objects.filter(pk__in=lenders).update(photo="")
                default_storage.delete(photo)
    row = Row(
        f"province sync, {punches:,} punches",
        f"{punches:,} punches of one project",
        TARGET,
        accepted == punches and punches > 0,
        _ms(seconds),
        _ms(seconds),
        None,
        note=f"{accepted:,} accepted, {other:,} not; {len(province.received):,} writes received "
        "(one run: median = p95)",
    )
    # A rate (punches a second) against the bare bulk_create, as the import row: 60 s for the month.
    yardsticks.judge(row, "bulk_create", bench.yardstick("bulk_create"), punches / seconds, punches / 60)
    bench.rows.append(row)
    bench.log(f"  province sync: {seconds:.1f} s ({accepted:,}/{punches:,} accepted)")
