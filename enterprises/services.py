"""Enterprise, participating-unit and team actions (SPEC §5–§6).

Order rules live here and are used by pages, the Excel import and the API alike: a unit must be on
site before its teams, a team on site before its workers; exit dates are never before entry dates
and never in the future.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import MANAGEMENT_TEAM_NAMES, CorpType, TeamType

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
        return Team.objects.create(
            project=unit.project,
            unit=unit,
            name=MANAGEMENT_TEAM_NAMES[CorpType(unit.corp_type)],
            team_type=TeamType.MANAGEMENT,
            responsible_name=unit.pm_name,
            responsible_phone=unit.pm_phone,
            responsible_id_number=unit.pm_id_number,
            entry_date=entry_date,
        )
    team.entry_date, team.exit_date = entry_date, None
    team.save(update_fields=["entry_date", "exit_date", "updated_at"])
    return team


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
