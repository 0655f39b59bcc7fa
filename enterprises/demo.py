"""Demo participating units of several types, each with its management team, and worker teams."""

from __future__ import annotations

from datetime import date

from jmzhgd.core.codes import CorpType, EnterpriseRegType, TeamType
from jmzhgd.core.fakes import random_credit_code, random_mobile, random_name

from .models import ParticipatingUnit, Team
from .services import enter_unit, find_or_register_enterprise

EXTRA_UNITS = [
    ("江门市建设工程监理有限公司", CorpType.SUPERVISION),
    ("江门市五邑劳务分包有限公司", CorpType.LABOUR_SUB),
    ("广东华安机电安装工程有限公司", CorpType.PROFESSIONAL_SUB),
]
WORKER_TEAMS = ["钢筋班", "木工班", "混凝土班", "砌筑班", "水电安装班"]


def seed(demo) -> None:
    for project in demo.shared.get("projects", []):
        if ParticipatingUnit.objects.filter(project=project).exists():
            continue
        units = []
        entries = [
            (project.builder_code, project.builder_name, CorpType.BUILDER),
            (project.contractor_code, project.contractor_name, CorpType.GENERAL_CONTRACTOR),
        ] + [(random_credit_code(demo.rng), name, corp_type) for name, corp_type in EXTRA_UNITS]
        for code, name, corp_type in entries:
            enterprise, _ = find_or_register_enterprise(
                demo.actor,
                code,
                name,
                reg_type=EnterpriseRegType.PRIVATE_LIMITED,
                legal_rep=random_name(demo.rng),
                district=project.district,
                contact_name=random_name(demo.rng),
                contact_phone=random_mobile(demo.rng),
            )
            units.append(
                enter_unit(
                    demo.actor,
                    project,
                    enterprise,
                    corp_type,
                    date(2026, 3, 1),
                    pm_name=random_name(demo.rng),
                    pm_phone=random_mobile(demo.rng),
                )
            )
        labour, specialist = units[3], units[4]
        for index, team_name in enumerate(WORKER_TEAMS):
            unit = specialist if team_name == "水电安装班" else labour
            Team.objects.create(
                project=project,
                unit=unit,
                name=team_name,
                team_type=TeamType.WORKER,
                leader_name=random_name(demo.rng),
                leader_phone=random_mobile(demo.rng),
                entry_date=date(2026, 3, 2 + index),
            )
        Team.objects.create(
            project=project,
            unit=labour,
            name="后勤保洁组",
            team_type=TeamType.OTHER,
            leader_name=random_name(demo.rng),
            entry_date=date(2026, 3, 5),
        )
