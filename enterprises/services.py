"""Enterprise, participating-unit and team actions (SPEC §5–§6).

Order rules live here and are used by pages, the Excel import and the API alike: a unit must be on
site before its teams, a team on site before its workers; exit dates are never before entry dates
and never in the future.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import MANAGEMENT_TEAM_NAMES, CorpType, TeamType

from . import hooks
from .models import Enterprise, ParticipatingUnit, Team, UnitStay


def check_not_future(day: date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(f"{label}不能晚于今天。")


def check_not_before(day: date, earliest: date, label: str, earliest_label: str) -> None:
    if day < earliest:
        raise ValidationError(f"{label}（{day:%Y-%m-%d}）不能早于{earliest_label}（{earliest:%Y-%m-%d}）。")


@transaction.atomic
def enter_unit(
    actor: Actor,
    project,
    enterprise: Enterprise,
    corp_type: str,
    entry_date: date,
    **details,
) -> ParticipatingUnit:
    """Enter an enterprise into a project as a participating unit, with its 管理人员班组.

    An exited unit of the same enterprise and type re-enters: the stay history is kept.
    """
    check_not_future(entry_date, "进场日期")
    unit = (
        ParticipatingUnit.objects.select_for_update()
        .filter(project=project, enterprise=enterprise, corp_type=corp_type)
        .first()
    )
    if unit is not None and unit.is_on_site:
        raise ValidationError(f"{enterprise.name} 已作为{unit.get_corp_type_display()}在场，不能重复进场。")
    if unit is not None:
        if unit.exit_date and entry_date < unit.exit_date:
            check_not_before(entry_date, unit.exit_date, "再次进场日期", "上次退场日期")
        before = audit.snapshot(unit)
        unit.entry_date, unit.exit_date = entry_date, None
        for key, value in details.items():
            setattr(unit, key, value)
        unit.save()
        action, summary = "unit.reenter", f"参建单位再次进场：{unit}"
    else:
        before = None
        unit = ParticipatingUnit.objects.create(
            project=project, enterprise=enterprise, corp_type=corp_type, entry_date=entry_date, **details
        )
        action, summary = "unit.enter", f"参建单位进场：{unit}"
    UnitStay.objects.create(unit=unit, entry_date=entry_date)
    _ensure_management_team(unit, entry_date)
    audit.record(
        actor, action, unit, project=project, summary=summary, before=before, after=audit.snapshot(unit)
    )
    return unit


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


def find_or_register_enterprise(
    actor: Actor, credit_code: str, name: str, **details
) -> tuple[Enterprise, bool]:
    """The library's enterprise for `credit_code`, registering it if absent (returns created flag)."""
    enterprise = Enterprise.objects.filter(credit_code=credit_code).first()
    if enterprise is not None:
        return enterprise, False
    enterprise = Enterprise.objects.create(
        credit_code=credit_code, name=name, created_by=actor.user, **details
    )
    audit.record(
        actor,
        "enterprise.register",
        enterprise,
        summary=f"企业注册：{name}",
        after=audit.snapshot(enterprise),
    )
    return enterprise, True


def check_team_accepts_entry(team: Team, entry_date: date, category: str) -> None:
    """Order rule (SPEC §6): unit on site → team on site → worker entry, in the right kind of team.

    Raises ValidationError naming the problem; used by the wizard, the Excel import and the API.
    """
    from jmzhgd.core.codes import TEAM_TYPE_FOR_CATEGORY, PersonCategory

    check_not_future(entry_date, "进场日期")
    if not team.unit.is_on_site:
        raise ValidationError(f"参建单位“{team.unit.enterprise.name}”已退场，不能进场人员。")
    if not team.is_on_site:
        raise ValidationError(f"班组“{team.name}”已退场，不能进场人员。")
    expected = TEAM_TYPE_FOR_CATEGORY[PersonCategory(category)]
    if team.team_type != expected:
        raise ValidationError(
            f"{PersonCategory(category).label}只能进入{TeamType(expected).label}，“{team.name}”是{team.get_team_type_display()}。"
        )
    check_not_before(entry_date, team.entry_date, "进场日期", f"班组“{team.name}”的进场日期")


# --- 企业库 (SPEC §5) ------------------------------------------------------------------------------

MANAGEMENT_TEAM_LOCKED = (
    "管理人员班组由系统按参建单位类型自动产生，随参建单位进退场，不能修改、删除或单独进退场。"
)


def is_supervisor_or_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_supervisor or user.is_superuser))


def can_edit_enterprise(user, enterprise: Enterprise) -> bool:
    """企业信息完善: supervisors any enterprise; a project user only those taking part in its project."""
    if is_supervisor_or_admin(user):
        return True
    if user is None or not user.is_authenticated or not user.is_project_user:
        return False
    return enterprise.participations.filter(project_id=user.project_id).exists()


def can_see_licence(user, enterprise: Enterprise) -> bool:
    """The licence scan: who may edit the enterprise, or the account that registered it."""
    if can_edit_enterprise(user, enterprise):
        return True
    return user is not None and user.is_authenticated and enterprise.created_by_id == user.pk


