"""花名册 page, its export, and the person page: they read the roster with its 合同 and 考勤 columns,
so they live on the top floor (README "Floors"); exit, batch exit and the images stay in workforce."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from attendance.models import DailySummary
from contracts.models import Contract
from credit.models import CreditRecord
from exchange.models import held_worker_messages
from jmzhgd.core import audit
from jmzhgd.core.access import can_write_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.list_views import ProjectListView
from jmzhgd.jobs.export_views import export_view
from training.certificate_services import person_certificates
from training.history import person_trainings
from workforce.models import RosterEntry
from workforce.services import card_of
from workforce.views import person_in_project

from .roster_exports import ROSTER, roster_filter
from .roster_tables import RosterTable


class RosterListView(ProjectListView):
    """项目人员花名册."""

    template_name = "workforce/roster.html"
    title = "项目人员花名册"

    def get_filterset(self):
        return roster_filter(self.request.GET, self.project)

    def get_table(self, filterset):
        can_write = can_write_project(self.request.user, self.project)
        return RosterTable(filterset.qs, can_write=can_write, order_by="-entry_date")


def _full_ids(request) -> bool:
    """Full ID numbers only on explicit request: everyone who may read the project may reveal them on
    the person page, and this bulk reveal is audited as such."""
    return request.GET.get("full_ids") == "1"


# 导出花名册 (the list's filters apply); a large one becomes a job (【我的导出】).
roster_export = export_view(
    ROSTER,
    action=lambda request: "person.reveal_id" if _full_ids(request) else "roster.export",
    back="workforce:roster",
    summary=lambda prepared, request: (
        f"导出花名册（{prepared.rows} 条{'，含完整证件号码' if _full_ids(request) else ''}）"
    ),
)


@login_required
def person_detail(request, project_id, person_id, *, revealed: str | None = None):
    project = project_for(request, project_id)
    person = person_in_project(project, person_id)

    since = timezone.localdate() - timedelta(days=29)
    context = {
        "project": project,
        "person": person,
        "revealed": revealed,
        "pay_card": card_of(project, person),
        "can_write": can_write_project(request.user, project),
        "history": RosterEntry.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("project", "unit__enterprise", "team", "work_type", "post")
        .order_by("-entry_date", "-id"),
        "contracts": Contract.objects.filter(project=project, person=person)
        .select_related("unit__enterprise")
        .order_by("-start_date", "-id"),
        "attendance": DailySummary.objects.filter(
            project=project, person=person, work_date__gte=since
        ).order_by("-work_date"),
        "since": since,
        "exchange_held": held_worker_messages(project, person),
        "trainings": person_trainings(project, person),
        # His 诚信 records as this project sees them (docs/credit.md §3).
        "credit_records": CreditRecord.objects.for_project(project.pk).filter(person=person),
    }
    context["certificates_full"], context["certificates"] = person_certificates(request.user, project, person)
    return render(request, "workforce/person_detail.html", context)


@login_required
@require_POST
def person_reveal(request, project_id, person_id):
    """【查看完整号码】: for whoever may read the project (its account, supervisors in scope); audited."""
    project = project_for(request, project_id)
    person = person_in_project(project, person_id)
    audit.record(
        Actor.from_request(request),
        "person.reveal_id",
        person,
        project=project,
        summary=f"查看完整证件号码：{person}",
    )
    response = person_detail(request, project_id, person_id, revealed=person.id_number)
    response["Cache-Control"] = "no-store"
    return response
