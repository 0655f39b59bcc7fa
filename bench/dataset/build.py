"""The build: the stages in order, then the summaries, the sequences, the accounts and the marker."""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Callable

from django.db import connection as default_connection

from .labour_contracts import build_contracts
from .marker import write_meta
from .organisations import build_organisations
from .people import build_people
from .plan import FULL, MARKER_KEY, Build, BuildResult, Scale, punch_month
from .punches import build_punches
from .summaries import build_summaries
from .writer import BulkWriter


def build(
    scale: Scale = FULL,
    *,
    today: datetime.date | None = None,
    log: Callable[[str], None] = print,
    connection=default_connection,
) -> BuildResult:
    """Build the dataset into the (migrated) database; the caller decides whether one exists already."""
    from attendance.models import DailySummary, Device, Punch
    from contracts.models import Contract
    from enterprises.models import Enterprise, ParticipatingUnit, Team, UnitStay
    from jmzhgd.accounts.models import Role, User
    from jmzhgd.core.models import ManagementPost, WorkType
    from projects.models import Project
    from workforce.models import Person, RosterEntry

    if scale.on_site > scale.persons or scale.big_project_on_site > scale.on_site:
        raise ValueError("inconsistent scale")
    writer = BulkWriter(connection)
    b = Build(scale, writer, punch_month(today, scale.days), log)
    started = time.monotonic()

    b.work_type_ids = list(WorkType.objects.order_by("pk").values_list("pk", flat=True)) or [None]
    b.post_ids = list(ManagementPost.objects.order_by("pk").values_list("pk", flat=True)) or [None]

    build_organisations(b)
    build_people(b)
    build_punches(b)
    build_contracts(b)
    projects, on_site_entries = b.projects, b.on_site_entries

    build_summaries(b)
    if connection.vendor == "postgresql":
        b.step("vacuum and analyze (tables)", lambda: _analyze(connection))
    writer.reset_sequences(
        [
            Enterprise,
            Project,
            ParticipatingUnit,
            UnitStay,
            Team,
            Person,
            RosterEntry,
            Device,
            Punch,
            Contract,
            DailySummary,
        ]
    )

    # The accounts the scenarios use: a city-wide supervisor and the big project's own account.
    supervisor, _ = User.objects.update_or_create(
        username="bench_jgf",
        defaults={
            "role": Role.SUPERVISOR,
            "real_name": "基准测试监管员",
            "districts": [],
            "must_change_password": False,
            "is_active": True,
        },
    )
    project_user, _ = User.objects.update_or_create(
        username=f"xm{projects[0]['code']}",
        defaults={
            "role": Role.PROJECT,
            "real_name": projects[0]["name"],
            "project_id": b.big_project_id,
            "must_change_password": False,
            "is_active": True,
        },
    )
    for user in (supervisor, project_user):
        user.set_unusable_password()
        user.save(update_fields=["password"])

    counts = {
        "projects": len(projects),
        "enterprises": len(b.enterprises),
        "units": len(b.units),
        "teams": len(b.teams),
        "persons": len(b.persons),
        "roster_entries": len(b.roster),
        "on_site": len(on_site_entries),
        "big_project_on_site": b.on_site_sizes[0],
        "devices": len(b.devices),
        "punches": len(on_site_entries) * len(b.days) * 2,
        "contracts": len(b.contracts),
    }
    result = BuildResult(
        scale=scale,
        month_start=b.month_start,
        big_project_id=b.big_project_id,
        supervisor_username=supervisor.username,
        project_username=project_user.username,
        seconds=round(time.monotonic() - started, 1),
        counts=counts,
        steps=b.steps,
    )
    write_meta(MARKER_KEY, json.dumps(result.as_dict(), ensure_ascii=False), connection)
    return result


def _analyze(connection) -> int:
    """The planner's statistics and the visibility map of the freshly loaded tables: what autovacuum
    gives a production table soon after its rows arrive (index-only scans need the visibility map),
    but not before the scenarios start. Inside a transaction (the tests) VACUUM cannot run: ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        cursor.execute("SELECT count(*) FROM pg_stat_user_tables")
        return cursor.fetchone()[0]
