"""An exception in the middle of an action leaves nothing half-written (docs/requirements.md §10).

Each action is failed at every one of its audit writes in turn (an audit row is written right after
the rows it describes, so each point has real writes before it); the punch ingest, whose audit row
is written with its punches, is failed right after it stores a batch and between its own writes. After each failure every table has the row count it had before, no file
is left in the media directory that no row refers to, and the rows an action updates are unchanged.
Finally the same action runs through, which proves the failed attempts left nothing in its way.
"""

from __future__ import annotations

import base64
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from attendance import ingest, punch_store
from attendance.models import DailySummary, Punch
from jmzhgd.accounts.models import User
from jmzhgd.core.actor import Actor
from jmzhgd.core.models import WorkType
from projects import services as project_services
from projects.models import DeclarationStatus
from tests import factories
from tests.projects.helpers import make_declaration
from tests.workforce.fixtures.site import PERSONS, build_site, row, workbook_bytes
from workforce import imports
from workforce.models import ImportBatch, ImportBatchStatus, Person, RosterEntry
from workforce.services import EntryRequest, enter_persons, upsert_person

from .conftest import InjectedFault, State, fail_at_each_audit_write

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("故障测试")


def test_a_fault_at_any_write_of_the_approval_leaves_no_project_enterprise_unit_team_or_account(supervisor):
    declaration = make_declaration()

    def still_pending():
        declaration.refresh_from_db()
        assert declaration.status == DeclarationStatus.PENDING and declaration.project_id is None

    actions = fail_at_each_audit_write(
        lambda: project_services.approve_declaration(Actor(user=supervisor), declaration.pk),
        after_failure=still_pending,
    )

    # The failure points included every part of the approval, the declaration's own row last.
    assert {"project.create", "permit.create", "enterprise.register", "account.issue"} <= set(actions)
    assert actions[-1] == "declaration.approve" and len(actions) >= 6
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.APPROVED
    project = declaration.project
    assert project.units.count() == 2 and User.objects.filter(project=project).count() == 1


def test_a_fault_in_the_entry_wizards_action_leaves_no_roster_entry(project):
    team = factories.TeamFactory(unit=factories.UnitFactory(project=project), entry_date=date(2026, 3, 2))
    rebar = WorkType.objects.get(name="钢筋工")
    persons = [
        factories.PersonFactory(id_number=factories.id_number(birth=date(1990, 5, 1))) for _ in range(3)
    ]
    requests = [
        EntryRequest(
            person=person,
            unit=team.unit,
            team=team,
            category="worker",
            work_type=rebar,
            entry_date=date(2026, 3, 10),
        )
        for person in persons
    ]

    actions = fail_at_each_audit_write(lambda: enter_persons(ACTOR, project, requests))

    assert actions == ["roster.enter"]
    assert RosterEntry.objects.filter(project=project, person__in=persons).count() == 3


def test_a_fault_in_the_import_commit_leaves_no_entry_and_the_batch_a_preview(project):
    build_site(project)
    names = ["李建国", "王秀英", "黄伟"]
    data = workbook_bytes([row(name, PERSONS[name]) for name in names])

    batch = imports.create_preview(ACTOR, project, SimpleUploadedFile("进场.xlsx", data))

    def still_a_preview():
        stored = ImportBatch.objects.get(pk=batch.pk)
        assert stored.status == ImportBatchStatus.PREVIEW and stored.entered_count == 0
        assert stored.imported_at is None and stored.original_file.name == batch.original_file.name

    actions = fail_at_each_audit_write(
        lambda: imports.commit_batch(ACTOR, batch), after_failure=still_a_preview
    )

    assert actions == ["roster.enter", "roster.import"]
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert stored.status == ImportBatchStatus.IMPORTED and stored.entered_count == 3
    assert RosterEntry.objects.filter(project=project).count() == 3


def test_a_fault_after_a_person_is_stored_with_photos_leaves_no_person_and_no_photo(project):
    def photo():
        return SimpleUploadedFile("face.jpg", base64.b64decode(jpeg_b64()), content_type="image/jpeg")

    number = factories.id_number(birth=date(1990, 5, 1))
    for attempt in ("create", "update"):
        if attempt == "update":
            # A new face for a stored person is the business of a project that has him on site.
            factories.RosterEntryFactory(team__unit__project=project, person=Person.objects.get())
        data = {"id_type": "01", "id_number": number, "name": f"照片{attempt}", "photo": photo()}
        actions = fail_at_each_audit_write(
            lambda data=data: upsert_person(ACTOR, data, source="api", project=project)
        )
        assert actions == [f"person.{attempt}"]
    person = Person.objects.get(name="照片update")
    assert person.photo.storage.exists(person.photo.name)


