"""The punch table's monthly partitions (attendance.partitions, `manage.py punch_partitions`).

On PostgreSQL attendance_punch is partitioned by month on work_date, with a DEFAULT partition; on
SQLite it stays a plain table. Both keep the same idempotency keys, ending with work_date.
"""

from __future__ import annotations

import datetime
import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from attendance import ingest, partitions
from attendance.models import Punch
from jmzhgd.core.actor import Actor
from jmzhgd.core.models import AuditLog
from tests import factories

ACTOR = Actor.system("测试设备厂商")
EARLY = "00:01:00"  # a time of today that has passed whenever the test runs (the ingest refuses the future)
TABLE = "attendance_punch"


@pytest.fixture
def gate(project):
    """A device and a worker on the roster since 2020, so that a punch of any month matches."""
    device = factories.DeviceFactory(project=project, serial_number="JM-PART-01")
    team = factories.TeamFactory(
        unit=factories.UnitFactory(project=project), entry_date=datetime.date(2020, 1, 1)
    )
    entry = factories.RosterEntryFactory(team=team, entry_date=datetime.date(2020, 1, 1))
    return device, entry


def punch(entry, day: datetime.date, record_id: str, clock: str = "07:30:00", direction: str = "01") -> dict:
    return {
        "recordId": record_id,
        "idCardNumber": entry.person.id_number,
        "time": f"{day} {clock}",
        "direction": direction,
    }


def statuses(project, device, items) -> list[str]:
    return [r.status for r in ingest.ingest_punches(ACTOR, project, items, device=device).results]


def where_stored() -> dict[datetime.date, str]:
    """Each stored punch's work date → the partition that holds it (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT work_date, tableoid::regclass::text FROM {TABLE}")
        return dict(cursor.fetchall())


def months_ago(count: int) -> datetime.date:
    """A day `count` months before today's month (the 10th)."""
    return partitions.add_months(partitions.month_of(timezone.localdate()), -count).replace(day=10)


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("punch_partitions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- The keys, on both databases ------------------------------------------------------------


@pytest.mark.django_db
def test_both_keys_end_with_work_date_and_refuse_the_same_duplicates(gate):
    device, entry = gate
    fields = {c.name: c.fields for c in Punch._meta.constraints}
    assert fields == {
        "unique_device_record": ("device_sn", "record_id", "work_date"),
        "unique_punch_fact_by_time": ("project", "punched_at", "id_number_digest", "direction", "work_date"),
    }
    first = factories.PunchFactory(roster_entry=entry, device_sn="SN", record_id="R1")
    same_fact = {"roster_entry": entry, "punched_at": first.punched_at, "direction": first.direction}
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.PunchFactory(**same_fact, record_id="R2")
    with pytest.raises(IntegrityError), transaction.atomic():  # the same record id, the same day
        factories.PunchFactory(
            roster_entry=entry, device_sn="SN", record_id="R1", punched_at=first.punched_at, direction="02"
        )
    factories.PunchFactory(
        roster_entry=entry, device_sn="SN", record_id="", punched_at=first.punched_at, direction="02"
    )
    later = first.punched_at + datetime.timedelta(seconds=1)
    factories.PunchFactory(roster_entry=entry, device_sn="SN", record_id="", punched_at=later)
    assert Punch.objects.count() == 3  # blank record ids are not a key


@pytest.mark.django_db
def test_a_resent_batch_stores_nothing_new_by_either_key(project, gate):
    device, entry = gate
    today, old = timezone.localdate(), months_ago(14)
    batch = [
        punch(entry, today, "R-1", EARLY),
        punch(entry, old, "R-2"),
        punch(entry, old, "R-3", "18:00:00", "02"),
    ]
    assert statuses(project, device, batch) == ["created"] * 3
    assert statuses(project, device, batch) == ["duplicate"] * 3
    # The same facts under new record ids (fact key), the same record ids at other times of the day.
    renamed = [dict(item, recordId=f"X-{n}") for n, item in enumerate(batch)]
    moved = [dict(item, time=item["time"][:-2] + "30") for item in batch[:2]]
    assert statuses(project, device, renamed + moved) == ["duplicate"] * 5
    assert Punch.objects.count() == 3


@pytest.mark.django_db
def test_a_devices_record_id_reused_on_another_day_is_another_punch(project, gate):
    # A device whose record counter restarted: the id is unique within a day (unique_device_record).
    device, entry = gate
    today = timezone.localdate()
    items = [punch(entry, today - datetime.timedelta(days=1), "1"), punch(entry, today, "1", EARLY)]
    assert statuses(project, device, items) == ["created", "created"]
    assert statuses(project, device, [punch(entry, today, "1", "00:00:30")]) == ["duplicate"]


@pytest.mark.django_db
def test_the_database_holds_the_constraint_and_index_names_the_model_state_uses():
    # Later migrations alter or drop them by these names (the partitioning rebuilt them on PostgreSQL).
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TABLE)
    expected = {c.name for c in Punch._meta.constraints} | {i.name for i in Punch._meta.indexes}
    assert expected <= set(found)
    primary = next(c["columns"] for c in found.values() if c["primary_key"])
    assert found["unique_device_record"]["columns"] == ["device_sn", "record_id", "work_date"]
    if connection.vendor != "postgresql":
        assert primary == ["id"] and not partitions.is_partitioned(connection)
        return
    assert primary == ["id", "work_date"] and partitions.is_partitioned(connection)
    # A later migration's operations by name work on the partitioned table (rolled back here).
    index = next(i for i in Punch._meta.indexes if i.name == "punch_anomalies")
    constraint = next(c for c in Punch._meta.constraints if c.name == "unique_device_record")
    with pytest.raises(RuntimeError), transaction.atomic():
        with connection.schema_editor() as editor:
            editor.remove_index(Punch, index)
            editor.add_index(Punch, index)
            editor.remove_constraint(Punch, constraint)
            editor.add_constraint(Punch, constraint)
        raise RuntimeError("roll back")


