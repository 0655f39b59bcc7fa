"""工人自助查询 (public, phone-sized), 【我要反映】, and the project's QR poster."""

from __future__ import annotations

import time

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from alerts.services import open_worker_report
from jmzhgd.core.access import project_for
from jmzhgd.core.actor import Actor, client_ip

from . import services
from .forms import LookupForm, ReportForm

SESSION_KEY = "selfservice.verified"
VERIFIED_SECONDS = 15 * 60  # how long a verified lookup may send 【我要反映】


def _actor(request) -> Actor:
    return Actor(ip=client_ip(request), label="工人自助查询")


def lookup(request):
    form = LookupForm(request.POST or None)
    message, status = "", 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.lookup(_actor(request), data["name"], data["id_number"], data["phone_last4"])
        except ValidationError as error:
            message, status = error.messages[0], 429
        else:
            if record is not None:
                request.session.cycle_key()  # a new session id for the verified worker
                request.session[SESSION_KEY] = {
                    "person": record.person.pk,
                    "projects": [pk for pk, _ in record.project_choices],
                    "until": time.time() + VERIFIED_SECONDS,
                }
                report = ReportForm(projects=record.project_choices)
                return render(request, "selfservice/result.html", {"record": record, "report": report})
            message = services.NOT_FOUND
    return render(request, "selfservice/lookup.html", {"form": form, "message": message}, status=status)


def _verified(request):
    from workforce.models import Person

    verified = request.session.get(SESSION_KEY) or {}
    if not verified or verified.get("until", 0) < time.time():
        return None, []
    person = Person.objects.filter(pk=verified["person"]).first()
    if person is None:
        return None, []
    record = services.record_of(person)
    return record, [c for c in record.project_choices if c[0] in verified["projects"]]


@require_POST
def report(request):
    """【我要反映】: becomes an alert (rule 9) that the project's supervisors must handle."""
    from projects.models import Project

    record, projects = _verified(request)
    if record is None:
        form = LookupForm()
        message = "查询已超时，请重新填写信息查询后再反映。"
        return render(request, "selfservice/lookup.html", {"form": form, "message": message}, status=400)
    form = ReportForm(request.POST, projects=projects)
    if form.is_valid():
        try:
            with transaction.atomic():
                open_worker_report(
                    _actor(request),
                    Project.objects.get(pk=form.cleaned_data["project"]),
                    record.person,
                    form.cleaned_data["kind"],
                    form.cleaned_data["text"],
                    form.cleaned_data["month"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "selfservice/report_done.html", {})
    return render(request, "selfservice/result.html", {"record": record, "report": form}, status=400)


@require_POST
def objection(request):
    """申诉 on one of his confirmed 诚信 records (credit.services.file_objection), while verified."""
    from credit.models import CreditRecord
    from credit.services import VIA_WORKER, file_objection

    record, projects = _verified(request)
    if record is None:
        form = LookupForm()
        message = "查询已超时，请重新填写信息查询后再申诉。"
        return render(request, "selfservice/lookup.html", {"form": form, "message": message}, status=400)
    number = request.POST.get("record", "")
    target = CreditRecord.objects.filter(
        pk=int(number) if number.isdigit() and len(number) < 12 else 0,
        person=record.person,
        status__in=["active", "ended"],
    ).first()
    status, objection_message = 400, ""
    if target is None:
        objection_message = "未找到该记录。"
    else:
        try:
            file_objection(_actor(request), target, request.POST.get("reason", ""), via=VIA_WORKER)
        except ValidationError as error:
            objection_message = error.messages[0]
        else:
            status, objection_message = 200, "申诉已提交，监管部门答复后可在此查看。"
            record = services.record_of(record.person)
    report = ReportForm(projects=projects)
    context = {
        "record": record,
        "report": report,
        "objection_message": objection_message,
        "objection_ok": status == 200,
    }
    return render(request, "selfservice/result.html", context, status=status)


@login_required
def poster(request, project_id):
    """A printable poster for the site: the QR code of the self-service page, made here (segno)."""
    project = project_for(request, project_id)
    url = request.build_absolute_uri(reverse("selfservice:lookup"))
    qr_svg = segno.make(url, error="m").svg_inline(scale=8, border=2, title="工人自助查询二维码")
    return render(request, "selfservice/poster.html", {"project": project, "url": url, "qr_svg": qr_svg})
