"""The figures of 项目总览 and of the supervisor dashboard, each computed from real rows (none is faked).

Every figure is an aggregate in SQL, so the number of queries stays the same however many units,
workers or punches a project has. A figure whose table is still empty is simply 0.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import json_script

from attendance.models import DailySummary
from contracts.models import annotate_contract_status
from contracts.status import ContractStatus
from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.codes import PersonCategory, ProjectStatus
from projects.models import Declaration, DeclarationStatus, Project
from workforce.models import RosterEntry

from . import district_map

ID_EXPIRY_WARNING_DAYS = 30
CHART_DAYS = 30
RECENT_MOVES = 10
MARKERS_CACHE_SECONDS = 3600  # the key changes with the projects; this only bounds memory
_URL_PK = 987654321  # stands for a project id in a reversed URL (no other part of the path has it)


def _rate(part: int, whole: int) -> float:
    return round(part * 100.0 / whole, 1) if whole else 0.0


def project_figures(project, today=None) -> dict:
    today = today or timezone.localdate()
    on_site = RosterEntry.objects.filter(project=project, exit_date__isnull=True)
    by_category = dict(on_site.values_list("category").annotate(n=Count("id")).values_list("category", "n"))
    workers_on_site = sum(by_category.values())
    units = ParticipatingUnit.objects.filter(project=project).aggregate(
        total=Count("id"), on_site=Count("id", filter=Q(exit_date__isnull=True))
    )
    teams = Team.objects.filter(project=project).aggregate(
        total=Count("id"), on_site=Count("id", filter=Q(exit_date__isnull=True))
    )
    present_today = DailySummary.objects.filter(project=project, work_date=today, is_present=True).count()
    without_contract = (
        annotate_contract_status(on_site, today=today)
        .filter(contract_status__in=[ContractStatus.NONE.value, ContractStatus.EXPIRED.value])
        .count()
    )
    expiring = (
        on_site.filter(
            person__id_valid_to__gte=today,
            person__id_valid_to__lte=today + timedelta(days=ID_EXPIRY_WARNING_DAYS),
        )
        .select_related("person", "team")
        .order_by("person__id_valid_to", "id")
    )
    expiring_list = list(expiring[:10])
    expiring_count = expiring.count()

    start = today - timedelta(days=CHART_DAYS - 1)
    per_day = dict(
        DailySummary.objects.filter(project=project, work_date__range=(start, today), is_present=True)
        .order_by()  # Meta ordering would join every person only to sort (benchmark: 95 ms at city scale)
        .values_list("work_date")
        .annotate(n=Count("id"))
        .values_list("work_date", "n")
    )
    days = [start + timedelta(days=i) for i in range(CHART_DAYS)]

    moves = [
        {"date": e.entry_date, "kind": "进场", "entry": e}
        for e in RosterEntry.objects.filter(project=project)
        .select_related("person", "team")
        .order_by("-entry_date", "-id")[:RECENT_MOVES]
    ] + [
        {"date": e.exit_date, "kind": "退场", "entry": e}
        for e in RosterEntry.objects.filter(project=project, exit_date__isnull=False)
        .select_related("person", "team")
        .order_by("-exit_date", "-id")[:RECENT_MOVES]
    ]
    moves.sort(key=lambda m: (m["date"], m["kind"] == "退场"), reverse=True)

    return {
        "today": today,
        "units_on_site": units["on_site"],
        "units_total": units["total"],
        "teams_on_site": teams["on_site"],
        "teams_total": teams["total"],
        "workers_on_site": workers_on_site,
        "by_category": [(label, by_category.get(value, 0)) for value, label in PersonCategory.choices],
        "present_today": present_today,
        "attendance_rate": _rate(present_today, workers_on_site),
        "without_contract": without_contract,
        "ids_expiring": expiring_count,
        "ids_expiring_list": expiring_list,
        "chart": {
            "labels": [f"{d:%m-%d}" for d in days],
            "values": [per_day.get(d, 0) for d in days],
        },
        "recent_moves": moves[:RECENT_MOVES],
    }


def _count_subquery(queryset, field: str = "project"):
    """A correlated COUNT per project (no join fan-out between several counts)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_site_counts(projects, today=None):
    """Projects annotated with workers_on_site and present_today (and nothing per row in Python).

    workers_on_site is the count the database keeps per project (ProjectSiteCount, maintained by
    the roster's triggers), so sorting the city's projects by it does not count the city's roster."""
    today = today or timezone.localdate()
    return projects.annotate(
        workers_on_site=Coalesce(F("site_count__on_site_count"), Value(0)),
        present_today=_count_subquery(DailySummary.objects.filter(work_date=today, is_present=True)),
    )


