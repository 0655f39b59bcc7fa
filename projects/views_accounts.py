"""The supervisor's care of project accounts: direct creation for old-platform projects, the
printable 账号开通通知书, password reset, disable/enable.

A one-time password is never stored in clear: the action hands it to the session, and the notice
page takes it out of the session as it renders it, so it is shown exactly once.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jmzhgd.accounts.models import Role, User
from jmzhgd.core.access import require_supervisor
from jmzhgd.core.actor import Actor
from jmzhgd.core.list_views import SupervisorListView

from . import services
from .filters import AccountFilter
from .forms import DirectProjectForm
from .models import Project
from .tables import AccountTable

ONE_TIME_SESSION_KEY = "projects.one_time_password"


def remember_one_time_password(request, user, password: str) -> None:
    request.session[ONE_TIME_SESSION_KEY] = {"user_id": user.pk, "password": password}


def _take_one_time_password(request, user) -> str | None:
    stored = request.session.get(ONE_TIME_SESSION_KEY)
    if stored and stored.get("user_id") == user.pk:
        del request.session[ONE_TIME_SESSION_KEY]
        return stored.get("password")
    return None


def _accounts_in_scope(user):
    return User.objects.filter(
        role=Role.PROJECT, project__in=Project.objects.visible_to(user)
    ).select_related("project")


def _account_for(request, user_id) -> User:
    require_supervisor(request.user)
    return get_object_or_404(_accounts_in_scope(request.user), pk=user_id)


class AccountListView(SupervisorListView):
    """项目账号: every project account in scope, with reset and disable/enable."""

    template_name = "projects/account_list.html"
    title = "项目账号"
    filterset_class = AccountFilter
    table_class = AccountTable

    def get_queryset(self):
        return _accounts_in_scope(self.request.user).order_by("-date_joined")


account_list = AccountListView.as_view()


@login_required
def account_create(request):
    """A project from the old platform and its account, without a declaration."""
    require_supervisor(request.user)
    form = DirectProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "permit_number"}
        try:
            project, user, password = services.create_project_directly(
                Actor.from_request(request), fields, [form.cleaned_data["permit_number"]]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            remember_one_time_password(request, user, password)
            messages.success(request, f"已创建项目 {project.code} 并开通项目账号。")
            return redirect("projects:account_notice", user_id=user.pk)
    return render(request, "projects/account_create.html", {"form": form})


@never_cache
@login_required
def account_notice(request, user_id):
    """账号开通通知书 (printable). The one-time password appears on the first view only."""
    account = _account_for(request, user_id)
    password = _take_one_time_password(request, account)
    return render(
        request,
        "projects/account_notice.html",
        {
            "account": account,
            "project": account.project,
            "password": password,
            "login_url": request.build_absolute_uri(reverse("accounts:login")),
            "issued_on": timezone.localdate(),
        },
    )


@login_required
@require_POST
def account_reset_password(request, user_id):
    account = _account_for(request, user_id)
    password = services.reset_account_password(Actor.from_request(request), account)
    remember_one_time_password(request, account, password)
    messages.success(request, f"已重置 {account.username} 的密码，首次登录须修改密码。")
    return redirect("projects:account_notice", user_id=account.pk)


@login_required
@require_POST
def account_set_active(request, user_id):
    account = _account_for(request, user_id)
    active = request.POST.get("active") == "1"
    services.set_account_active(Actor.from_request(request), account, active)
    messages.success(request, f"已{'启用' if active else '停用'}项目账号 {account.username}。")
    return redirect("projects:account_list")
