"""班组 (docs/requirements.md §6): adding, editing, exit and re-entry of teams, and each unit's 管理人员班组."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import MANAGEMENT_TEAM_NAMES, CorpType, TeamType

from .. import hooks
from ..models import ParticipatingUnit, Team
from .library import MANAGEMENT_TEAM_LOCKED
from .rules import check_not_before, check_not_future


def _ensure_management_team(unit: ParticipatingUnit, entry_date: date) -> Team:
    """Every unit has one 管理人员班组 named after its type; it follows the unit's entry."""
    team = Team.objects.filter(unit=unit, team_type=TeamType.MANAGEMENT).first()
    if team is None:
        team = Team(
            project=unit.project,
            unit=unit,
            name=MANAGEMENT_TEAM_NAMES[CorpType(unit.corp_type)],
            team_type=TeamType.MANAGEMENT,
        )
    _copy_responsible(unit, team)
    team.entry_date, team.exit_date = entry_date, None
    team.save()
    return team


def _copy_responsible(unit: ParticipatingUnit, team: Team) -> None:
    """The 管理人员班组's 责任人 is the unit's 项目负责人."""
    team.responsible_name = unit.pm_name
    team.responsible_phone = unit.pm_phone
    team.responsible_id_number = unit.pm_id_number


NORMAL_TEAM_TYPES = (TeamType.WORKER, TeamType.OTHER)


def refuse_management_team(team: Team) -> None:
    """Project users (and every page and API) cannot edit, delete, enter or exit a 管理人员班组."""
    if team.is_management:
        raise ValidationError(MANAGEMENT_TEAM_LOCKED)


def _check_team_name_free(unit: ParticipatingUnit, name: str, exclude_pk=None) -> None:
    clash = Team.objects.filter(unit=unit, name=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(f"参建单位“{unit.enterprise.name}”下已有名为“{name}”的班组，班组名称不能重复。")


def check_unit_accepts_team(unit: ParticipatingUnit, entry_date: date) -> None:
    """Order rule: a team enters only into a unit on site, not before the unit and not in the future."""
    if not unit.is_on_site:
        raise ValidationError(f"参建单位“{unit.enterprise.name}”已退场，不能添加班组。")
    check_not_future(entry_date, "进场日期")
    check_not_before(entry_date, unit.entry_date, "班组进场日期", "参建单位进场日期")


@transaction.atomic
def add_team(
    actor: Actor, unit: ParticipatingUnit, name: str, team_type: str, entry_date: date, **details
) -> Team:
    """【添加班组】: a 建筑工人班组 or 其他人员班组 of a unit on site."""
    if team_type not in NORMAL_TEAM_TYPES:
        raise ValidationError("只能添加建筑工人班组或其他人员班组；管理人员班组由系统自动产生。")
    unit = ParticipatingUnit.objects.select_for_update().get(pk=unit.pk)
    check_unit_accepts_team(unit, entry_date)
    _check_team_name_free(unit, name)
    team = Team.objects.create(
        project=unit.project, unit=unit, name=name, team_type=team_type, entry_date=entry_date, **details
    )
    audit.record(
        actor,
        "team.enter",
        team,
        project=unit.project,
        summary=f"班组进场：{team.name}（{unit.enterprise.name}）",
        after=audit.snapshot(team),
    )
    return team


@transaction.atomic
def update_team(actor: Actor, team: Team, changes: dict) -> Team:
    """【编辑】 normal teams only; the type may change only from 建筑工人班组 to 其他人员班组."""
    team = Team.objects.select_for_update().select_related("unit__enterprise").get(pk=team.pk)
    refuse_management_team(team)
    new_type = changes.get("team_type", team.team_type)
    if new_type != team.team_type:
        if not (team.team_type == TeamType.WORKER and new_type == TeamType.OTHER):
            raise ValidationError("班组类型只能由建筑工人班组改为其他人员班组。")
        if team.roster.on_site().exists():
            raise ValidationError("班组内仍有在场的建筑工人，请先将其退场，再改为其他人员班组。")
    if "name" in changes:
        _check_team_name_free(team.unit, changes["name"], exclude_pk=team.pk)
    before = audit.snapshot(team)
    for key, value in changes.items():
        setattr(team, key, value)
    team.save()
    old, new = audit.changed(before, audit.snapshot(team))
    audit.record(actor, "team.update", team, summary=f"班组信息完善：{team.name}", before=old, after=new)
    return team


def _close_team(actor: Actor, team: Team, exit_date: date, *, reason: str = "") -> None:
    team.exit_date = exit_date
    team.save(update_fields=["exit_date", "updated_at"])
    audit.record(
        actor,
        "team.exit",
        team,
        project=team.project,
        summary=f"班组退场：{team.name}" + (f"（{reason}）" if reason else ""),
        before={"exit_date": None},
        after={"exit_date": exit_date},
    )


@transaction.atomic
def exit_team(actor: Actor, team: Team, exit_date: date) -> int:
    """【退场】 of a normal team with its workers, all or none. Returns how many workers exited."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    refuse_management_team(team)
    if not team.is_on_site:
        raise ValidationError(f"班组“{team.name}”已退场。")
    check_not_future(exit_date, "退场日期")
    check_not_before(exit_date, team.entry_date, "退场日期", "班组进场日期")
    workers = hooks.exit_members(actor, exit_date, f"随班组“{team.name}”退场", team=team)
    _close_team(actor, team, exit_date, reason=f"人员 {workers} 人随同退场")
    return workers


@transaction.atomic
def reenter_team(actor: Actor, team: Team, entry_date: date) -> Team:
    """再次进场 of an exited normal team into its unit (which must be on site)."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    refuse_management_team(team)
    if team.is_on_site:
        raise ValidationError(f"班组“{team.name}”仍在场。")
    check_unit_accepts_team(team.unit, entry_date)
    check_not_before(entry_date, team.exit_date, "再次进场日期", "上次退场日期")
    before = {"entry_date": team.entry_date, "exit_date": team.exit_date}
    team.entry_date, team.exit_date = entry_date, None
    team.save(update_fields=["entry_date", "exit_date", "updated_at"])
    audit.record(
        actor,
        "team.reenter",
        team,
        project=team.project,
        summary=f"班组再次进场：{team.name}",
        before=before,
        after={"entry_date": entry_date, "exit_date": None},
    )
    return team


@transaction.atomic
def delete_team(actor: Actor, team: Team) -> None:
    """【删除】 only a normal team that never had a worker."""
    refuse_management_team(team)
    if team.roster.exists():
        raise ValidationError("该班组已有人员进场记录，只能退场，不能删除。")
    before = audit.snapshot(team)
    pk, name, project = team.pk, team.name, team.project
    try:
        with transaction.atomic():
            team.delete()
    except ProtectedError:
        raise ValidationError("该班组仍被其他数据引用，只能退场，不能删除。") from None
    team.pk = pk
    audit.record(actor, "team.delete", team, project=project, summary=f"删除班组：{name}", before=before)
