"""人员证书 pages under the project the person is seen from. Thin: access, parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from jmzhgd.core.access import project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import serve_private_file
from jmzhgd.core.pii import id_digest
from workforce.models import Person
from workforce.views import person_in_project

from .certificate_services import REFUSED, may_add, may_manage, save_certificate
from .forms import CertificateForm
from .models import PersonalCertification


def _certificate(request, project, certificate_id) -> PersonalCertification:
    """A certificate of a person this project has (had) on its roster; only those who may manage it
    see it (another project knows only that a valid certificate of a type exists): 404 otherwise."""
    certificate = get_object_or_404(PersonalCertification.objects.select_related("person"), pk=certificate_id)
    person_in_project(project, certificate.person_id)
    if not may_manage(request.user, project, certificate.person):
        raise Http404
    return certificate


def _form_page(request, project, person, certificate, *, done=None):
    allowed = may_add if certificate is None else may_manage
    if not allowed(request.user, project, person):
        raise PermissionDenied(REFUSED)
    if request.method == "POST":
        form = CertificateForm(
            request.POST, request.FILES, instance=certificate or PersonalCertification(person=person)
        )
        if form.is_valid():
            try:
                save_certificate(
                    Actor.from_request(request),
                    person,
                    form.values(),
                    project=project,
                    scan=form.cleaned_data.get("scan_file"),
                    certificate=certificate,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"{person.name} 的证书信息已保存。")
                if done:
                    return redirect(done)
                return redirect("workforce:person_detail", project_id=project.pk, person_id=person.pk)
    else:
        form = CertificateForm(instance=certificate)
    return render(
        request,
        "training/certificate_form.html",
        {"project": project, "person": person, "form": form, "certificate": certificate, "by_id": bool(done)},
    )


@login_required
def certificate_create(request, project_id, person_id):
    project = project_for(request, project_id)
    return _form_page(request, project, person_in_project(project, person_id), None)


@login_required
def certificate_edit(request, project_id, certificate_id):
    project = project_for(request, project_id)
    certificate = _certificate(request, project, certificate_id)
    return _form_page(request, project, certificate.person, certificate)


@login_required
def certificate_scan(request, project_id, certificate_id):
    project = project_for(request, project_id)
    certificate = _certificate(request, project, certificate_id)
    return serve_private_file(certificate.scan, download_name=certificate.scan_name or None)


@login_required
def certificate_add(request, project_id):
    """【录入证书】 by ID number, before the entry: a special trade enters only with a valid certificate,
    so the clerk records it for a person of the 人员库 whom no site has on its roster now (or whom this
    project has on site). Nothing of the person is shown beyond his name."""
    project = project_for(request, project_id, write=True)
    number = (request.POST.get("id_number") or request.GET.get("id_number") or "").strip()
    person = None
    if number:
        person = Person.objects.filter(id_number_digest=id_digest(number)).first()
        if person is None or not may_add(request.user, project, person):
            messages.error(
                request, "人员库中未找到该证件号码，或此人目前在其他项目在场（证书由其在场项目维护）。"
            )
            person = None
    if person is None:
        return render(request, "training/certificate_lookup.html", {"project": project, "id_number": number})
    done = f"{reverse('training:certificate_add', kwargs={'project_id': project.pk})}"
    return _form_page(request, project, person, None, done=done)