@transaction.atomic
def update_enterprise(actor: Actor, enterprise: Enterprise, changes: dict) -> Enterprise:
    # Work on the stored row: a ModelForm has already written its input onto the caller's instance.
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not can_edit_enterprise(actor.user, enterprise):
        raise PermissionDenied("只能完善参与本项目的企业的信息。")
    if "credit_code" in changes and not is_supervisor_or_admin(actor.user):
        changes = {k: v for k, v in changes.items() if k != "credit_code"}
    before = audit.snapshot(enterprise)
    for key, value in changes.items():
        if key == "licence_scan" and value is False:  # the form's "clear" box
            value = ""
        setattr(enterprise, key, value)
    enterprise.save()
    old, new = audit.changed(before, audit.snapshot(enterprise))
    audit.record(
        actor,
        "enterprise.update",
        enterprise,
        summary=f"企业信息完善：{enterprise.name}",
        before=old,
        after=new,
    )
    return enterprise


@transaction.atomic
def delete_enterprise(actor: Actor, enterprise: Enterprise) -> None:
    """Supervisors and admins only, and only an enterprise nothing refers to."""
    if not is_supervisor_or_admin(actor.user):
        raise PermissionDenied("只有监管方可以删除企业。")
    if enterprise.participations.exists():
        raise ValidationError(f"“{enterprise.name}”已是项目参建单位，不能从企业库删除。")
    before = audit.snapshot(enterprise)
    pk, name = enterprise.pk, enterprise.name
    try:
        with transaction.atomic():
            enterprise.delete()
    except ProtectedError:
        raise ValidationError(f"“{name}”仍被其他数据引用，不能删除。") from None
    enterprise.pk = pk
    audit.record(actor, "enterprise.delete", enterprise, summary=f"删除企业：{name}", before=before)


# --- 参建单位 (SPEC §6) ----------------------------------------------------------------------------


def unit_on_site_counts(unit: ParticipatingUnit) -> tuple[int, int]:
    """(teams on site, workers on site) of a unit: what its exit will take with it."""
    teams = Team.objects.filter(unit=unit).on_site().count()
    # `roster` is the reverse side of workforce's RosterEntry.unit: the floor above declares the
    # relation, this floor reads it through the ORM without importing workforce (README "Floors").
    workers = unit.roster.on_site().count()
    return teams, workers


@transaction.atomic
def update_unit(actor: Actor, unit: ParticipatingUnit, changes: dict) -> ParticipatingUnit:
    """参建单位信息完善; the 管理人员班组's 责任人 follows the unit's 项目负责人."""
    unit = ParticipatingUnit.objects.select_for_update().get(pk=unit.pk)
    before = audit.snapshot(unit)
    for key, value in changes.items():
        setattr(unit, key, value)
    unit.save()
    for team in Team.objects.filter(unit=unit).management():
        _copy_responsible(unit, team)
        team.save()  # save(), not update(): the ID number's digest and mask are derived in pre_save
    old, new = audit.changed(before, audit.snapshot(unit))
    audit.record(actor, "unit.update", unit, summary=f"参建单位信息完善：{unit}", before=old, after=new)
    return unit


@transaction.atomic
def exit_unit(actor: Actor, unit: ParticipatingUnit, exit_date: date) -> tuple[int, int]:
    """退场 of a unit with its teams (the 管理人员班组 too) and workers, all or none.

    Returns (teams exited, workers exited).
    """
    unit = ParticipatingUnit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_on_site:
        raise ValidationError(f"参建单位“{unit.enterprise.name}”已退场。")
    check_not_future(exit_date, "退场日期")
    check_not_before(exit_date, unit.entry_date, "退场日期", "参建单位进场日期")
    teams = list(Team.objects.filter(unit=unit).on_site().select_for_update())
    for team in teams:
        try:
            check_not_before(exit_date, team.entry_date, "退场日期", "班组进场日期")
        except ValidationError as exc:
            raise ValidationError(f"班组“{team.name}”：{exc.messages[0]}") from None
    workers = hooks.exit_members(actor, exit_date, f"随参建单位“{unit.enterprise.name}”退场", unit=unit)
    for team in teams:
        _close_team(actor, team, exit_date, reason="随参建单位退场")
    before = audit.snapshot(unit)
    unit.exit_date = exit_date
    unit.save(update_fields=["exit_date", "updated_at"])
    UnitStay.objects.filter(unit=unit, exit_date__isnull=True).update(exit_date=exit_date)
    audit.record(
        actor,
        "unit.exit",
        unit,
        project=unit.project,
        summary=f"参建单位退场：{unit}（班组 {len(teams)} 个，人员 {workers} 人）",
        before={"exit_date": before["exit_date"]},
        after={"exit_date": exit_date},
    )
    return len(teams), workers


def reenter_unit(actor: Actor, unit: ParticipatingUnit, entry_date: date) -> ParticipatingUnit:
    """再次进场 of an exited unit: a new stay; earlier stays stay in the history."""
    if unit.is_on_site:
        raise ValidationError(f"参建单位“{unit.enterprise.name}”仍在场。")
    return enter_unit(actor, unit.project, unit.enterprise, unit.corp_type, entry_date)


@transaction.atomic
def delete_unit(actor: Actor, unit: ParticipatingUnit) -> None:
    """Only a unit that never had a worker; the enterprise stays in the library."""
    if unit.roster.exists():
        raise ValidationError("该参建单位已有人员进场记录，只能退场，不能删除。")
    before = audit.snapshot(unit)
    pk, label, project = unit.pk, str(unit), unit.project
    try:
        with transaction.atomic():
            Team.objects.filter(unit=unit).delete()
            unit.delete()
    except ProtectedError:
        raise ValidationError("该参建单位仍被其他数据引用，只能退场，不能删除。") from None
    unit.pk = pk
    audit.record(actor, "unit.delete", unit, project=project, summary=f"删除参建单位：{label}", before=before)


# --- 班组 (SPEC §6) --------------------------------------------------------------------------------

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
