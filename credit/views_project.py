"""诚信 pages of a project (docs/credit.md §3): the records of its workers and units, a proposal for
one of them, an enterprise's objection. Another project's record is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jmzhgd.core.access import can_write_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import serve_private_file
from jmzhgd.core.tables import paginate_table

from . import services
from .codes import ObjectionStatus
from .filters import CreditRecordFilter
from .forms import ObjectionForm, RecordForm, SubjectInProjectForm
from .models import CreditRecord
from .tables import CreditRecordTable


def _records(project):
    return CreditRecord.objects.for_project(project.pk).select_related("person", "enterprise", "project")


def _record(project, credit_record_id) -> CreditRecord:
    return get_object_or_404(_records(project), pk=credit_record_id)


@login_required
def project_list(request, project_id):
    project = project_for(request, project_id)
    filterset = CreditRecordFilter(request.GET, queryset=_records(project).order_by("-start_date", "-id"))
    table = CreditRecordTable(filterset.qs, project=project)
    paginate_table(request, table)
    return render(
        request,
        "credit/project_list.html",
        {
            "project": project,
            "filter": filterset,
            "table": table,
            "can_write": can_write_project(request.user, project),
        },
    )


@login_required
def propose(request, project_id):
    project = project_for(request, project_id, write=True)
    subject = SubjectInProjectForm(request.POST or None, project=project, prefix="s")
    form = RecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and subject.is_valid() and form.is_valid():
        try:
            record = services.save_new_record(
                Actor.from_request(request),
                form.values(),
                person=subject.cleaned_data["person"],
                enterprise=subject.cleaned_data["enterprise"],
                evidence=form.cleaned_data.get("evidence_file"),
                proposing_project=project,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已提交，待监管部门确认后生效。")
            return redirect("credit:project_detail", project_id=project.pk, credit_record_id=record.pk)
    return render(request, "credit/form.html", {"subject": subject, "form": form, "project": project})


def _may_object(user, project, record) -> bool:
    """An enterprise objects through the account of a project it is a unit of; a worker objects
    himself, in 工人自助查询."""
    return bool(
        record.enterprise_id
        and can_write_project(user, project)
        and services.subject_in_project(project, enterprise=record.enterprise)
    )


@login_required
def project_detail(request, project_id, credit_record_id):
    project = project_for(request, project_id)
    record = _record(project, credit_record_id)
    return render(
        request,
        "credit/detail.html",
        {
            "project": project,
            "record": record,
            "objections": record.objections.all(),
            "pending": record.objections.filter(status=ObjectionStatus.PENDING).first(),
            "may_object": _may_object(request.user, project, record),
            "objection_form": ObjectionForm(),
        },
    )


@login_required
@require_POST
def project_object(request, project_id, credit_record_id):
    project = project_for(request, project_id, write=True)
    record = _record(project, credit_record_id)
    form = ObjectionForm(request.POST)
    if not _may_object(request.user, project, record):
        messages.error(request, "人员的申诉由本人在工人自助查询中提交。")
    elif not form.is_valid():
        messages.error(request, "请填写申诉理由（不超过1000字）。")
    else:
        try:
            services.file_objection(
                Actor.from_request(request),
                record,
                form.cleaned_data["reason"],
                via=services.VIA_PROJECT,
                project=project,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "申诉已提交，监管部门答复后可在本页查看。")
    return redirect("credit:project_detail", project_id=project.pk, credit_record_id=record.pk)


@login_required
def project_evidence(request, project_id, credit_record_id):
    project = project_for(request, project_id)
    record = _record(project, credit_record_id)
    return serve_private_file(record.evidence, download_name=record.evidence_name or None)
