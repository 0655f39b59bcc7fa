"""Stage one: enterprises, projects, participating units and teams."""

from __future__ import annotations

import datetime
from decimal import Decimal

from jmzhgd.core.codes import (
    MANAGEMENT_TEAM_NAMES,
    ConstructionNature,
    District,
    ProjectCategory,
    ProjectStatus,
    TeamType,
)
from jmzhgd.core.fakes import random_credit_code, random_mobile, random_name

from .plan import UNIT_PLAN, WORKER_TEAM_NAMES, Build


def build_organisations(b: Build) -> None:
    """Enterprises, projects, their participating units (with stays) and teams."""
    from enterprises.models import Enterprise, ParticipatingUnit, Team, UnitStay
    from projects.models import Project

    scale, rng, writer, month_start = b.scale, b.rng, b.writer, b.month_start
    step = b.step
    # Enterprises: three per project, each project takes six distinct ones.
    enterprise_base = writer.next_id(Enterprise)
    n_enterprises = max(scale.projects * 3, 6)
    credit_codes: set[str] = set(Enterprise.objects.values_list("credit_code", flat=True))
    enterprises = []
    for i in range(n_enterprises):
        code = random_credit_code(rng)
        while code in credit_codes:
            code = random_credit_code(rng)
        credit_codes.add(code)
        enterprises.append(
            {
                "id": enterprise_base + i,
                "credit_code": code,
                "name": f"江门市{rng.choice('恒信建鸿达华盛广安泰')}{rng.choice('业工程建设实业')}有限公司{i + 1}",
                "district": rng.choice(District.values),
                "contact_name": random_name(rng),
                "contact_phone": random_mobile(rng),
            }
        )
    step("enterprises", lambda: writer.write(Enterprise, enterprises))

    # Projects: 项目编码 = district + year + that district's sequence.
    project_base = writer.next_id(Project)
    codes_taken = set(Project.objects.values_list("code", flat=True))
    sequence: dict[str, int] = {}
    projects = []
    for i in range(scale.projects):
        district = District.values[i % len(District.values)]
        while True:
            sequence[district] = sequence.get(district, 9000) + 1
            code = f"{district}{month_start.year}{sequence[district]:04d}"
            if code not in codes_taken:
                break
        codes_taken.add(code)
        projects.append(
            {
                "id": project_base + i,
                "code": code,
                "name": f"{District(district).label}{rng.choice(['滨江', '北新', '五邑', '侨乡', '银湖', '潭江'])}"
                f"{rng.choice(['花园', '大厦', '产业园', '学校', '医院', '安置房'])}项目{i + 1}期",
                "category": ProjectCategory.BUILDING,
                "nature": ConstructionNature.NEW,
                "district": district,
                "address": f"江门市{District(district).label}{rng.randrange(1, 300)}号",
                "builder_name": enterprises[(3 * i) % n_enterprises]["name"],
                "builder_code": enterprises[(3 * i) % n_enterprises]["credit_code"],
                "contractor_name": enterprises[(3 * i + 1) % n_enterprises]["name"],
                "contractor_code": enterprises[(3 * i + 1) % n_enterprises]["credit_code"],
                "status": ProjectStatus.UNDER_CONSTRUCTION,
                "start_date": month_start - datetime.timedelta(days=400 + rng.randrange(300)),
                "contact_name": random_name(rng),
                "contact_phone": random_mobile(rng),
                "lat": Decimal("22.58") + Decimal(rng.randrange(0, 40000)) / Decimal(100000),
                "lng": Decimal("112.75") + Decimal(rng.randrange(0, 60000)) / Decimal(100000),
            }
        )
    step("projects", lambda: writer.write(Project, projects))
    big_project_id = project_base

    # Units (with their stays) and teams.
    unit_id = writer.next_id(ParticipatingUnit)
    stay_id = writer.next_id(UnitStay)
    team_id = writer.next_id(Team)
    units, stays, teams = [], [], []
    # project id → {"management": [(team_id, unit_id)], "worker": [...], "other": [...]}
    project_teams: dict[int, dict[str, list[tuple[int, int]]]] = {}
    for i, project in enumerate(projects):
        entry = project["start_date"]
        chosen = [enterprises[(3 * i + k) % n_enterprises] for k in range(len(UNIT_PLAN))]
        by_kind: dict[str, list[tuple[int, int]]] = {"management": [], "worker": [], "other": []}
        type_count: dict[str, int] = {}
        for (corp_type, n_teams, team_type), enterprise in zip(UNIT_PLAN, chosen, strict=True):
            units.append(
                {
                    "id": unit_id,
                    "project_id": project["id"],
                    "enterprise_id": enterprise["id"],
                    "corp_type": corp_type,
                    "entry_date": entry,
                    "pm_name": random_name(rng),
                    "pm_phone": random_mobile(rng),
                }
            )
            stays.append({"id": stay_id, "unit_id": unit_id, "entry_date": entry})
            stay_id += 1
            type_count[corp_type] = type_count.get(corp_type, 0) + 1
            suffix = "" if type_count[corp_type] == 1 else str(type_count[corp_type])
            teams.append(
                _team(
                    team_id,
                    project["id"],
                    unit_id,
                    MANAGEMENT_TEAM_NAMES[corp_type] + suffix,
                    TeamType.MANAGEMENT,
                    entry,
                )
            )
            by_kind["management"].append((team_id, unit_id))
            team_id += 1
            for k in range(n_teams):
                name = (
                    f"{WORKER_TEAM_NAMES[(k + i) % len(WORKER_TEAM_NAMES)]}{k + 1}"
                    if team_type == TeamType.WORKER
                    else f"综合班组{k + 1}"
                )
                teams.append(_team(team_id, project["id"], unit_id, name, team_type, entry, rng))
                by_kind["worker" if team_type == TeamType.WORKER else "other"].append((team_id, unit_id))
                team_id += 1
            unit_id += 1
        project_teams[project["id"]] = by_kind
    step("participating units", lambda: writer.write(ParticipatingUnit, units))
    step("unit stays", lambda: writer.write(UnitStay, stays))
    step("teams", lambda: writer.write(Team, teams))
    b.enterprises = enterprises
    b.projects = projects
    b.big_project_id = big_project_id
    b.units = units
    b.teams = teams
    b.project_teams = project_teams


def _team(team_id, project_id, unit_id, name, team_type, entry, rng=None) -> dict:
    row = {
        "id": team_id,
        "project_id": project_id,
        "unit_id": unit_id,
        "name": name,
        "team_type": team_type,
        "entry_date": entry,
    }
    if rng is not None:
        row.update(leader_name=random_name(rng), leader_phone=random_mobile(rng))
    return row
