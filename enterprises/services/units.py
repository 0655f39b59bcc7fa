"""参建单位 (docs/requirements.md §6): entry (with its 管理人员班组), editing, exit with its teams and workers, re-entry."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from .. import hooks
from ..models import Enterprise, ParticipatingUnit, Team, UnitStay
from .rules import check_not_before, check_not_future
from .teams import _close_team, _copy_responsible, _ensure_management_team


class UnitEntryRefused(ValidationError):
    """The checks of the floors above (the 诚信 lists) refused the entry, or warned and the caller
    has not confirmed: `warnings` to show beside the confirmation, `errors` that no confirmation lifts."""

    def __init__(self, warnings: list[str], errors: list[str]):
        self.warnings, self.errors = warnings, errors
        super().__init__(errors or [*warnings, "请核实以上提示，确认后再次提交。"])


@transaction.atomic
def enter_unit(
    actor: Actor,
    project,
    enterprise: Enterprise,
    corp_type: str,
    entry_date: date,
    *,
    confirm_warnings: bool = False,
    **details,
) -> ParticipatingUnit:
    """Enter an enterprise into a project as a participating unit, with its 管理人员班组.

    An exited unit of the same enterprise and type re-enters: the stay history is kept. The floors
    above check the enterprise first (hooks.unit_entry_checking): an error refuses, a warning needs
    `confirm_warnings`; the confirmed warnings are left on the unit as `entry_warnings` to show.
    """
    check_not_future(entry_date, "进场日期")
    warnings, errors = hooks.check_unit_entry(project, enterprise, entry_date)
    if errors or (warnings and not confirm_warnings):
        raise UnitEntryRefused(warnings, errors)
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
    after = audit.snapshot(unit)
    if warnings:
        after["confirmed_warnings"] = warnings
    audit.record(actor, action, unit, project=project, summary=summary, before=before, after=after)
    unit.entry_warnings = warnings
    return unit


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


def reenter_unit(
    actor: Actor, unit: ParticipatingUnit, entry_date: date, *, confirm_warnings: bool = False
) -> ParticipatingUnit:
    """再次进场 of an exited unit: a new stay; earlier stays stay in the history."""
    if unit.is_on_site:
        raise ValidationError(f"参建单位“{unit.enterprise.name}”仍在场。")
    return enter_unit(
        actor, unit.project, unit.enterprise, unit.corp_type, entry_date, confirm_warnings=confirm_warnings
    )


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
