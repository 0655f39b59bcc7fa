"""The raw INSERT behind punch ingestion (attendance.punch_store) writes what the ORM would have written."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from attendance import ingest, punch_store
from attendance.models import AnomalyStatus, DailySummary, Punch, PunchSource
from attendance.punch_store import COLUMNS
from attendance.summaries import SHANGHAI
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import IdCardType
from jmzhgd.core.models import AuditLog
from jmzhgd.core.pii import id_digest, mask_id
from tests import factories
from tests.faults.conftest import media_files

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试设备厂商")


def test_the_insert_names_every_column_of_the_model_but_the_key():
    # A field added to Punch must be added to the INSERT too: without this the INSERT would fail on a
    # NOT NULL column, or silently store nothing in a nullable one.
    fields = [f.name for f in Punch._meta.concrete_fields if not f.primary_key]
    assert sorted(COLUMNS) == sorted(fields)


@pytest.fixture
def site(project):
    device = factories.DeviceFactory(project=project, serial_number="JM-STORE-01")
    team = factories.TeamFactory(unit=factories.UnitFactory(project=project), entry_date=date(2026, 3, 2))
    entry = factories.RosterEntryFactory(team=team, entry_date=date(2026, 3, 3))
    return project, device, entry


def test_a_stored_punch_reads_back_through_the_orm_with_every_value(site):
    project, device, entry = site
    day = timezone.localdate() - timedelta(days=1)
    number = entry.person.id_number
    outcome = ingest.ingest_punches(
        ACTOR,
        project,
        [
            {
                "recordId": "R-1",
                "idCardNumber": number.lower(),  # normalised to upper case before storing
                "name": " 张三 ",
                "time": f"{day} 07:58:09",
                "direction": "01",
                "attendType": "002",
                "lat": 22.5791234,
                "lng": 113.0815678,
            },
            {
                "recordId": "R-2",
                "idCardNumber": "11010519491231002X",
                "time": f"{day} 08:00:00",
                "direction": "01",
            },
        ],
        device=device,
        source=PunchSource.DEVICE,
    )
    assert [r.status for r in outcome.results] == ["created", "anomaly"]

    matched = Punch.objects.get(record_id="R-1")
    assert matched.project_id == project.pk and matched.person_id == entry.person_id
    assert matched.roster_entry_id == entry.pk and not matched.is_anomaly
    assert matched.id_number == ""  # the person carries the number: no second copy
    assert matched.id_number_digest == id_digest(number) and matched.id_number_masked == mask_id(number)
    assert matched.name_as_sent == "张三"
    assert matched.punched_at == datetime(day.year, day.month, day.day, 7, 58, 9, tzinfo=SHANGHAI)
    assert matched.work_date == day
    assert (matched.direction, matched.attend_type) == ("01", "002")
    assert (matched.device_id, matched.device_sn, matched.source) == (
        device.pk,
        device.serial_number,
        "device",
    )
    assert matched.source_label == ACTOR.display
    assert matched.lat == Decimal("22.579123") and matched.lng == Decimal("113.081568")
    assert (matched.anomaly_reason, matched.anomaly_status, matched.photo.name) == ("", "", "")
    assert matched.resolved_by_id is None and matched.resolved_at is None
    assert abs(matched.received_at - timezone.now()) < timedelta(minutes=1)

    anomaly = Punch.objects.get(record_id="R-2")
    assert anomaly.is_anomaly and anomaly.anomaly_status == AnomalyStatus.OPEN
    assert anomaly.person_id is None and anomaly.roster_entry_id is None
    assert anomaly.anomaly_reason == punch_store.UNKNOWN_PERSON
    assert anomaly.id_number == "11010519491231002X"  # as sent, decrypted with the platform's key
    assert anomaly.lat is None


# One row, and several (on PostgreSQL: arrays of one value, and columns joined into one text)
@pytest.mark.parametrize("size", [1, 10])
def test_the_insert_matches_each_punch_to_the_stay_covering_its_day(site, size):
    project, device, first_stay = site
    person, team = first_stay.person, first_stay.team
    exit_day = timezone.localdate() - timedelta(days=2)
    first_stay.exit_date = exit_day
    first_stay.save()
    # Exit and re-entry on the same day: both stays cover it, and the later one takes its punches.
    second_stay = factories.RosterEntryFactory(team=team, person=person, entry_date=exit_day)
    elsewhere = factories.RosterEntryFactory(  # a stay in another project counts for nothing here
        team=factories.TeamFactory(entry_date=date(2026, 3, 2)), entry_date=date(2026, 3, 3)
    )
    passport_holder = factories.PersonFactory(
        id_type=IdCardType.PASSPORT, id_number="E12345678", gender="1", birth_date=date(1990, 1, 1)
    )

    def item(number, day, minute, id_type=IdCardType.RESIDENT_ID):
        return {
            "idCardType": id_type,
            "idCardNumber": number,
            "time": f"{day} 07:{minute:02d}:00",
            "direction": "01",
        }

    before, after = exit_day - timedelta(days=1), exit_day + timedelta(days=1)
    items = [
        item(person.id_number, before, 0),
        item(person.id_number, exit_day, 0),
        item(elsewhere.person.id_number, after, 0),
        # The passport's number under another 证件类型: somebody else, unknown here.
        item("E12345678", after, 0, id_type=IdCardType.OFFICER),
        item("E12345678", after, 1, id_type=IdCardType.PASSPORT),
    ]
    # Filler to reach the COPY path: more of the same person on the later stay.
    items += [item(person.id_number, after, 10 + minute) for minute in range(size - 1)]
    outcome = ingest.ingest_punches(ACTOR, project, items, device=device)
    assert [r.status for r in outcome.results] == ["created", "created", "anomaly", "anomaly", "anomaly"] + [
        "created"
    ] * (size - 1)
    stored = {
        (p.person_id, p.work_date, p.punched_at.minute): p for p in Punch.objects.filter(project=project)
    }
    assert stored[(person.pk, before, 0)].roster_entry_id == first_stay.pk
    assert stored[(person.pk, exit_day, 0)].roster_entry_id == second_stay.pk
    not_here = stored[(elsewhere.person_id, after, 0)]
    assert not_here.roster_entry_id is None and not_here.anomaly_reason == punch_store.NOT_ON_ROSTER
    assert not_here.id_number == elsewhere.person.id_number  # an anomaly keeps the number as sent
    assert outcome.results[2].message == f"已保存为异常考勤：{punch_store.NOT_ON_ROSTER}。"
    unknown = stored[(None, after, 0)]
    assert unknown.anomaly_reason == punch_store.UNKNOWN_PERSON and unknown.id_number == "E12345678"
    holder = stored[(passport_holder.pk, after, 1)]
    assert holder.anomaly_reason == punch_store.NOT_ON_ROSTER and holder.anomaly_status == AnomalyStatus.OPEN
    assert DailySummary.objects.get(person=person, work_date=exit_day).punch_count == 1
    assert not DailySummary.objects.filter(person__in=[elsewhere.person, passport_holder]).exists()


def test_an_anomalys_number_is_encrypted_with_the_current_key_though_workers_memoise_it(site, settings):
    # Every row carries its encrypted number (the statement keeps it for anomalies only), memoised
    # per worker; a new first key must be used from the next batch on, as everywhere else.
    from cryptography.fernet import Fernet, InvalidToken

    project, device, _entry = site
    day = timezone.localdate() - timedelta(days=1)

    def stored_token(minute):
        item = {"idCardNumber": "11010519491231002X", "time": f"{day} 09:{minute:02d}:00", "direction": "01"}
        assert ingest.ingest_punches(ACTOR, project, [item], device=device).results[0].status == "anomaly"
        punch = Punch.objects.get(
            punched_at=datetime(day.year, day.month, day.day, 9, minute, tzinfo=SHANGHAI)
        )
        with connection.cursor() as cursor:  # the stored text, before the field decrypts it
            cursor.execute("SELECT id_number FROM attendance_punch WHERE id = %s", [punch.pk])
            return cursor.fetchone()[0]

    before = stored_token(0)
    assert stored_token(1) == before  # memoised: the same ciphertext for the same number
    new_key = Fernet.generate_key()
    settings.PII_ENCRYPTION_KEYS = [new_key.decode(), *settings.PII_ENCRYPTION_KEYS]
    after = stored_token(2)
    assert Fernet(new_key).decrypt(after.encode()) == b"11010519491231002X"
    with pytest.raises(InvalidToken):
        Fernet(new_key).decrypt(before.encode())


def test_repeats_inside_one_batch_are_duplicates_of_their_first_occurrence(site):
    project, device, entry = site
    day = timezone.localdate() - timedelta(days=1)
    number = entry.person.id_number
    items = [
        {"recordId": "A", "idCardNumber": number, "time": f"{day} 07:00:00", "direction": "01"},
        # the same record id with other data, then the same fact under another record id
        {"recordId": "A", "idCardNumber": number, "time": f"{day} 09:00:00", "direction": "02"},
        {"recordId": "B", "idCardNumber": number, "time": f"{day} 07:00:00", "direction": "01"},
        {"recordId": "C", "idCardNumber": number, "time": f"{day} 07:00:00", "direction": "02"},
    ]
    outcome = ingest.ingest_punches(ACTOR, project, items, device=device)
    assert [r.status for r in outcome.results] == ["created", "duplicate", "duplicate", "created"]
    assert sorted(Punch.objects.values_list("record_id", flat=True)) == ["A", "C"]


def test_a_batch_takes_a_constant_number_of_statements(site):
    project, device, entry = site
    day = timezone.localdate() - timedelta(days=1)
    team = entry.team
    entries = [entry] + [
        factories.RosterEntryFactory(team=team, entry_date=date(2026, 3, 3)) for _ in range(19)
    ]

    def batch(hour, size):
        return [
            {
                "recordId": f"{hour}-{e.pk}",
                "idCardNumber": e.person.id_number,
                "time": f"{day} {hour:02d}:00:00",
                "direction": "01",
            }
            for e in entries[:size]
        ]

    def statements(hour, size):
        with CaptureQueriesContext(connection) as queries:
            ingest.ingest_punches(ACTOR, project, batch(hour, size), device=device)
        return [q["sql"] for q in queries.captured_queries]

    statements(5, 1)  # the first batch also writes the device's last_seen_at
    one, two, ten, twenty = (statements(6 + n, size) for n, size in enumerate((1, 2, 10, 20)))
    assert len(one) == len(two) == len(ten) == len(twenty)
    for sqls in (one, ten):
        inserts = [sql for sql in sqls if 'INSERT INTO "attendance_punch"' in sql]
        assert len(inserts) == 1 and "ON CONFLICT DO NOTHING" in inserts[0]
    # Persons and stays are matched by the INSERT itself: no statement of their own.
    assert not any(sql.startswith("SELECT") and "workforce_person" in sql for sql in one + ten)
    if connection.vendor == "postgresql":
        # The rows travel as one array per column, the same statement text whatever their number
        # (prepared once); the summaries and the audit row are written by the same statement.
        assert len(one) == 1 and one[0].startswith("WITH src") and "unnest(" in one[0]
        assert 'INSERT INTO "core_auditlog"' in one[0]
    else:
        assert " AS (VALUES (" in next(sql for sql in two if 'INSERT INTO "attendance_punch"' in sql)


def test_the_device_last_seen_time_is_written_at_most_once_a_minute(site):
    project, device, entry = site
    day = timezone.localdate() - timedelta(days=1)
    number = entry.person.id_number

    def push(minute):
        item = {
            "recordId": f"m{minute}",
            "idCardNumber": number,
            "time": f"{day} 07:{minute:02d}:00",
            "direction": "01",
        }
        with CaptureQueriesContext(connection) as queries:
            ingest.ingest_punches(ACTOR, project, [item], device=device)
        return [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "attendance_device"')]

    assert len(push(1)) == 1
    device.refresh_from_db()
    first_seen = device.last_seen_at
    assert first_seen is not None
    assert push(2) == []  # within the minute: not written again
    device.last_seen_at = first_seen - timedelta(minutes=2)
    assert len(push(3)) == 1


def test_rows_that_punches_refer_to_cannot_be_deleted_through_the_orm(site):
    # The references carry no database constraint (see Punch); PROTECT is what keeps them sound
    # against a delete in the Django admin or a shell.
    from django.db.models import ProtectedError

    project, device, entry = site
    day = timezone.localdate() - timedelta(days=1)
    ingest.ingest_punches(
        ACTOR,
        project,
        [
            {
                "recordId": "P",
                "idCardNumber": entry.person.id_number,
                "time": f"{day} 07:00:00",
                "direction": "01",
            }
        ],
        device=device,
    )
    punch = Punch.objects.get(record_id="P")
    assert (punch.person_id, punch.roster_entry_id, punch.device_id) == (entry.person_id, entry.pk, device.pk)
    for referent in (device, entry.person, entry, project):
        with pytest.raises(ProtectedError) as refused:
            type(referent).objects.filter(pk=referent.pk).delete()
        # Refused because of the punch itself (a person or project is protected by other rows too).
        assert punch in set(refused.value.protected_objects), referent
    assert Punch.objects.filter(pk=punch.pk).exists()


def test_saving_a_matched_punch_through_the_orm_keeps_its_digest_and_mask(site):
    # Its clear number is not stored (see Punch.id_number); a save must not derive a blank digest
    # from that blank, or the punch would drop out of its fact key and the 异常考勤 matching.
    project, device, entry = site
    day = timezone.localdate() - timedelta(days=1)
    number = entry.person.id_number
    ingest.ingest_punches(
        ACTOR,
        project,
        [{"recordId": "S", "idCardNumber": number, "time": f"{day} 07:00:00", "direction": "01"}],
        device=device,
    )
    punch = Punch.objects.get(record_id="S")
    punch.name_as_sent = "改名"
    punch.save()
    punch.refresh_from_db()
    assert (punch.id_number, punch.id_number_digest, punch.id_number_masked) == (
        "",
        id_digest(number),
        mask_id(number),
    )


def test_other_models_still_clear_the_digest_when_the_number_is_cleared():
    from enterprises.models import Team

    field = Team._meta.get_field("leader_id_number_digest")
    assert not field.keep_when_source_blank
    team = Team(leader_id_number="", leader_id_number_digest="stale")
    assert field.pre_save(team, add=False) == ""


def test_a_lost_connection_while_storing_reaches_the_caller_as_djangos_error_and_keeps_photos(
    site, monkeypatch
):
    # The API answers Django's OperationalError with a JSON 503 the device retries; an untranslated
    # driver error would be a 500. Whether the batch was stored is then unknown, so its photos are
    # kept: the retry either finds the rows (and needs them) or stores the batch again.
    import base64
    import io

    from django.db import OperationalError
    from PIL import Image

    project, device, entry = site
    day = timezone.localdate() - timedelta(days=1)
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 50), "teal").save(jpeg, "JPEG")
    batch = [
        {
            "recordId": f"X{minute}",
            "idCardNumber": entry.person.id_number,
            "time": f"{day} 07:{minute:02d}:00",
            "direction": "01",
            "image": base64.b64encode(jpeg.getvalue()).decode(),
        }
        for minute in range(3)
    ]
    before = media_files()
    if connection.vendor == "postgresql":
        import psycopg

        original_execute = psycopg.Cursor.execute

        def lost(cursor, query, *args, **kwargs):
            if 'INSERT INTO "attendance_punch"' in str(query):
                raise psycopg.OperationalError(
                    "consuming input failed: server closed the connection unexpectedly"
                )
            return original_execute(cursor, query, *args, **kwargs)

        monkeypatch.setattr(psycopg.Cursor, "execute", lost)
    else:

        def lost(*args):
            with connection.wrap_database_errors:
                raise connection.Database.OperationalError("disk I/O error")

        monkeypatch.setattr(punch_store, "_store_in_three_statements", lost)
    with pytest.raises(OperationalError):
        ingest.ingest_punches(ACTOR, project, batch, device=device)
    assert not Punch.objects.filter(record_id__startswith="X").exists()
    assert len(media_files() - before) == 3


# One row, and several (on PostgreSQL: arrays of one value, and columns joined into one text)
@pytest.mark.parametrize("size", [1, 10])
def test_the_batchs_audit_row_counts_what_was_stored_skipped_and_refused(site, size):
    project, _device, entry = site
    device = factories.DeviceFactory(project=project, serial_number="JM-100%-A")  # a % stays itself
    day = timezone.localdate() - timedelta(days=1)

    def item(minute, number=entry.person.id_number, direction="01"):
        return {"idCardNumber": number, "time": f"{day} 06:{minute:02d}:00", "direction": direction}

    ingest.ingest_punches(ACTOR, project, [item(0)], device=device)  # stored before: a duplicate below
    fresh = [item(minute) for minute in range(1, size + 1)]
    batch = [
        *fresh,
        fresh[0],  # a repeat within the batch: a duplicate never sent to the database
        item(0),
        item(59, number="11010519491231002X"),  # nobody on the roster: an anomaly
        item(58, direction="09"),  # an error
    ]
    outcome = ingest.ingest_punches(ACTOR, project, batch, device=device)
    assert outcome.summary == {"created": size, "duplicate": 2, "anomaly": 1, "error": 1}
    row = AuditLog.objects.filter(action="punch.ingest").latest("id")
    assert row.summary == (f"接收考勤 {size + 4} 条：新增 {size}，异常 1，重复 2，错误 1（设备 JM-100%-A）")
    assert (row.project_id, row.object_id, row.actor_label) == (project.pk, str(device.pk), ACTOR.display)
    summary = DailySummary.objects.get(person=entry.person, work_date=day)
    assert summary.punch_count == size + 1