# --- punch ingest -----------------------------------------------------------------------------


def jpeg_b64() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 50), "teal").save(buffer, "JPEG")
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def gate(project):
    """A device and three workers on the roster; a batch of six punches, each with a photo."""
    device = factories.DeviceFactory(project=project, serial_number="JM-FAULT-01")
    team = factories.TeamFactory(unit=factories.UnitFactory(project=project), entry_date=date(2026, 3, 2))
    workers = [factories.RosterEntryFactory(team=team, entry_date=date(2026, 3, 3)) for _ in range(3)]
    day = timezone.localdate() - timedelta(days=1)
    records = [
        {
            "recordId": f"{entry.pk}-{direction}",
            "idCardNumber": entry.person.id_number,
            "time": f"{day:%Y-%m-%d} {7 + 10 * (direction == '02'):02d}:{entry.pk % 60:02d}:00",
            "direction": direction,
            "image": jpeg_b64(),
        }
        for entry in workers
        for direction in ("01", "02")
    ]
    return device, records


def _device_untouched(device):
    def check():
        device.refresh_from_db()
        assert device.last_seen_at is None

    return check


def _fail_once_after(module, name: str, project, gate, monkeypatch) -> list:
    """Make `module.name` fail with InjectedFault right after it has done its work, ingest the
    gate's batch (which must fail and leave everything as it was), then ingest it again unpatched
    (which must store it all). Returns the first arguments the patched function was given."""
    device, records = gate
    given = []

    def work_then_fail(first, *args, **kwargs):
        original(first, *args, **kwargs)
        given.append(first)
        raise InjectedFault(f"injected after {name}")

    original = getattr(module, name)
    monkeypatch.setattr(module, name, work_then_fail)
    before = State.now()
    with pytest.raises(InjectedFault):
        ingest.ingest_punches(ACTOR, project, records, device=device)
    before.assert_unchanged()
    _device_untouched(device)()
    monkeypatch.setattr(module, name, original)
    outcome = ingest.ingest_punches(ACTOR, project, records, device=device)
    assert [r.status for r in outcome.results] == ["created"] * 6
    return given


def test_a_fault_after_the_batch_is_stored_leaves_it_whole_and_its_retry_is_a_duplicate(
    project, gate, monkeypatch
):
    # Storing a batch is atomic by itself (one statement on PostgreSQL, a transaction of its own on
    # SQLite). A fault after it (here while the device's last-seen time is written) fails the
    # request; what was stored stays, photos included, and the client's retry is told so.
    device, records = gate
    before = State.now()

    def fail(*args):
        raise InjectedFault("injected after the batch was stored")

    monkeypatch.setattr(ingest, "_touch_device", fail)
    with pytest.raises(InjectedFault):
        ingest.ingest_punches(ACTOR, project, records, device=device)
    monkeypatch.undo()
    stored = State.now()
    assert before.grown_tables(stored) == {
        "attendance.Punch": (0, 6),
        "attendance.DailySummary": (0, 3),
        "core.AuditLog": (0, 1),
    }
    assert all(punch.photo.storage.exists(punch.photo.name) for punch in Punch.objects.all())
    assert len(stored.files - before.files) == 6

    outcome = ingest.ingest_punches(ACTOR, project, records, device=device)
    assert [r.status for r in outcome.results] == ["duplicate"] * 6
    after = State.now()
    assert stored.grown_tables(after) == {"core.AuditLog": (1, 2)}  # the retry's own audit row
    assert after.files == stored.files  # the retry's photos were discarded


def test_a_fault_between_the_batchs_own_writes_leaves_no_punch_or_photo(project, gate, monkeypatch):
    if connection.vendor == "postgresql":
        # There is no "between" to fail in: the punches, their summaries and the audit row are
        # written by one statement.
        device, records = gate
        with CaptureQueriesContext(connection) as queries:
            outcome = ingest.ingest_punches(ACTOR, project, records, device=device)
        writes = [q["sql"] for q in queries.captured_queries if "INSERT INTO" in q["sql"]]
        assert len(writes) == 1
        assert all(
            table in writes[0]
            for table in ('"attendance_punch"', '"attendance_dailysummary"', '"core_auditlog"')
        )
        assert [r.status for r in outcome.results] == ["created"] * 6
        assert DailySummary.objects.filter(project=project).count() == 3
        return
    # SQLite: the punches and their summaries are written, then the fault strikes.
    given = _fail_once_after(punch_store, "add_to_daily_summaries", project, gate, monkeypatch)
    assert given == [project.pk]
