"""工资专户 (条例 art. 26) and the 维权信息告示牌 (art. 34) of a project."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from enterprises.models import ParticipatingUnit
from jmzhgd.core.access import can_write_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import CorpType
from jmzhgd.core.seed_tables import WAGE_CLERK_POST
from workforce.models import RosterEntry

from . import services
from .forms import WageAccountForm
from .models import WageAccount
from .months import DEFAULT_PAY_DAY
from .views_sheets import _add_errors

NOT_SUBCONTRACTORS = {
    CorpType.BUILDER,
    CorpType.GENERAL_CONTRACTOR,
    CorpType.SUPERVISION,
    CorpType.SURVEY,
    CorpType.DESIGN,
}


@login_required
def account(request, project_id):
    """The project's 工资专户 and 工资保证金: editable by the project, read-only for supervisors."""
    project = project_for(request, project_id, write=request.method == "POST")
    saved = WageAccount.objects.filter(project=project).first()
    initial = {"pay_day": DEFAULT_PAY_DAY}
    if saved:
        initial = {f: getattr(saved, f) for f in services.ACCOUNT_FIELDS if f != "account_number"}
    form = WageAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_wage_account(Actor.from_request(request), project, form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "工资专户信息已保存。")
            return redirect("wages:account", project_id=project.pk)
    return render(
        request,
        "wages/account.html",
        {
            "project": project,
            "account": saved,
            "pay_day": saved.pay_day if saved else DEFAULT_PAY_DAY,
            "form": form,
            "can_write": can_write_project(request.user, project),
        },
    )


@login_required
def poster(request, project_id):
    """维权信息告示牌 (art. 34), printable on A3: the parties, each 分包's 劳资专管员, the pay day, the
    local minimum wage and the complaint phones."""
    project = project_for(request, project_id)
    units = list(
        ParticipatingUnit.objects.filter(project=project, exit_date__isnull=True)
        .select_related("enterprise")
        .order_by("corp_type", "id")
    )
    builders = [u for u in units if u.corp_type == CorpType.BUILDER]
    contractors = [u for u in units if u.corp_type == CorpType.GENERAL_CONTRACTOR]
    subcontractors = [u for u in units if u.corp_type not in NOT_SUBCONTRACTORS]
    # Each unit's 劳资专管员 (a management post, 条例 art. 28) from its people on site.
    managers: dict[int, list] = {}
    for entry in RosterEntry.objects.filter(
        project=project, exit_date__isnull=True, post__code=WAGE_CLERK_POST
    ).select_related("person"):
        managers.setdefault(entry.unit_id, []).append(entry.person)
    for unit in subcontractors + contractors:
        unit.labour_managers = managers.get(unit.pk, [])
    wage_account = WageAccount.objects.filter(project=project).first()
    return render(
        request,
        "wages/poster.html",
        {
            "project": project,
            "builder_name": builders[0].enterprise.name if builders else project.builder_name,
            "contractor_name": contractors[0].enterprise.name if contractors else project.contractor_name,
            "contractor": contractors[0] if contractors else None,
            "subcontractors": subcontractors,
            "pay_day": wage_account.pay_day if wage_account else DEFAULT_PAY_DAY,
            "minimum_wage": settings.WAGE_MINIMUM_MONTHLY,
            "complaint_phones": settings.WAGE_COMPLAINT_PHONES,
        },
    )