# --- The partitions (PostgreSQL) ------------------------------------------------------------


@pytest.mark.django_db
def test_punches_land_in_their_months_partition_and_a_month_without_one_in_the_default(
    project, gate, project_client
):
    device, entry = gate
    today, old = timezone.localdate(), months_ago(30)
    batch = [punch(entry, today, "R-1", EARLY), punch(entry, old, "R-2")]
    assert statuses(project, device, batch) == ["created", "created"]
    if connection.vendor != "postgresql":
        assert set(Punch.objects.values_list("work_date", flat=True)) == {today, old}
        assert run("create")[0].strip() == "当前数据库为 SQLite，考勤记录为普通表，无需分区。"
        assert run("status")[0].strip() == "当前数据库为 SQLite，考勤记录为普通表，无需分区。"
        return
    assert where_stored() == {today: f"{TABLE}_p{today:%Y%m}", old: f"{TABLE}_default"}
    # Stored, and found by the project's pages like any other punch.
    details = reverse("attendance:details", kwargs={"project_id": project.pk})
    rows = project_client.get(details, {"date_from": old, "date_to": old}).context["rows"]
    assert len(rows) == 1
    with pytest.raises(CommandError, match="1 项警告"):
        run("status")

    out, _err = run("create")
    assert f"已创建 {old:%Y-%m} 的分区，并从默认分区移入 1 条记录。" in out
    assert where_stored() == {today: f"{TABLE}_p{today:%Y%m}", old: f"{TABLE}_p{old:%Y%m}"}
    assert statuses(project, device, batch) == ["duplicate", "duplicate"]  # the keys span the partitions
    assert len(project_client.get(details, {"date_from": old, "date_to": old}).context["rows"]) == 1
    out, _err = run("status")
    assert f"{TABLE}_p{old:%Y%m}" in out and "考勤分区正常。" in out
    assert run("create")[0].strip() == "月份分区已齐全（至本月之后 3 个月），无需创建。"  # idempotent


