"""企业库 pages (docs/requirements.md §5): shared by every project, read by every signed-in user."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jmzhgd.core.access import require_supervisor
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import serve_private_file
from jmzhgd.core.list_views import DeclaredListView

from . import services
from .filters import EnterpriseFilter
from .forms import EnterpriseForm
from .models import Enterprise, ParticipatingUnit
from .tables import EnterpriseTable


def safe_next(request, default: str = "") -> str:
    """The `next` target if it stays on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def with_query(url: str, **params) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


class EnterpriseListView(DeclaredListView):
    """企业库: every registered enterprise, marked where the caller may edit it."""

    template_name = "enterprises/list.html"
    title = "企业库"
    filterset_class = EnterpriseFilter
    table_class = EnterpriseTable

    def get_queryset(self):
        return Enterprise.objects.annotate(editable=services.editable_by(self.request.user))

    def filterset_kwargs(self) -> dict:
        return {"user": self.request.user}


enterprise_list = EnterpriseListView.as_view()


@login_required
def enterprise_register(request):
    """【企业注册】. An existing credit code links to that enterprise instead of creating a second.

    With `next` (from 【添加参建单位】), the page returns there with the enterprise chosen.
    """
    if not (request.user.is_project_user or services.is_supervisor_or_admin(request.user)):
        raise Http404
    next_url = safe_next(request)
    form = EnterpriseForm(request.POST or None, request.FILES or None, registering=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code, name = data.pop("credit_code"), data.pop("name")
        if not data.get("licence_scan"):
            data.pop("licence_scan", None)
        enterprise, created = services.find_or_register_enterprise(
            Actor.from_request(request), code, name, **data
        )
        if created:
            messages.success(request, f"企业“{enterprise.name}”已登记到企业库。")
        else:
            messages.info(
                request,
                f"统一社会信用代码 {code} 已在企业库中登记为“{enterprise.name}”，已关联到该企业，未重复登记。",
            )
        if next_url:
            return redirect(with_query(next_url, enterprise=enterprise.pk))
        return redirect("enterprises:detail", enterprise_id=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "next": next_url, "registering": True})


@login_required
def enterprise_detail(request, enterprise_id):
    enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
    units = (
        ParticipatingUnit.objects.visible_to(request.user)
        .filter(enterprise=enterprise)
        .select_related("project")
        .order_by("-entry_date", "pk")
    )
    context = {
        "enterprise": enterprise,
        "units": units,
        "can_edit": services.can_edit_enterprise(request.user, enterprise),
        "edit_note": services.edit_note(request.user, enterprise),
        "can_delete": services.is_supervisor_or_admin(request.user),
        "referenced": enterprise.participations.exists(),
        "can_see_licence": services.can_see_licence(request.user, enterprise),
    }
    return render(request, "enterprises/detail.html", context)


@login_required
def enterprise_edit(request, enterprise_id):
    """【编辑】 (企业信息完善): supervisors any enterprise; a project user those in its project and
    those it registered that no other project uses yet (services.project_may_edit)."""
    enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
    if not services.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied(services.EDIT_REFUSED)
    code_editable = services.is_supervisor_or_admin(request.user)
    form = EnterpriseForm(
        request.POST or None, request.FILES or None, instance=enterprise, code_editable=code_editable
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        services.update_enterprise(Actor.from_request(request), enterprise, changes)
        messages.success(request, "企业信息已保存。")
        return redirect(safe_next(request) or reverse("enterprises:detail", args=[enterprise.pk]))
    return render(
        request, "enterprises/form.html", {"form": form, "enterprise": enterprise, "next": safe_next(request)}
    )


@login_required
@require_POST
def enterprise_delete(request, enterprise_id):
    require_supervisor(request.user)
    enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
    try:
        services.delete_enterprise(Actor.from_request(request), enterprise)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("enterprises:detail", enterprise_id=enterprise.pk)
    messages.success(request, f"企业“{enterprise.name}”已从企业库删除。")
    return redirect("enterprises:list")


@login_required
def enterprise_licence(request, enterprise_id):
    """The business-licence scan, only for those who may see it (never at a public URL)."""
    enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
    if not services.can_see_licence(request.user, enterprise):
        raise Http404
    return serve_private_file(enterprise.licence_scan)
