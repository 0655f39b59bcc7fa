"""Demo participating units of several types, each with its management team, and worker teams.

Idempotent per unit and per team (looked up by name), so it also completes projects whose builder
and general contractor were already entered by a declaration's approval.
"""

from __future__ import annotations

from datetime import date

from jmzhgd.core.codes import CorpType, EnterpriseRegType, TeamType
from jmzhgd.core.fakes import random_credit_code, random_id_number, random_mobile, random_name

from .models import Enterprise, ParticipatingUnit, Team
from .services import add_team, enter_unit, exit_unit, find_or_register_enterprise

EXTRA_UNITS = [
    ("江门市建设工程监理有限公司", CorpType.SUPERVISION),
    ("江门市五邑劳务分包有限公司", CorpType.LABOUR_SUB),
    ("广东华安机电安装工程有限公司", CorpType.PROFESSIONAL_SUB),
]
# A unit that came and went: the list shows it as 已退场 and its detail page the stay history.
EXITED_UNIT = ("江门市勘测院有限公司", CorpType.SURVEY, date(2026, 4, 15))
WORKER_TEAMS = ["钢筋班", "木工班", "混凝土班", "砌筑班", "水电安装班"]
UNIT_ENTRY = date(2026, 3, 1)


def _unit(demo, project, name: str, corp_type: str, code: str = "") -> tuple[ParticipatingUnit, bool]:
    """The project's unit of that enterprise and type, entering it if absent.

    With `code` the enterprise is the library's one of that code; without, the one of that name
    (so the demo's subcontractors take part in several projects).
    """
    enterprise = Enterprise.objects.filter(credit_code=code).first() if code else None
    enterprise = enterprise or (None if code else Enterprise.objects.filter(name=name).first())
    if enterprise is None:
        enterprise, _ = find_or_register_enterprise(
            demo.actor,
            code or random_credit_code(demo.rng, area=project.district),
            name,
            reg_type=EnterpriseRegType.PRIVATE_LIMITED,
            legal_rep=random_name(demo.rng),
            district=project.district,
            contact_name=random_name(demo.rng),
            contact_phone=random_mobile(demo.rng),
        )
    unit = ParticipatingUnit.objects.filter(
        project=project, enterprise=enterprise, corp_type=corp_type
    ).first()
    if unit is not None:
        return unit, False
    unit = enter_unit(
        demo.actor,
        project,
        enterprise,
        corp_type,
        UNIT_ENTRY,
        pm_name=random_name(demo.rng),
        pm_phone=random_mobile(demo.rng),
        pm_id_number=random_id_number(demo.rng),
    )
    return unit, True


def _team(demo, unit, name: str, team_type: str, entry_date: date) -> None:
    if Team.objects.filter(unit=unit, name=name).exists():
        return
    add_team(
        demo.actor,
        unit,
        name,
        team_type,
        entry_date,
        leader_name=random_name(demo.rng),
        leader_phone=random_mobile(demo.rng),
        leader_id_number=random_id_number(demo.rng),
    )


def seed(demo) -> None:
    for project in demo.shared.get("projects", []):
        entries = [
            (project.builder_name, CorpType.BUILDER, project.builder_code),
            (project.contractor_name, CorpType.GENERAL_CONTRACTOR, project.contractor_code),
        ] + [(name, corp_type, "") for name, corp_type in EXTRA_UNITS]
        units = {
            corp_type: _unit(demo, project, name, corp_type, code)[0] for name, corp_type, code in entries
        }
        labour, specialist = units[CorpType.LABOUR_SUB], units[CorpType.PROFESSIONAL_SUB]
        for index, team_name in enumerate(WORKER_TEAMS):
            unit = specialist if team_name == "水电安装班" else labour
            _team(demo, unit, team_name, TeamType.WORKER, date(2026, 3, 2 + index))
        _team(demo, labour, "后勤保洁组", TeamType.OTHER, date(2026, 3, 5))
        name, corp_type, exit_date = EXITED_UNIT
        survey, created = _unit(demo, project, name, corp_type)
        if created:
            exit_unit(demo.actor, survey, exit_date)
