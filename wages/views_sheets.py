"""工资支付表 pages: the ledger (工资支付台账), 【生成工资表】, a sheet with its rows and its transitions.
Thin: check access, parse, call wages.services / wages.transitions, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jmzhgd.core.access import can_write_project, get_in_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.list_views import ProjectListView
from jmzhgd.core.months import parse_month

from . import checks, services, signing, transitions
from .filters import PayrollFilter
from .forms import ConfirmForm, GenerateForm, PayForm, ReturnForm
from .models import Payroll, PayRule
from .tables import PayrollTable, status_badge


def payroll_in(request, project_id, payroll_id, *, write: bool = False):
    """The project and one of its sheets (another project's sheet is a 404)."""
    project = project_for(request, project_id, write=write)
    payroll = get_in_project(
        Payroll.objects.select_related("unit__enterprise", "team", "project"),
        project,
        request.user,
        pk=payroll_id,
    )
    return project, payroll


class LedgerView(ProjectListView):
    """工资支付台账: every sheet of the project, filtered and paginated; sheets are never deleted."""

    template_name = "wages/ledger.html"
    title = "工资支付台账"
    filterset_class = PayrollFilter
    table_class = PayrollTable

    def get_queryset(self):
        return (
            Payroll.objects.filter(project=self.project)
            .select_related("unit__enterprise", "team")
            .annotate(
                workers=Count("rows"), total=Sum("rows__total_amount"), actual=Sum("rows__actual_amount")
            )
        )

    def filterset_kwargs(self) -> dict:
        return {"project": self.project}


ledger = LedgerView.as_view()


@login_required
def generate(request, project_id):
    """【生成工资表】: a team and a month; the rows come from the month's attendance."""
    project = project_for(request, project_id, write=True)
    form = GenerateForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rate = None
            if data["pay_rule"] != PayRule.MANUAL:
                rate = services.parse_rate(data["rate"])
            payroll = services.generate_payroll(
                Actor.from_request(request),
                data["team"],
                parse_month(data["pay_month"]),
                pay_rule=data["pay_rule"],
                rate=rate,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已生成工资支付表：{payroll.team.name} {payroll.month_label}。")
            return redirect("wages:detail", project_id=project.pk, payroll_id=payroll.pk)
    return render(request, "wages/generate.html", {"project": project, "form": form})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _row_data(post) -> dict[int, dict]:
    """The per-row inputs of the draft sheet (`total_<id>`, `deduct_<id>`, …) grouped by row id."""
    names = {
        "total": "total_amount",
        "deduct": "deductions",
        "actual": "actual_amount",
        "reason": "difference_reason",
        "qty": "piece_quantity",
    }
    data: dict[int, dict] = {}
    for key, value in post.items():
        prefix, _, row_id = key.partition("_")
        if prefix in names and row_id.isdigit():
            data.setdefault(int(row_id), {})[names[prefix]] = value
    return data


@login_required
def detail(request, project_id, payroll_id):
    """The sheet: its rows (days and hours read-only, linked to the attendance), amounts editable while
    a draft (POST saves them), the totals, and the buttons of the transitions its state allows."""
    project, payroll = payroll_in(request, project_id, payroll_id, write=request.method == "POST")
    errors = []
    if request.method == "POST":
        try:
            changed = services.update_rows(Actor.from_request(request), payroll, _row_data(request.POST))
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"已保存（{changed} 行有修改）。")
            return redirect("wages:detail", project_id=project.pk, payroll_id=payroll.pk)
    rows = list(payroll.rows.select_related("person").order_by("id"))
    can_write = can_write_project(request.user, project)
    # The checks run while the sheet can still be submitted or approved; afterwards the sheet shows
    # what the approver answered (check_note, check_findings).
    findings = checks.run_checks(payroll) if payroll.status in ("draft", "submitted") else []
    per_row = checks.by_row(findings)
    states = signing.signature_states(payroll)
    for row in rows:
        row.findings = per_row.get(row.pk, [])
        row.sign_state = states.get(row.pk, "")
    attendance_url = reverse("attendance:month", kwargs={"project_id": project.pk})
    return render(
        request,
        "wages/detail.html",
        {
            "project": project,
            "payroll": payroll,
            "rows": rows,
            "posted": request.POST if errors else None,
            "errors": errors,
            "totals": totals_of(rows),
            "sign": _sign_link(request, payroll)
            if can_write and payroll.status in signing.SIGNABLE
            else None,
            "hard_findings": checks.hard(findings),
            "soft_findings": checks.soft(findings),
            "status_badge": status_badge(payroll),
            "can_write": can_write,
            "editable": can_write and payroll.is_editable,
            "actions": transitions.allowed_actions(payroll) if can_write else [],
            "attendance_url": f"{attendance_url}?month={payroll.month_label}&team={payroll.team_id}",
            "return_form": ReturnForm(),
            "pay_form": PayForm(),
            "confirm_form": ConfirmForm(),
            "pay_rules": [c for c in PayRule.choices if c[0] != PayRule.MANUAL],
        },
    )


def _sign_link(request, payroll) -> dict:
    """The sheet's signing link and its QR code, for the workers to sign their lines on the phone."""
    import segno

    url = request.build_absolute_uri(
        reverse("selfservice:sign", kwargs={"token": signing.sign_token(payroll)})
    )
    return {"url": url, "qr": segno.make(url, error="m").svg_inline(scale=3, title="工资签名二维码")}


def totals_of(rows) -> dict:
    return {
        "workers": len(rows),
        "days": sum(r.days for r in rows),
        "hours": sum((r.work_hours for r in rows), 0),
        "total": sum((r.total_amount for r in rows), 0),
        "deductions": sum((r.deductions for r in rows), 0),
        "actual": sum((r.actual_amount for r in rows), 0),
    }


def _transition(request, project_id, payroll_id, run, done: str):
    project, payroll = payroll_in(request, project_id, payroll_id, write=True)
    try:
        run(Actor.from_request(request), payroll)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("wages:detail", project_id=project.pk, payroll_id=payroll.pk)


@login_required
@require_POST
def apply_rule(request, project_id, payroll_id):
    """Fill 应发 by the team's rule (日薪 × 出勤天数 or 计件单价 × 数量)."""
    rule, rate = request.POST.get("pay_rule", ""), request.POST.get("rate", "")
    return _transition(
        request,
        project_id,
        payroll_id,
        lambda a, p: services.apply_rule(a, p, rule, rate),
        "已按规则计算应发金额。",
    )


@login_required
@require_POST
def submit(request, project_id, payroll_id):
    return _transition(
        request, project_id, payroll_id, transitions.submit, "工资支付表已提交，等待总包审核。"
    )


@login_required
@require_POST
def approve(request, project_id, payroll_id):
    # One 审核说明: the soft checks' answer, and the single account's second confirmation.
    note = request.POST.get("note") or request.POST.get("confirmation", "")
    return _transition(
        request,
        project_id,
        payroll_id,
        lambda a, p: transitions.approve(a, p, note),
        "工资支付表已审核。",
    )


@login_required
@require_POST
def return_payroll(request, project_id, payroll_id):
    reason = request.POST.get("reason", "")
    return _transition(
        request,
        project_id,
        payroll_id,
        lambda a, p: transitions.return_payroll(a, p, reason),
        "工资支付表已退回为草稿。",
    )


@login_required
@require_POST
def pay(request, project_id, payroll_id):
    """发放: the 发放日期 and the bank's 代发凭证 (or the imported bank result)."""
    form = PayForm(request.POST, request.FILES)
    if not form.is_valid():
        project, payroll = payroll_in(request, project_id, payroll_id, write=True)
        messages.error(request, "请填写有效的发放日期（YYYY-MM-DD）。")
        return redirect("wages:detail", project_id=project.pk, payroll_id=payroll.pk)
    data = form.cleaned_data
    return _transition(
        request,
        project_id,
        payroll_id,
        lambda a, p: transitions.mark_paid(a, p, balance_date=data["balance_date"], voucher=data["voucher"]),
        "工资支付表已标记为已发放。",
    )


@login_required
@require_POST
def confirm(request, project_id, payroll_id):
    """确认: the signed sheet's scan, or the rows ticked as signed on the printed sheet."""
    scan = request.FILES.get("signature_scan")
    signed = [int(v) for v in request.POST.getlist("signed") if v.isdigit()]
    electronic = bool(request.POST.get("electronic"))

    def run(actor, payroll):
        if electronic:
            return transitions.confirm(actor, payroll, electronic=True)
        return transitions.confirm(
            actor, payroll, signature_scan=scan, signed_row_ids=None if scan else signed
        )

    return _transition(request, project_id, payroll_id, run, "工人签字已确认。")
