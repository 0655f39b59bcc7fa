"""The benchmark's dataset builder at a tiny scale: what it writes is valid, complete and readable.

Timings are not asserted here (docs/architecture.md §5: timing targets live in `make bench`); these tests keep the
builder's code exercised on both engines so `make bench` does not rot between runs.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Count, F, Max

from attendance.models import DailySummary, Device, Punch
from attendance.summaries import SUMMARY_FIELDS, rebuild_daily_summaries
from bench import dataset
from contracts.models import Contract
from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.codes import CorpType, Direction, TeamType
from jmzhgd.core.pii import id_digest, mask_id
from jmzhgd.core.validators import validate_id_number
from projects.models import Project
from workforce.models import Person, ProjectSiteCount, RosterEntry

pytestmark = pytest.mark.django_db

SCALE = dataset.TINY


@pytest.fixture
def built(code_tables):
    return dataset.build(SCALE, log=lambda line: None)


def test_the_builder_writes_the_counts_of_its_scale(built):
    assert Project.objects.count() == SCALE.projects
    assert Person.objects.count() == SCALE.persons
    assert RosterEntry.objects.on_site().count() == SCALE.on_site
    assert RosterEntry.objects.filter(project_id=built.big_project_id).on_site().count() == (
        SCALE.big_project_on_site
    )
    assert Punch.objects.count() == SCALE.on_site * SCALE.days * 2 == built.counts["punches"]
    assert Device.objects.count() == 2 * SCALE.projects
    assert Contract.objects.count() == built.counts["contracts"]
    assert 0 < Contract.objects.count() <= SCALE.on_site


def test_the_roster_loaded_by_copy_leaves_every_projects_on_site_count_right(built):
    # The database keeps the per-project counts (workforce migration 0006), COPY included.
    counted = dict(
        RosterEntry.objects.on_site()
        .values_list("project")
        .annotate(n=Count("id"))
        .values_list("project", "n")
    )
    stored = dict(ProjectSiteCount.objects.values_list("project_id", "on_site_count"))
    assert sum(counted.values()) == SCALE.on_site
    assert {pk: stored.get(pk, 0) for pk in Project.objects.values_list("pk", flat=True)} == {
        pk: counted.get(pk, 0) for pk in Project.objects.values_list("pk", flat=True)
    }


def test_every_id_number_is_valid_and_its_digest_and_mask_match(built):
    for person in Person.objects.all():
        validate_id_number(person.id_number)  # decrypts the Fernet token; raises when invalid
        assert person.id_number_digest == id_digest(person.id_number)
        assert person.id_number_masked == mask_id(person.id_number)


def test_every_person_on_site_punches_in_and_out_on_every_day(built):
    per_day = Counter(
        (row["person_id"], row["work_date"], row["direction"])
        for row in Punch.objects.values("person_id", "work_date", "direction")
    )
    for entry in RosterEntry.objects.on_site():
        for day in range(SCALE.days):
            work_date = built.month_start + datetime.timedelta(days=day)
            assert per_day[(entry.person_id, work_date, Direction.IN)] == 1
            assert per_day[(entry.person_id, work_date, Direction.OUT)] == 1
    punch = Punch.objects.select_related("person", "roster_entry").first()
    # As the platform stores a matched punch: the person's digest and mask, no copy of the number.
    assert punch.id_number == ""
    assert (punch.id_number_digest, punch.id_number_masked) == (
        punch.person.id_number_digest,
        punch.person.id_number_masked,
    )
    assert punch.roster_entry.person_id == punch.person_id
    assert not Punch.objects.filter(is_anomaly=True).exists()


def test_every_project_has_units_with_a_management_team_workers_teams_and_devices(built):
    for project in Project.objects.annotate(n=Count("units")):
        assert project.n == len(dataset.UNIT_PLAN)
        assert ParticipatingUnit.objects.filter(
            project=project, corp_type=CorpType.GENERAL_CONTRACTOR
        ).exists()
        assert Team.objects.filter(project=project, team_type=TeamType.WORKER).exists()
    for unit in ParticipatingUnit.objects.all():
        assert unit.teams.filter(team_type=TeamType.MANAGEMENT).count() == 1
        assert unit.stays.count() == 1
    assert not RosterEntry.objects.exclude(team__unit=F("unit")).exists()


SUMMARY_VALUES = ("project_id", "person_id", "work_date", *SUMMARY_FIELDS)


def test_every_person_day_has_the_summary_the_python_computation_gives(built):
    """The build writes summaries with the attendance app's rebuild (in SQL on PostgreSQL); the
    Python computation of the same person-days must agree row for row."""
    from django.db import connection

    from attendance import summaries

    bulk = set(DailySummary.objects.values_list(*SUMMARY_VALUES))
    assert len(bulk) == SCALE.on_site * SCALE.days
    DailySummary.objects.all().delete()
    for project_id in Project.objects.values_list("pk", flat=True):
        keys = set(Punch.objects.filter(project_id=project_id).values_list("person_id", "work_date"))
        summaries._refresh_in_python(connection, project_id, keys)
    assert set(DailySummary.objects.values_list(*SUMMARY_VALUES)) == bulk
    rebuild_daily_summaries()
    assert set(DailySummary.objects.values_list(*SUMMARY_VALUES)) == bulk


def test_a_finished_build_is_found_again_and_a_different_scale_is_not(built):
    marker = dataset.existing_build(SCALE)
    assert marker["big_project_id"] == built.big_project_id
    assert marker["counts"]["punches"] == built.counts["punches"]
    assert dataset.existing_build(dataset.FULL) is None


def test_a_second_build_beside_existing_data_keeps_ids_and_identities_unique(built):
    second = dataset.build(SCALE, log=lambda line: None)
    assert second.big_project_id != built.big_project_id
    assert Person.objects.count() == 2 * SCALE.persons
    assert Punch.objects.count() == 2 * built.counts["punches"]
    # Rows saved after the bulk writes get fresh ids: the sequences were reset past the written ids.
    highest = Person.objects.aggregate(m=Max("pk"))["m"]
    assert Person.objects.create(name="新人员", id_number="11010519491231002X").pk > highest


HISTORY = dataclasses.replace(SCALE, history_months=2, history_on_site=20)


def test_a_scale_with_history_stores_summaries_of_the_earlier_months_for_people_on_site_then(code_tables):
    """The province scale's year of summaries, at a tiny size: every person on site in the first
    projects (holding history_on_site between them) has one summary per day of the months before the
    punch month, as the attendance app computes it for an in and an out punch, and was on site then."""
    from attendance import summaries

    built = dataset.build(HISTORY, log=lambda line: None)
    history_start = dataset.plan.history_start(built.month_start, HISTORY.history_months)
    assert history_start < built.month_start and history_start.day == 1
    earlier = DailySummary.objects.filter(work_date__lt=built.month_start)
    projects = sorted(set(earlier.values_list("project_id", flat=True)))
    entries = RosterEntry.objects.on_site().filter(project_id__in=projects)
    assert projects[0] == built.big_project_id and entries.count() >= HISTORY.history_on_site
    days = (built.month_start - history_start).days
    assert earlier.count() == entries.count() * days
    assert earlier.filter(work_date__lt=history_start).count() == 0
    assert not entries.filter(entry_date__gte=history_start).exists()
    for row in earlier.order_by("?")[:20]:
        expected = summaries.summary_values(
            row.project_id,
            (row.person_id, row.work_date, row.first_in, row.first_in, row.last_out, row.last_out, 2),
        )
        assert tuple(getattr(row, name) for name in SUMMARY_VALUES) == expected
        came = row.first_in.astimezone(dataset.plan.SHANGHAI).time()
        assert datetime.time(7) <= came <= datetime.time(8, 30) and row.hours > Decimal(8)
    # The punch month itself is summarised from its punches, as at the scale without history.
    assert (
        DailySummary.objects.filter(work_date__gte=built.month_start).count()
        == HISTORY.on_site * HISTORY.days
    )


def _index_definitions(table: str) -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass", [table]
            )
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table])
        return {row[0] for row in cursor.fetchall()}


def test_indexes_built_after_a_load_are_the_ones_the_table_had(code_tables):
    """The builder drops the punch table's indexes and keys for its COPY and builds them again
    afterwards (PostgreSQL): the same definitions come back, and they hold."""
    from django.db import IntegrityError, connection, transaction

    from bench.dataset.writer import BulkWriter

    writer = BulkWriter(connection)
    before = _index_definitions("attendance_punch")
    assert before or connection.vendor == "sqlite"
    with writer.indexes_built_after(Punch):
        if connection.vendor == "postgresql":
            assert _index_definitions("attendance_punch") == set()
    assert _index_definitions("attendance_punch") == before
    built = dataset.build(SCALE, log=lambda line: None)  # its punches are loaded the same way
    assert _index_definitions("attendance_punch") == before
    punch = Punch.objects.filter(project_id=built.big_project_id).first()
    punch.pk, punch.record_id = None, ""
    with pytest.raises(IntegrityError), transaction.atomic():
        punch.save()  # the fact key is enforced again
    if connection.vendor == "postgresql":
        with pytest.raises(ValueError, match="foreign keys"):
            with writer.indexes_built_after(Person):
                pass
