"""The pending-alert counts (PendingAlertCount): read by the 预警中心, recomputed by recount_alerts.

The triggers of migration 0003 keep the table; these functions read it within a user's scope and
rebuild it from the alerts when it was damaged (a restore that skipped triggers, a manual edit).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Sum

from projects.models import Project

from .models import Alert, PendingAlertCount


@dataclass
class PendingCounts:
    by_district: dict[str, int]
    by_rule: dict[str, int]
    by_district_rule: dict[tuple[str, str], int]

    @property
    def total(self) -> int:
        return sum(self.by_district.values())

    def of(self, *, rule: str | None = None, district: str | None = None) -> int:
        """Pending alerts of one rule and/or district (both None: all of them)."""
        return sum(
            n
            for (d, r), n in self.by_district_rule.items()
            if (rule is None or r == rule) and (district is None or d == district)
        )


def _visible(user):
    return PendingAlertCount.objects.filter(project__in=Project.objects.visible_to(user)).order_by()


def pending_total(user) -> int:
    """`Alert.objects.visible_to(user).active().count()`, summed from the kept counts."""
    return _visible(user).aggregate(total=Sum("n"))["total"] or 0


def pending_counts(user) -> PendingCounts:
    """The pending alerts `user` may see, per district and rule: one query over a few small rows
    (≤ projects × rules), the same scope as Alert.objects.visible_to(user)."""
    rows = _visible(user).values_list("project__district", "rule").annotate(total=Sum("n"))
    by_district: dict[str, int] = {}
    by_rule: dict[str, int] = {}
    cells: dict[tuple[str, str], int] = {}
    for district, rule, n in rows:
        cells[(district, rule)] = n
        by_district[district] = by_district.get(district, 0) + n
        by_rule[rule] = by_rule.get(rule, 0) + n
    return PendingCounts(by_district, by_rule, cells)


@dataclass
class Recount:
    rows: int
    pending: int
    corrected: int


def recount() -> Recount:
    """Rebuild the counts from the alerts; says how many (project, rule) counts were wrong."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Writers wait while the counts are rebuilt, so none is lost between the count and the write.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Alert._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        truth = {
            (project_id, rule): n
            for project_id, rule, n in Alert.objects.active()
            .order_by()
            .values_list("project_id", "rule")
            .annotate(n=Count("id"))
        }
        kept = {(c.project_id, c.rule): c.n for c in PendingAlertCount.objects.all()}
        wrong = {key for key in truth.keys() | kept.keys() if truth.get(key) != kept.get(key)}
        if wrong:
            PendingAlertCount.objects.all().delete()
            PendingAlertCount.objects.bulk_create(
                [PendingAlertCount(project_id=p, rule=r, n=n) for (p, r), n in truth.items()],
                batch_size=500,
            )
    return Recount(rows=len(truth), pending=sum(truth.values()), corrected=len(wrong))