def map_markers(projects) -> tuple[int, str]:
    """The map's markers (one per located project, with its 项目总览 URL) as the page's
    `<script type="application/json" id="map-markers">`, and how many there are.

    Built once per set of visible projects and kept until one of them changes: every save of a
    project moves its `updated_at` (auto_now; nothing updates projects in bulk), and an added or
    removed project changes the count, so the key below changes with anything a marker shows.
    At ten times the city, building and encoding 2,000 markers per request was most of the
    dashboard's growth (bench/README.md "Province scale"); the key costs one aggregate.
    """
    located = projects.filter(lat__isnull=False, lng__isnull=False).order_by()
    state = located.aggregate(n=Count("id"), changed=Max("updated_at"))
    scope = hashlib.sha256(str(located.query).encode()).hexdigest()[:32]
    key = f"dashboard-markers:{scope}:{state['n']}:{state['changed'] and state['changed'].isoformat()}"
    cached = cache.get(key)
    if cached is None:
        # One reverse(), not one per project.
        url = reverse("projects:overview", args=[_URL_PK]).replace(str(_URL_PK), "{}")
        markers = [
            {
                "id": pk,
                "name": name,
                "code": code,
                "lat": float(lat),
                "lng": float(lng),
                "url": url.format(pk),
            }
            for pk, name, code, lat, lng in located.values_list("pk", "name", "code", "lat", "lng")
        ]
        cached = (len(markers), json_script(markers, "map-markers"))
        cache.set(key, cached, MARKERS_CACHE_SECONDS)
    return cached


def dashboard_figures(user, today=None, district: str | None = None) -> dict:
    """The dashboard's figures over the user's scope, or over one of his 区县 (`district`, already
    checked against his scope by the caller); the districts' own rows always cover his whole scope,
    so the map keeps showing the city while the page is narrowed."""
    today = today or timezone.localdate()
    scope = Project.objects.visible_to(user)
    projects = scope.filter(district=district) if district else scope
    status_counts = dict(projects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    rows = district_map.district_rows(scope, district_map.district_choices(user), today)
    shown = [row for row in rows if row.code == district] if district else rows
    # From the kept per-project counts (ProjectSiteCount): one row per project, not per stay.
    on_site = sum(row.on_site for row in shown)
    present = sum(row.present for row in shown)
    marker_count, markers_script = map_markers(projects)
    declarations = Declaration.objects.visible_to(user).filter(status=DeclarationStatus.PENDING)
    if district:
        declarations = declarations.filter(district=district)
    return {
        "today": today,
        "pending_declarations": declarations.count(),
        "project_count": sum(status_counts.values()),
        "by_status": [(label, status_counts.get(value, 0)) for value, label in ProjectStatus.choices],
        "under_construction": status_counts.get(ProjectStatus.UNDER_CONSTRUCTION, 0),
        "by_district": [(row.name, row.projects) for row in rows],
        "districts": rows,
        "on_site": on_site,
        "present_today": present,
        "attendance_rate": _rate(present, on_site),
        "pending_alerts": sum(row.alerts for row in shown),
        "marker_count": marker_count,
        "markers_script": markers_script,
        "worst_alerts": district_map.worst_alerts(projects),
    }
