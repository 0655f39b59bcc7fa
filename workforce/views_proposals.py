"""人员信息修改申请 (docs/architecture.md pattern 10; workforce.person_rights): what another project submitted
for a person it may not change, for the project that holds him, or a supervisor, to accept or
reject. The proposing project sees its own proposals and how they were decided."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jmzhgd.core.access import can_write_project, project_for, require_supervisor
from jmzhgd.core.actor import Actor
from projects.models import Project

from .models import PersonChangeProposal, ProposalStatus
from .person_rights import holding_of
from .services import decide_proposal
from .services.proposals import proposal_lines

_RELATED = ("person", "project", "decided_project")


def _for_project(project):
    """Proposals `project` submitted, and pending ones for persons it holds."""
    submitted = PersonChangeProposal.objects.filter(project=project).select_related(*_RELATED)
    candidates = (
        PersonChangeProposal.objects.filter(
            status=ProposalStatus.PENDING, person__roster_entries__project=project
        )
        .exclude(project=project)
        .select_related(*_RELATED)
        .distinct()
    )
    to_decide = [p for p in candidates if holding_of(p.person).holder == project.pk]
    return to_decide, list(submitted[:200])


def _proposal_in_project(project, pk) -> PersonChangeProposal:
    proposal = get_object_or_404(PersonChangeProposal.objects.select_related(*_RELATED), pk=pk)
    if proposal.project_id != project.pk and holding_of(proposal.person).holder != project.pk:
        raise Http404
    return proposal


def _visible_to_supervisor(user):
    projects = Project.objects.visible_to(user)
    return (
        PersonChangeProposal.objects.filter(
            Q(project__in=projects) | Q(person__roster_entries__project__in=projects)
        )
        .select_related(*_RELATED)
        .distinct()
    )


@login_required
def project_proposals(request, project_id):
    project = project_for(request, project_id)
    to_decide, submitted = _for_project(project)
    context = {"project": project, "to_decide": to_decide, "submitted": submitted}
    return render(request, "workforce/proposals.html", context)


@login_required
def project_proposal(request, project_id, proposal_id):
    project = project_for(request, project_id)
    proposal = _proposal_in_project(project, proposal_id)
    may_decide = (
        proposal.status == ProposalStatus.PENDING
        and can_write_project(request.user, project)
        and holding_of(proposal.person).holder == project.pk
    )
    context = {
        "project": project,
        "proposal": proposal,
        "lines": proposal_lines(proposal),
        "may_decide": may_decide,
    }
    return render(request, "workforce/proposal_detail.html", context)


def _decide(request, proposal, project):
    accept = request.POST.get("decision") == "accept"
    try:
        decide_proposal(
            Actor.from_request(request),
            proposal,
            accept=accept,
            project=project,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"已{'采纳' if accept else '驳回'}修改申请：{proposal.person}。")


@login_required
@require_POST
def decide(request, project_id, proposal_id):
    """【采纳】/【驳回】 by the project that holds the person (the check is decide_proposal's)."""
    project = project_for(request, project_id, write=True)
    proposal = _proposal_in_project(project, proposal_id)
    _decide(request, proposal, project)
    return redirect("workforce:proposal", project_id=project.pk, proposal_id=proposal.pk)


@login_required
def city_proposals(request):
    """Supervisors: proposals about persons of the projects they supervise; they decide any."""
    require_supervisor(request.user)
    proposals = _visible_to_supervisor(request.user)
    context = {
        "project": None,
        "to_decide": list(proposals.filter(status=ProposalStatus.PENDING)[:200]),
        "submitted": list(proposals.exclude(status=ProposalStatus.PENDING)[:100]),
    }
    return render(request, "workforce/proposals.html", context)


@login_required
def city_proposal(request, proposal_id):
    require_supervisor(request.user)
    proposal = get_object_or_404(_visible_to_supervisor(request.user), pk=proposal_id)
    if request.method == "POST":
        _decide(request, proposal, None)
        return redirect("workforce:city_proposal", proposal_id=proposal.pk)
    context = {
        "project": None,
        "proposal": proposal,
        "lines": proposal_lines(proposal),
        "may_decide": proposal.status == ProposalStatus.PENDING,
    }
    return render(request, "workforce/proposal_detail.html", context)
