"""Wage arrears pages (条例 art. 24, 31): a project's overdue months, and the supervisors' view across
their districts. Both read wages.arrears.overdue_months, which alerts can call too."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jmzhgd.core.access import project_for, require_supervisor
from projects.models import Project

from .arrears import overdue_months
from .forms import ArrearsFilterForm


@login_required
def project_arrears(request, project_id):
    project = project_for(request, project_id)
    rows = overdue_months(Project.objects.filter(pk=project.pk))
    return render(request, "wages/arrears.html", {"project": project, "rows": rows, "form": None})


@login_required
def city_arrears(request):
    """Supervisors: every project in their districts, filterable by 区县 (read-only)."""
    require_supervisor(request.user)
    form = ArrearsFilterForm(request.GET or None)
    projects = Project.objects.visible_to(request.user)
    if form.is_valid() and form.cleaned_data["district"]:
        projects = projects.filter(district=form.cleaned_data["district"])
    rows = overdue_months(projects)
    return render(request, "wages/arrears.html", {"project": None, "rows": rows, "form": form})
