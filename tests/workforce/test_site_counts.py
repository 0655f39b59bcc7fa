"""The per-project on-site count (ProjectSiteCount) is kept by the database on every path that
writes the roster, and `recount_on_site` rebuilds it from the rows."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import PersonCategory
from jmzhgd.core.models import WorkType
from projects.models import Project
from tests.factories import PersonFactory, ProjectFactory, RosterEntryFactory, TeamFactory, UnitFactory
from tests.workforce.fixtures.site import PERSONS, build_site, row, workbook_bytes
from workforce import imports
from workforce.models import ProjectSiteCount, RosterEntry
from workforce.services import EntryRequest, enter_persons, exit_roster_entries

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("测试")
EXIT = date(2026, 3, 10)


def stored(project) -> int:
    row = ProjectSiteCount.objects.filter(project=project).first()
    return row.on_site_count if row else 0


def counted(project) -> int:
    return RosterEntry.objects.filter(project=project).on_site().count()


def assert_kept(*projects):
    for project in projects:
        assert stored(project) == counted(project), project


@pytest.fixture
def team(project):
    return TeamFactory(unit=UnitFactory(project=project), entry_date=date(2026, 3, 2))


@pytest.fixture
def other_team(other_project):
    return TeamFactory(unit=UnitFactory(project=other_project))


def test_entry_exit_and_re_entry_move_the_count(project, team):
    person = PersonFactory()
    [entry] = enter_persons(
        ACTOR,
        project,
        [
            EntryRequest(
                person,
                team.unit,
                team,
                PersonCategory.WORKER,
                work_type=WorkType.objects.get(name="钢筋工"),
                entry_date=date(2026, 3, 3),
            )
        ],
    )
    assert stored(project) == 1
    exit_roster_entries(ACTOR, RosterEntry.objects.filter(pk=entry.pk), EXIT)
    assert stored(project) == 0
    # Undoing an exit (exit_date back to NULL) puts the stay back on site.
    RosterEntry.objects.filter(pk=entry.pk).update(exit_date=None)
    assert stored(project) == 1
    exit_roster_entries(ACTOR, RosterEntry.objects.filter(pk=entry.pk), EXIT)
    assert stored(project) == 0
    RosterEntryFactory(team=team, person=person, entry_date=timezone.localdate())  # re-entry: a new stay
    RosterEntryFactory(team=team)
    assert stored(project) == 2
    assert_kept(project)


def test_an_exited_stay_written_as_such_does_not_count(project, team):
    RosterEntryFactory(team=team, exit_date=EXIT)
    assert stored(project) == 0
    RosterEntryFactory(team=team)
    assert stored(project) == 1


def test_several_entries_in_one_bulk_statement_and_a_bulk_exit_over_several_projects(
    project, team, other_project, other_team
):
    def stay(t):
        return RosterEntry(
            project=t.project,
            unit=t.unit,
            team=t,
            person=PersonFactory(),
            category=PersonCategory.WORKER,
            entry_date=date(2026, 3, 3),
        )

    RosterEntry.objects.bulk_create([stay(team) for _ in range(5)] + [stay(other_team) for _ in range(3)])
    assert (stored(project), stored(other_project)) == (5, 3)
    # One UPDATE exits two of the first project's stays and all of the second's.
    chosen = list(RosterEntry.objects.filter(project=project).values_list("pk", flat=True)[:2])
    exited = RosterEntry.objects.filter(pk__in=chosen) | RosterEntry.objects.filter(project=other_project)
    assert exited.update(exit_date=EXIT) == 5
    assert (stored(project), stored(other_project)) == (3, 0)
    # An update that changes neither exit_date nor project moves nothing.
    RosterEntry.objects.all().update(is_team_leader=True)
    assert (stored(project), stored(other_project)) == (3, 0)
    assert_kept(project, other_project)


def test_moving_a_stay_to_another_project_moves_its_count(project, team, other_project, other_team):
    on_site = RosterEntryFactory(team=team)
    exited = RosterEntryFactory(team=team, exit_date=EXIT)
    RosterEntry.objects.filter(pk__in=[on_site.pk, exited.pk]).update(
        project=other_project, unit=other_team.unit, team=other_team
    )
    assert (stored(project), stored(other_project)) == (0, 1)
    # Moved back and exited in the same statement: the source gains nothing.
    RosterEntry.objects.filter(pk=on_site.pk).update(project=project, exit_date=EXIT)
    assert (stored(project), stored(other_project)) == (0, 0)
    assert_kept(project, other_project)


def test_deleting_stays_lowers_the_count(project, team):
    entries = [RosterEntryFactory(team=team) for _ in range(3)]
    RosterEntryFactory(team=team, exit_date=EXIT).delete()
    assert stored(project) == 3
    entries[0].delete()
    RosterEntry.objects.filter(pk__in=[e.pk for e in entries[1:]]).delete()
    assert stored(project) == 0
    assert_kept(project)


def test_raw_sql_is_counted_too(project, team):
    entry = RosterEntryFactory(team=team)
    table = RosterEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET exit_date = %s WHERE id = %s", [EXIT, entry.pk])
    assert stored(project) == 0
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET exit_date = NULL WHERE id = %s", [entry.pk])
    assert stored(project) == 1


def test_the_bulk_import_commit_is_counted(project):
    build_site(project)
    batch = imports.create_preview(
        ACTOR,
        project,
        SimpleUploadedFile(
            "进场.xlsx", workbook_bytes([row(name, number) for name, number in list(PERSONS.items())[:4]])
        ),
    )
    batch = imports.commit_batch(ACTOR, batch)
    assert batch.entered_count == 4
    assert stored(project) == 4
    assert_kept(project)


def recount(*args) -> list[str]:
    out = StringIO()
    call_command("recount_on_site", *args, stdout=out)
    return out.getvalue().splitlines()


def test_recount_repairs_a_count_broken_behind_the_triggers_back(project, team, other_project):
    for _ in range(3):
        RosterEntryFactory(team=team)
    with connection.cursor() as cursor:
        # Raw writes of the count itself, which no trigger watches.
        cursor.execute(f"UPDATE {ProjectSiteCount._meta.db_table} SET on_site_count = 7")
        cursor.execute(
            f"INSERT INTO {ProjectSiteCount._meta.db_table} (project_id, on_site_count) VALUES (%s, 2)",
            [other_project.pk],
        )
    assert (stored(project), stored(other_project)) == (7, 2)
    assert recount("--project", str(project.pk)) == [
        f"项目 {project.pk}（{project.name}）：在场人数 7 → 3",
        "已核对 1 个项目的在场人数，修正 1 个。",
    ]
    assert (stored(project), stored(other_project)) == (3, 2)
    lines = recount()
    assert lines[0] == f"项目 {other_project.pk}（{other_project.name}）：在场人数 2 → 0"
    assert lines[-1] == f"已核对 {Project.objects.count()} 个项目的在场人数，修正 1 个。"
    assert recount()[-1].endswith("修正 0 个。")
    assert_kept(project, other_project)


def test_recount_refuses_an_unknown_project():
    with pytest.raises(CommandError, match="项目不存在"):
        recount("--project", "999999")


def test_a_project_with_a_count_row_can_still_be_deleted():
    doomed = ProjectFactory()
    entry = RosterEntryFactory(team=TeamFactory(unit=UnitFactory(project=doomed)))
    entry.delete()
    assert ProjectSiteCount.objects.filter(project=doomed).exists()
    entry.team.delete()
    entry.unit.delete()
    doomed.delete()
    assert not ProjectSiteCount.objects.filter(project_id=doomed.pk).exists()


def test_the_triggers_run_per_statement_on_postgresql():
    """A 5,000-row import updates each project's count once: the triggers are FOR EACH STATEMENT
    (bit 0 of pg_trigger.tgtype clear). SQLite has no statement triggers: there, they must exist."""
    table = RosterEntry._meta.db_table
    names = [f"workforce_site_count_after_{event}" for event in ("delete", "insert", "update")]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgtype & 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
                " ORDER BY tgname",
                [table],
            )
            assert cursor.fetchall() == [(name, 0) for name in names]
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s ORDER BY name",
                [table],
            )
            assert [name for (name,) in cursor.fetchall()] == names
