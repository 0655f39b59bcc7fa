"""诚信 pages of the supervisors (docs/credit.md §3): the list, 录入, a record with its proposal,
end and objections. Thin: access, parse, call credit.services, render. Anyone else: 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jmzhgd.core.access import require_supervisor
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import serve_private_file
from jmzhgd.core.tables import paginate_table

from . import services
from .codes import ObjectionStatus
from .filters import CreditRecordFilter
from .forms import AnswerForm, DecideForm, EndForm, ObjectionForm, RecordForm, SubjectByNumberForm
from .models import CreditRecord, Objection
from .tables import CreditRecordTable


def _records():
    return CreditRecord.objects.select_related("person", "enterprise", "project").annotate(
        pending_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.PENDING))
    )


def _record(request, credit_record_id) -> CreditRecord:
    require_supervisor(request.user)
    return get_object_or_404(_records().visible_to(request.user), pk=credit_record_id)


@login_required
def supervise(request):
    require_supervisor(request.user)
    filterset = CreditRecordFilter(request.GET, queryset=_records().order_by("-start_date", "-id"))
    table = CreditRecordTable(filterset.qs)
    paginate_table(request, table)
    counts = {
        "proposed": CreditRecord.objects.filter(status="proposed").count(),
        "objections": Objection.objects.filter(status=ObjectionStatus.PENDING).count(),
    }
    return render(request, "credit/supervise.html", {"filter": filterset, "table": table, "counts": counts})


@login_required
def create(request):
    require_supervisor(request.user)
    subject = SubjectByNumberForm(request.POST or None, prefix="s")
    form = RecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and subject.is_valid() and form.is_valid():
        try:
            record = services.save_new_record(
                Actor.from_request(request),
                form.values(),
                person=subject.cleaned_data["person"],
                enterprise=subject.cleaned_data["enterprise"],
                evidence=form.cleaned_data.get("evidence_file"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已录入{record.get_kind_display()}：{record.subject_name}。")
            return redirect("credit:detail", credit_record_id=record.pk)
    return render(request, "credit/form.html", {"subject": subject, "form": form, "project": None})


@login_required
def detail(request, credit_record_id):
    record = _record(request, credit_record_id)
    return render(
        request,
        "credit/detail.html",
        {
            "record": record,
            "objections": record.objections.select_related("filed_by", "answered_by"),
            "pending": record.objections.filter(status=ObjectionStatus.PENDING).first(),
            "supervisor": True,
            "decide_form": DecideForm(),
            "end_form": EndForm(),
            "answer_form": AnswerForm(),
            "objection_form": ObjectionForm(),
        },
    )


def _run(request, record, call, done: str):
    try:
        call()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("credit:detail", credit_record_id=record.pk)


@login_required
@require_POST
def decide(request, credit_record_id):
    record = _record(request, credit_record_id)
    form = DecideForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    confirm = request.POST.get("decision") == "confirm"
    return _run(
        request,
        record,
        lambda: services.decide_proposal(Actor.from_request(request), record, confirm=confirm, note=note),
        "已确认，记录生效。" if confirm else "已不采纳该提议。",
    )


@login_required
@require_POST
def end(request, credit_record_id):
    record = _record(request, credit_record_id)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写移出/终止日期和原因。")
        return redirect("credit:detail", credit_record_id=record.pk)
    data = form.cleaned_data
    return _run(
        request,
        record,
        lambda: services.end_record(
            Actor.from_request(request), record, day=data["day"], reason=data["reason"]
        ),
        "记录已移出/终止。",
    )


@login_required
@require_POST
def answer(request, credit_record_id):
    record = _record(request, credit_record_id)
    pending = record.objections.filter(status=ObjectionStatus.PENDING).first()
    form = AnswerForm(request.POST)
    if pending is None or not form.is_valid():
        messages.error(request, "没有待答复的申诉，或未填写处理结果和答复。")
        return redirect("credit:detail", credit_record_id=record.pk)
    data = form.cleaned_data
    return _run(
        request,
        record,
        lambda: services.answer_objection(
            Actor.from_request(request), pending, upheld=data["upheld"], answer=data["answer"]
        ),
        "已答复申诉。",
    )


@login_required
@require_POST
def object_for(request, credit_record_id):
    """An objection the worker or enterprise brought to the bureau in writing, recorded for it."""
    record = _record(request, credit_record_id)
    form = ObjectionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _run(
        request,
        record,
        lambda: services.file_objection(
            Actor.from_request(request), record, reason, via=services.VIA_SUPERVISOR
        ),
        "已登记申诉。",
    )


@login_required
def evidence(request, credit_record_id):
    record = _record(request, credit_record_id)
    return serve_private_file(record.evidence, download_name=record.evidence_name or None)
