"""工资保证金 pages. Supervisors keep the register (coverage, record, events); a project account reads
its own 总包's deposit on its project page. Thin: check access, parse, call deposits.services, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from jmzhgd.core import audit
from jmzhgd.core.access import project_for, require_supervisor
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import serve_private_file
from jmzhgd.core.list_views import SupervisorListView
from jmzhgd.jobs.views import deliver
from projects.models import Project

from . import services
from .coverage import coverage_queryset
from .exports import COVERAGE, coverage_export
from .filters import CoverageFilter
from .forms import DepositEditForm, EventForm
from .models import Deposit, DepositEvent, DepositStatus
from .tables import CoverageTable


class CoverageView(SupervisorListView):
    """Every 总包 × 区县 of the supervisor's projects with its deposit and what is missing."""

    template_name = "deposits/coverage.html"
    title = "工资保证金"
    filterset_class = CoverageFilter
    table_class = CoverageTable
    export_action = "deposit.export"

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user)

    def get_table(self, filterset):
        return CoverageTable(coverage_queryset(filterset.qs))

    def extra_context(self) -> dict:
        return {"export_query": self.request.GET.urlencode()}

    def export(self, table):
        prepared = coverage_export(None, self.request.GET, self.request.user)
        audit.record(
            Actor.from_request(self.request),
            "deposit.export",
            summary=f"导出工资保证金覆盖情况（{prepared.rows} 行）",
            after={"filters": {k: v for k, v in self.request.GET.items() if v}},
        )
        return deliver(self.request, None, COVERAGE, prepared)


def _deposit(request, deposit_id) -> Deposit:
    require_supervisor(request.user)
    return get_object_or_404(Deposit.objects.visible_to(request.user), pk=deposit_id)


def _form_values(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "document_file"}


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def deposit_create(request):
    require_supervisor(request.user)
    return _edit_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def deposit_edit(request, deposit_id):
    deposit = _deposit(request, deposit_id)
    if deposit.status == DepositStatus.RETURNED:
        messages.error(request, "已返还的保证金不能再修改。")
        return redirect("deposits:detail", deposit_id=deposit.pk)
    return _edit_page(request, deposit)


def _edit_page(request, deposit: Deposit | None):
    districts = request.user.districts if not request.user.is_superuser else None
    if request.method == "POST":
        form = DepositEditForm(request.POST, request.FILES, districts=districts)
        if form.is_valid():
            try:
                saved = services.save_deposit(
                    Actor.from_request(request),
                    deposit,
                    _form_values(form),
                    document=form.cleaned_data.get("document_file"),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, "工资保证金已保存。")
                return redirect("deposits:detail", deposit_id=saved.pk)
    elif deposit is not None:
        initial = {name: getattr(deposit, name) for name in services.DEPOSIT_FIELDS}
        form = DepositEditForm(initial=initial, districts=districts)
    else:
        keys = ("contractor_code", "contractor_name", "district")
        form = DepositEditForm(initial={k: request.GET.get(k, "") for k in keys}, districts=districts)
    return render(request, "deposits/form.html", {"form": form, "deposit": deposit})


@login_required
def deposit_detail(request, deposit_id):
    deposit = _deposit(request, deposit_id)
    return render(request, "deposits/detail.html", _detail_context(deposit))


def _detail_context(deposit: Deposit) -> dict:
    projects = Project.objects.filter(contractor_code=deposit.contractor_code, district=deposit.district)
    return {
        "deposit": deposit,
        "events": deposit.events.select_related("created_by"),
        "projects": projects.order_by("-start_date", "name"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request, deposit_id):
    deposit = _deposit(request, deposit_id)
    if deposit.status == DepositStatus.RETURNED:
        messages.error(request, "该保证金已返还，不能再登记事项。")
        return redirect("deposits:detail", deposit_id=deposit.pk)
    form = EventForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.record_event(
                Actor.from_request(request),
                deposit,
                data["kind"],
                happened_on=data["happened_on"],
                amount=data["amount"],
                reason=data["reason"],
                document=data.get("document_file"),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已登记{event.get_kind_display()}。")
            return redirect("deposits:detail", deposit_id=deposit.pk)
    return render(request, "deposits/event_form.html", {"form": form, "deposit": deposit})


@login_required
def deposit_document(request, deposit_id):
    deposit = _deposit(request, deposit_id)
    return serve_private_file(deposit.document, download_name=deposit.document_name or "存款凭证")


@login_required
def event_document(request, deposit_id, event_id):
    deposit = _deposit(request, deposit_id)
    event = get_object_or_404(DepositEvent.objects.filter(deposit=deposit), pk=event_id)
    return serve_private_file(event.document, download_name=event.document_name or "文书")


@login_required
def project_deposit(request, project_id):
    """The project's 总包's deposit in its 区县, read-only (supervisors and the project's own account)."""
    project = project_for(request, project_id)
    deposit = (
        Deposit.objects.visible_to(request.user)
        .held()
        .filter(contractor_code=project.contractor_code, district=project.district)
        .first()
    )
    events = deposit.events.all() if deposit else []
    return render(
        request, "deposits/project.html", {"project": project, "deposit": deposit, "events": events}
    )