@pytest.mark.django_db
def test_status_warns_when_fewer_than_two_months_ahead_are_ready():
    if connection.vendor != "postgresql":
        assert run("status")[0].strip() == "当前数据库为 SQLite，考勤记录为普通表，无需分区。"
        return
    # The migration made partitions through 3 months after this one: 2 months on, one is missing.
    current = partitions.month_of(timezone.localdate())
    status = partitions.partition_status(today=partitions.add_months(current, 2))
    missing = partitions.add_months(current, 4)
    assert status.warnings == [
        f"本月及之后 2 个月的分区不全（缺少 {missing:%Y-%m}），请运行 manage.py punch_partitions create。"
    ]
    assert not partitions.partition_status().warnings


@pytest.mark.django_db
def test_detach_refuses_a_month_inside_the_retention_period(settings):
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="SQLite"):
            run("detach", "--month", "2020-01")
        return
    recent = months_ago(36)  # not yet 36 whole months old
    with pytest.raises(CommandError, match=f"{recent:%Y-%m} 的考勤记录未满保留期限（36 个月"):
        run("detach", "--month", f"{recent:%Y-%m}")
    settings.PUNCH_RETENTION_MONTHS = 48
    with pytest.raises(CommandError, match="未满保留期限（48 个月"):
        run("detach", "--month", f"{months_ago(40):%Y-%m}")
    assert not AuditLog.objects.filter(action="punch.partition_detach").exists()


@pytest.mark.django_db
def test_detach_takes_an_old_month_out_of_the_punches_keeps_every_row_and_is_audited(project, gate):
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="SQLite"):
            run("detach", "--month", f"{months_ago(40):%Y-%m}")
        return
    device, entry = gate
    old, kept = months_ago(37), months_ago(35)
    assert (
        statuses(
            project,
            device,
            [punch(entry, old, "A"), punch(entry, old, "B", "18:00:00", "02"), punch(entry, kept, "C")],
        )
        == ["created"] * 3
    )
    run("create")
    name = f"{TABLE}_p{old:%Y%m}"
    out, _err = run("detach", "--month", f"{old:%Y-%m}")
    assert f"2 条考勤记录已不在考勤记录表中，全部保留在独立表 {name} 中" in out
    assert f"pg_dump -Fc -t {name}" in out and f"pg_restore --list {name}.dump" in out
    assert f"DROP TABLE {name};" in out
    assert list(Punch.objects.values_list("record_id", flat=True)) == ["C"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT record_id FROM {name} ORDER BY record_id")
        assert cursor.fetchall() == [("A",), ("B",)]
    audit = AuditLog.objects.get(action="punch.partition_detach")
    assert name in audit.summary and "2 条记录" in audit.summary and audit.actor_label == "考勤分区归档"
    # Run again (e.g. to archive after all): nothing more happens to the table, nothing is audited twice.
    assert "此前已分离" in run("detach", "--month", f"{old:%Y-%m}")[0]
    assert AuditLog.objects.filter(action="punch.partition_detach").count() == 1
    # The month's partition name is taken: create leaves a late punch of it in the DEFAULT partition.
    assert statuses(project, device, [punch(entry, old, "D", "12:00:00")]) == ["created"]
    _out, err = run("create")
    assert f"跳过 {old:%Y-%m}" in err
    assert where_stored()[old] == f"{TABLE}_default"


@pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed
def test_detach_with_an_archive_dir_dumps_and_verifies_the_month_but_drops_nothing(project, gate, tmp_path):
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="SQLite"):
            run("detach", "--month", f"{months_ago(40):%Y-%m}")
        return
    device, entry = gate
    old = months_ago(40)
    before = {p.name for p in partitions.list_partitions()}
    name = f"{TABLE}_p{old:%Y%m}"
    try:
        assert statuses(project, device, [punch(entry, old, "A")]) == ["created"]
        run("create")
        out, _err = run("detach", "--month", f"{old:%Y-%m}", "--archive-dir", str(tmp_path / "archive"))
        archive = tmp_path / "archive" / f"{name}.dump"
        assert f"已用 pg_dump 归档到 {archive}，并用 pg_restore --list 校验通过。" in out
        listed = subprocess.run(
            ["pg_restore", "--list", str(archive)], capture_output=True, text=True, check=True
        )
        assert f"TABLE DATA public {name} " in listed.stdout
        assert archive.stat().st_mode & 0o077 == 0
        assert not Punch.objects.filter(work_date=old).exists()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {name}")  # still there: the operator drops it
            assert cursor.fetchone()[0] == 1
        assert AuditLog.objects.filter(
            action="punch.partition_archive", summary__contains=str(archive)
        ).exists()
        with pytest.raises(CommandError, match="已存在，不会覆盖"):
            run("detach", "--month", f"{old:%Y-%m}", "--archive-dir", str(tmp_path / "archive"))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            for partition in partitions.list_partitions():
                if partition.name not in before:
                    cursor.execute(f"DROP TABLE {partition.name}")


