"""人员证书 pages under the project the person is seen from. Thin: access, parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from jmzhgd.core.access import project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import serve_private_file
from workforce.views import person_in_project

from .certificate_services import REFUSED, may_manage, save_certificate
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


def _form_page(request, project, person, certificate):
    if not may_manage(request.user, project, person):
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
                messages.success(request, "证书信息已保存。")
                return redirect("workforce:person_detail", project_id=project.pk, person_id=person.pk)
    else:
        form = CertificateForm(instance=certificate)
    return render(
        request,
        "training/certificate_form.html",
        {"project": project, "person": person, "form": form, "certificate": certificate},
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
