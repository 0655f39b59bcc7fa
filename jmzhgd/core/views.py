from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views import defaults

from .filters import AuditLogFilter
from .list_views import ProjectListView, SupervisorListView
from .models import AuditLog
from .tables import AuditLogTable


@login_required
def home(request):
    """After login: a project user lands on its 项目总览, a supervisor on the supervisor dashboard."""
    user = request.user
    if user.is_project_user:
        return redirect("projects:overview", project_id=user.project_id)
    if user.is_supervisor or user.is_superuser:
        return redirect("projects:dashboard")
    return render(request, "core/no_role.html", status=403)


def support(request):
    """技术服务支持: support phones (settings), the API documentation, a short FAQ. Public."""
    try:
        api_docs_url = reverse("api-1:openapi-view")
    except NoReverseMatch:
        api_docs_url = None
    return render(
        request, "core/support.html", {"phones": settings.SUPPORT_PHONES, "api_docs_url": api_docs_url}
    )


class AuditLogView(SupervisorListView):
    """Supervisor: every audit entry in scope."""

    template_name = "core/audit_log.html"
    title = "审计日志"
    filterset_class = AuditLogFilter
    table_class = AuditLogTable

    def get_queryset(self):
        return AuditLog.objects.visible_to(self.request.user).select_related("project")

    def get_table(self, filterset):
        return self.table_class(filterset.qs, user=self.request.user)


class ProjectAuditLogView(ProjectListView):
    """A project's own audit entries (supervisors in scope can read them too)."""

    template_name = AuditLogView.template_name
    title = AuditLogView.title
    filterset_class = AuditLogFilter
    table_class = AuditLogTable
    get_table = AuditLogView.get_table

    def get_queryset(self):
        return AuditLogView.get_queryset(self).filter(project=self.project)


audit_log = AuditLogView.as_view()
project_audit_log = ProjectAuditLogView.as_view()


def error_400(request, exception=None):
    """The HTML pages of the shell; the root's handlers (jmzhgd.api.errors) answer /api/ in JSON."""
    return defaults.bad_request(request, exception)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def error_500(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "403.html", {"reason": "页面已过期或来源不明，请刷新页面后重试。"}, status=403)
