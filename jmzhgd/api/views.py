"""接口凭证 pages: a supervisor's (every project in scope) and a project's (its own).

Supervisors manage credentials here although they only read project pages elsewhere: issuing
credentials to vendors is a supervisor task (docs/requirements.md §1, §10).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jmzhgd.core.access import project_for, require_supervisor
from jmzhgd.core.actor import Actor
from jmzhgd.core.list_views import ProjectListView, SupervisorListView
from projects.models import Project

from . import services
from .filters import CredentialFilter
from .forms import CredentialForm
from .models import ApiCredential
from .tables import CredentialTable


class CredentialListView(SupervisorListView):
    """接口凭证 of the supervisor's scope; ProjectCredentialListView shows one project's."""

    template_name = "api/credential_list.html"
    title = "接口凭证"
    filterset_class = CredentialFilter
    table_class = CredentialTable

    def get_queryset(self):
        credentials = ApiCredential.objects.visible_to(self.request.user)
        return credentials.select_related("created_by").prefetch_related("projects")

    def get_table(self, filterset):
        visible = frozenset(Project.objects.visible_to(self.request.user).values_list("pk", flat=True))
        return self.table_class(filterset.qs, visible_project_ids=visible)

    def extra_context(self) -> dict:
        return {"project": None}


class ProjectCredentialListView(ProjectListView):
    template_name = CredentialListView.template_name
    title = CredentialListView.title
    filterset_class = CredentialFilter
    table_class = CredentialTable
    get_table = CredentialListView.get_table

    def get_queryset(self):
        return CredentialListView.get_queryset(self).filter(projects=self.project)


def _create_page(request, form, project):
    if request.method == "POST" and form.is_valid():
        projects = [project] if project is not None else form.cleaned_data["projects"]
        try:
            credential, secret = services.create_credential(
                Actor.from_request(request),
                name=form.cleaned_data["name"],
                projects=projects,
                form_token=form.cleaned_data["form_token"],
            )
        except ValidationError as exc:
            for field_name, errors in exc.message_dict.items():
                form.add_error(field_name if field_name in form.fields else None, errors)
        else:
            # The secret is rendered once, in this answer, and is never stored in clear.
            return render(
                request,
                "api/credential_created.html",
                {"credential": credential, "secret": secret, "project": project},
            )
    return render(request, "api/credential_form.html", {"form": form, "project": project})


credential_list = CredentialListView.as_view()


@login_required
def credential_create(request):
    require_supervisor(request.user)
    form = CredentialForm(request.POST or None, user=request.user)
    return _create_page(request, form, None)


@login_required
@require_POST
def credential_revoke(request, credential_id):
    require_supervisor(request.user)
    credential = get_object_or_404(ApiCredential.objects.visible_to(request.user), pk=credential_id)
    _revoke(request, credential)
    return redirect("api_credentials:list")


project_credential_list = ProjectCredentialListView.as_view()


@login_required
def project_credential_create(request, project_id):
    project = project_for(request, project_id, write=True)
    form = CredentialForm(request.POST or None, project=project)
    return _create_page(request, form, project)


@login_required
@require_POST
def project_credential_revoke(request, project_id, credential_id):
    project = project_for(request, project_id, write=True)
    credential = get_object_or_404(
        ApiCredential.objects.visible_to(request.user).filter(projects=project), pk=credential_id
    )
    _revoke(request, credential)
    return redirect("api_credentials:project_list", project_id=project.pk)


def _revoke(request, credential):
    try:
        services.revoke_credential(Actor.from_request(request), credential)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
    else:
        messages.success(request, f"接口凭证 {credential.app_key} 已吊销，使用它的请求将被拒绝。")