# --- The migration, both ways ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_partitioning_migration_reverses_to_the_plain_table_and_back_with_every_row(gate):
    from django.db.migrations.executor import MigrationExecutor

    _device, entry = gate
    plain = [("attendance", "0011_punch_keys_end_with_work_date")]
    days = [timezone.localdate(), months_ago(1), months_ago(2)]
    for n, day in enumerate(days):
        for hour in (7, 18):
            factories.PunchFactory(
                roster_entry=entry,
                punched_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))),
                direction="01" if hour == 7 else "02",
                device_sn="SN",
                record_id=f"{n}-{hour}",
            )
    columns = "id, work_date, punched_at, id_number_digest, record_id, direction"

    def rows():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {TABLE} ORDER BY id")
            return cursor.fetchall()

    stored = rows()
    try:
        MigrationExecutor(connection).migrate(plain)
        assert rows() == stored
        assert not partitions.is_partitioned(connection)
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, TABLE)
        assert next(c["columns"] for c in found.values() if c["primary_key"]) == ["id"]
        assert {"unique_device_record", "unique_punch_fact_by_time", "punch_anomalies"} <= set(found)
        if connection.vendor == "postgresql":
            assert "attendance_punch_default" not in connection.introspection.table_names()
        later = factories.PunchFactory(roster_entry=entry, device_sn="SN", record_id="later")
        assert later.pk > stored[-1][0]  # the id sequence went on
        stored = rows()

        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        assert rows() == stored
        assert factories.PunchFactory(roster_entry=entry, record_id="after").pk > later.pk
        if connection.vendor != "postgresql":
            assert not partitions.is_partitioned(connection)
            return
        assert partitions.is_partitioned(connection)
        assert where_stored() == {day: f"{TABLE}_p{day:%Y%m}" for day in days}
        names = {p.name for p in partitions.list_partitions()}
        ahead = [partitions.add_months(partitions.month_of(days[0]), n) for n in range(4)]
        assert {f"{TABLE}_p{m:%Y%m}" for m in [*ahead, *map(partitions.month_of, days)]} | {
            f"{TABLE}_default"
        } == names
        with pytest.raises(IntegrityError), transaction.atomic():  # the keys came back with the table
            factories.PunchFactory(
                roster_entry=entry, device_sn="SN", record_id="0-7", punched_at=timezone.now()
            )
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_a_whole_past_range_attached_as_one_partition_counts_as_covered(project, gate):
    # The low-downtime path of docs/deploy.md: the old table attached for everything before this month.
    if connection.vendor != "postgresql":
        assert not partitions.is_partitioned(connection)  # a plain table, nothing to attach
        return
    device, entry = gate
    current = partitions.month_of(timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE punch_before (LIKE {TABLE} INCLUDING DEFAULTS)")
        cursor.execute(f"ALTER TABLE punch_before ADD CHECK (work_date < '{current}')")
        cursor.execute(
            f"ALTER TABLE {TABLE} ATTACH PARTITION punch_before FOR VALUES FROM (MINVALUE) TO ('{current}')"
        )
    old = months_ago(50)
    assert statuses(project, device, [punch(entry, old, "A")]) == ["created"]
    assert where_stored() == {old: "punch_before"}
    assert run("create")[0].strip() == "月份分区已齐全（至本月之后 3 个月），无需创建。"
    out, _err = run("status")
    assert f"punch_before                 最早 至 {current}" in out and "考勤分区正常。" in out
