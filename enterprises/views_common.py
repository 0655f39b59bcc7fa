"""Pieces shared by the unit and team pages: list + export pairs and the one-date confirmation step."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from jmzhgd.core.access import can_write_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.tables import paginate_table

from .exports import table_xlsx
from .forms import DateStepForm


def list_and_export_views(build_table, *, template: str, title: str, action: str):
    """A list page and its .xlsx export, both from `build_table(request, project) -> (filterset, table)`."""

    @login_required
    def list_page(request, project_id):
        project = project_for(request, project_id)
        filterset, table = build_table(request, project)
        paginate_table(request, table)
        context = {"project": project, "filter": filterset, "table": table}
        context["can_write"] = can_write_project(request.user, project)
        return render(request, template, context)

    @login_required
    def export(request, project_id):
        project = project_for(request, project_id)
        _, table = build_table(request, project)
        return table_xlsx(Actor.from_request(request), project, table, title=title, action=action)

    return list_page, export


def date_step(request, *, template: str, context: dict, label: str, run, done_url: str):
    """A confirmation page with one date (退场 / 再次进场); POST runs the action, all or none."""
    form = DateStepForm(request.POST or None, label=label)
    if request.method == "POST" and form.is_valid():
        try:
            message = run(form.cleaned_data["day"])
        except ValidationError as exc:
            form.add_error("day", exc)
        else:
            messages.success(request, message)
            return redirect(done_url)
    return render(request, template, {**context, "form": form, "label": label})


def reenter_step(request, *, context: dict, run, done_url: str):
    """再次进场 of an exited unit or team: one entry date, earlier stays kept."""
    return date_step(
        request,
        template="enterprises/reenter.html",
        context=context,
        label="进场日期",
        run=run,
        done_url=done_url,
    )
