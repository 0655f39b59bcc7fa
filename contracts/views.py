"""合同管理 pages (docs/requirements.md §9). Thin: check access, parse, call contracts.services, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jmzhgd.core.access import can_write_project, get_in_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import pdf_refusal, serve_private_file
from jmzhgd.core.forms import day_after
from jmzhgd.core.list_views import ProjectListView
from jmzhgd.jobs.export_views import export_view
from workforce.models import RosterEntry

from . import services
from .exports import LEDGER, ledger_filter
from .forms import ContractForm
from .models import Contract, ContractScan, annotate_contract_status
from .status import ContractStatus, contract_status_badge_class, status_for_end_date
from .tables import ContractLedgerTable


class ContractListView(ProjectListView):
    """合同管理: one row per roster entry with its contract status, filters and the ledger export."""

    template_name = "contracts/list.html"
    title = "合同管理"
    table_class = ContractLedgerTable

    def get_filterset(self):
        return ledger_filter(self.request.GET, self.project)

    def get_table(self, filterset):
        return self.table_class(filterset.qs, project=self.project)

    def extra_context(self) -> dict:
        on_site = annotate_contract_status(
            RosterEntry.objects.filter(project=self.project, exit_date__isnull=True)
        )
        counts = dict(on_site.order_by().values_list("contract_status").annotate(n=Count("id")))
        summary = [
            {
                "value": s.value,
                "label": s.label,
                "n": counts.get(s.value, 0),
                "badge": contract_status_badge_class(s),
            }
            for s in ContractStatus
        ]
        return {"summary": summary, "export_query": self.request.GET.urlencode()}


contract_list = ContractListView.as_view()


# 【导出合同台账】: the same filtered rows as the page, as .xlsx; a large one becomes a job (【我的导出】).
contract_export = export_view(
    LEDGER,
    action="contract.export",
    back="contracts:list",
    summary=lambda prepared, request: f"导出合同台账（{prepared.rows} 人）",
)


def _entry_context(project, entry, contract, form, can_write):
    history = []
    if contract is not None:
        history = list(
            Contract.objects.filter(roster_entry=entry)
            .exclude(pk=contract.pk)
            .select_related("unit__enterprise")
            .prefetch_related(Prefetch("scans", queryset=ContractScan.objects.current()))
        )
    other_stays = (
        Contract.objects.filter(project=project, person_id=entry.person_id)
        .exclude(roster_entry=entry)
        .select_related("unit__enterprise", "roster_entry")
    )
    status = status_for_end_date(contract.end_date) if contract is not None else ContractStatus.NONE
    return {
        "project": project,
        "entry": entry,
        "contract": contract,
        "form": form,
        "can_write": can_write,
        "scans": list(contract.scans.current()) if contract is not None else [],
        "history": history,
        "other_stays": list(other_stays),
        "status_label": ContractStatus(status).label,
        "status_badge": contract_status_badge_class(status),
    }


@login_required
def entry_contract(request, project_id, entry_id):
    """The contract page of one roster entry (【合同】 on the roster): 【提交】 saves, 【重置】 reloads."""
    project = project_for(request, project_id, write=request.method == "POST")
    entry = get_in_project(
        RosterEntry.objects.select_related("person", "unit__enterprise", "team", "work_type", "post"),
        project,
        user=request.user,
        pk=entry_id,
    )
    can_write = can_write_project(request.user, project)
    contract = services.current_contract(entry)
    # The form works on its own copy, so a refused submission leaves `contract` (status, history) as saved.
    instance = (
        Contract.objects.get(pk=contract.pk)
        if contract
        else Contract(project=project, roster_entry=entry, person=entry.person)
    )
    initial = {} if contract else {"unit": entry.unit_id, "start_date": entry.entry_date}
    if request.method == "POST":
        form = ContractForm(request.POST, request.FILES, instance=instance, project=project)
        if form.is_valid():
            actor = Actor.from_request(request)
            values, scans = form.contract_values(), form.cleaned_data["scans"]
            try:
                if contract is None:
                    services.sign_contract(actor, entry, values, scans)
                    messages.success(request, f"已为 {entry.person.name} 签订合同。")
                else:
                    services.update_contract(actor, contract, values, scans)
                    messages.success(request, "合同信息已保存。")
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("contracts:entry", project_id=project.pk, entry_id=entry.pk)
    else:
        form = ContractForm(instance=instance, initial=initial, project=project, read_only=not can_write)
    return render(request, "contracts/entry.html", _entry_context(project, entry, contract, form, can_write))


@login_required
def renew(request, project_id, contract_id):
    """【续签】: a new contract following the current one, which stays as history."""
    project = project_for(request, project_id, write=True)
    previous = get_in_project(
        Contract.objects.select_related("roster_entry__person", "roster_entry__unit__enterprise", "unit"),
        project,
        user=request.user,
        pk=contract_id,
    )
    entry = previous.roster_entry
    instance = Contract(project=project, roster_entry=entry, person=entry.person, renewal_of=previous)
    if request.method == "POST":
        form = ContractForm(request.POST, request.FILES, instance=instance, project=project)
        if form.is_valid():
            try:
                services.renew_contract(
                    Actor.from_request(request), previous, form.contract_values(), form.cleaned_data["scans"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已为 {entry.person.name} 续签合同。")
                return redirect("contracts:entry", project_id=project.pk, entry_id=entry.pk)
    else:
        initial = {
            "unit": previous.unit_id,
            "contract_type": previous.contract_type,
            "period_type": previous.period_type,
            # day_after: a contract stored before dates were range-checked may end on 9999-12-31.
            "start_date": day_after(previous.end_date),
            "measure_unit": previous.measure_unit,
            "unit_price": previous.unit_price,
        }
        form = ContractForm(instance=instance, initial=initial, project=project)
    return render(
        request,
        "contracts/renew.html",
        {"project": project, "entry": entry, "previous": previous, "form": form},
    )


def _scan(request, project_id, scan_id):
    project = project_for(request, project_id)
    scan = get_in_project(
        ContractScan.objects.select_related("contract__person"), project, user=request.user, pk=scan_id
    )
    return project, scan


@login_required
def scan_file(request, project_id, scan_id):
    """A scan page, served only after the project check (another project's scan is 404)."""
    _, scan = _scan(request, project_id, scan_id)
    # A PDF that fails the safety check (stored before a rule existed) is only ever downloaded.
    inline = request.GET.get("download") != "1" and not (scan.is_pdf and pdf_refusal(scan.file))
    name = scan.original_name or scan.file.name.rsplit("/", 1)[-1]
    return serve_private_file(scan.file, download_name=name, inline=inline, frame_same_origin=True)


@login_required
def scan_thumbnail(request, project_id, scan_id):
    _, scan = _scan(request, project_id, scan_id)
    return serve_private_file(scan.thumbnail)


@login_required
def scan_viewer(request, project_id, scan_id):
    """Viewer: one page at a time, with the contract's other pages to step through."""
    project, scan = _scan(request, project_id, scan_id)
    pages = list(scan.contract.scans.current().only("id", "page"))
    ids = [p.pk for p in pages]
    index = ids.index(scan.pk) if scan.pk in ids else None
    context = {
        "project": project,
        "scan": scan,
        "contract": scan.contract,
        "pages": pages,
        "previous_id": ids[index - 1] if index else None,
        "next_id": ids[index + 1] if index is not None and index + 1 < len(ids) else None,
        "pdf_refusal": pdf_refusal(scan.file) if scan.is_pdf else None,
    }
    return render(request, "contracts/scan_viewer.html", context)


@login_required
@require_POST
def scan_remove(request, project_id, scan_id):
    """Take a page off the contract (marked removed; the file and the record are kept)."""
    project = project_for(request, project_id, write=True)
    scan = get_in_project(
        ContractScan.objects.select_related("contract"), project, user=request.user, pk=scan_id
    )
    try:
        services.remove_scan(Actor.from_request(request), scan)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"已移除第 {scan.page} 页扫描件。")
    return redirect("contracts:entry", project_id=project.pk, entry_id=scan.contract.roster_entry_id)
