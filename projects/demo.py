"""Demo projects in Jiangmen, each with its project account."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from jmzhgd.accounts.models import Role, User
from jmzhgd.core.codes import ConstructionNature, District, ProjectCategory, ProjectStatus
from jmzhgd.core.fakes import random_credit_code

from .models import Declaration, DeclarationStatus, Project
from .services import create_project


def demo_credit_code(enterprise_name: str) -> str:
    """The same demo enterprise always gets the same credit code (it is one enterprise in the library)."""
    return random_credit_code(random.Random(enterprise_name))


DEMO_PROJECTS = [
    # name, district, category, address, builder, contractor, lat, lng
    (
        "江门滨江新区安置房一期工程",
        District.PENGJIANG,
        ProjectCategory.BUILDING,
        "江门市蓬江区滨江大道88号",
        "江门市滨江建设投资有限公司",
        "广东江粤建筑工程有限公司",
        "22.601520",
        "113.083512",
    ),
    (
        "新会区银湖湾市政道路改造工程",
        District.XINHUI,
        ProjectCategory.MUNICIPAL,
        "江门市新会区银湖大道西段",
        "江门市新会区城市建设投资有限公司",
        "广东五邑路桥建设有限公司",
        "22.458930",
        "113.032204",
    ),
    (
        "台山市人民医院住院综合楼",
        District.TAISHAN,
        ProjectCategory.BUILDING,
        "台山市台城桥湖路",
        "台山市人民医院",
        "江门市侨乡建筑工程有限公司",
        "22.251630",
        "112.794150",
    ),
]
DEMO_PROJECT_PASSWORD = "Xm@2026demo"


def demo_project_code(district: str) -> str:
    """The demo project's fixed 项目编码 (its district's first of 2026): what seeding keys on, since a
    name can be edited on the project page and the code never changes."""
    return f"{district}20260001"


def seed(demo) -> None:
    projects = []
    for name, district, category, address, builder, contractor, lat, lng in DEMO_PROJECTS:
        code = demo_project_code(district)
        project = Project.objects.filter(code=code).first()
        if project is None:
            project = create_project(
                demo.actor,
                code=code,
                name=name,
                district=district,
                category=category,
                nature=ConstructionNature.NEW,
                address=address,
                builder_name=builder,
                builder_code=demo_credit_code(builder),
                contractor_name=contractor,
                contractor_code=demo_credit_code(contractor),
                total_investment=Decimal(demo.rng.randrange(8000, 90000)),
                building_area=Decimal(demo.rng.randrange(20000, 160000)),
                start_date=date(2026, 3, 1),
                planned_completion_date=date(2028, 6, 30),
                contact_name="项目联系人",
                contact_phone="13800138000",
                status=ProjectStatus.UNDER_CONSTRUCTION,
                lat=Decimal(lat),
                lng=Decimal(lng),
                description=f"{name}，江门市智慧工地实名制演示项目。",
            )
        account = User.objects.filter(project=project, role=Role.PROJECT).first()
        existing = account is not None
        if account is None:
            from .services import issue_project_account

            account, _ = issue_project_account(demo.actor, project)
        # Demo accounts get a known password (an issued account would have a one-time one).
        if not (existing and demo.keep_passwords):
            account.set_password(DEMO_PROJECT_PASSWORD)
        account.must_change_password = False
        account.save()
        demo.logins.append(("项目账号", account.username, DEMO_PROJECT_PASSWORD))
        projects.append(project)
    demo.shared["projects"] = projects
    seed_declarations(demo)


# Declarations in each state of the review: one waiting, one approved (its project and account are
# made by the same action a supervisor's 【通过】 runs), one rejected with its reason.
DEMO_DECLARATIONS = [
    # name, district, address, builder, contractor, state, reject reason
    (
        "江海区高新科技产业园标准厂房",
        District.JIANGHAI,
        "江门市江海区高新西路",
        "江门市江海区产业投资有限公司",
        "广东五邑建工集团有限公司",
        DeclarationStatus.PENDING,
        "",
    ),
    (
        "开平市碉楼文化旅游服务中心",
        District.KAIPING,
        "开平市塘口镇",
        "开平市文旅投资发展有限公司",
        "江门市侨乡建筑工程有限公司",
        DeclarationStatus.APPROVED,
        "",
    ),
    (
        "鹤山市沙坪河堤岸整治工程",
        District.HESHAN,
        "鹤山市沙坪街道",
        "鹤山市水务投资有限公司",
        "广东鹤城水利建设有限公司",
        DeclarationStatus.REJECTED,
        "施工许可证号与附件不一致，请核对后重新申报。",
    ),
]


def seed_declarations(demo) -> None:
    from .services import approve_declaration, reject_declaration, submit_declaration

    supervisor = User.objects.filter(username="jgf").first()
    reviewer = demo.actor if supervisor is None else type(demo.actor)(user=supervisor, ip="127.0.0.1")
    for name, district, address, builder, contractor, state, reason in DEMO_DECLARATIONS:
        if Declaration.objects.filter(name=name).exists():
            continue
        declaration = submit_declaration(
            type(demo.actor)(ip=None, label="申报人 演示"),
            {
                "name": name,
                "category": ProjectCategory.BUILDING,
                "nature": ConstructionNature.NEW,
                "district": district,
                "address": address,
                "builder_name": builder,
                "builder_code": demo_credit_code(builder),
                "contractor_name": contractor,
                "contractor_code": demo_credit_code(contractor),
                "permit_number": f"440700{demo.rng.randrange(10**11, 10**12)}",
                "total_investment": Decimal(demo.rng.randrange(3000, 30000)),
                "building_area": Decimal(demo.rng.randrange(8000, 60000)),
                "start_date": date(2026, 9, 1),
                "planned_completion_date": date(2028, 3, 31),
                "contact_name": "申报联系人",
                "contact_phone": "13900139000",
                "description": f"{name}（演示申报）。",
            },
        )
        if state == DeclarationStatus.APPROVED:
            _project, account, _password = approve_declaration(reviewer, declaration.pk)
            account.set_password(DEMO_PROJECT_PASSWORD)
            account.must_change_password = False
            account.save()
        elif state == DeclarationStatus.REJECTED:
            reject_declaration(reviewer, declaration.pk, reason)
    for declaration in Declaration.objects.filter(
        status=DeclarationStatus.APPROVED, name__in=[d[0] for d in DEMO_DECLARATIONS]
    ):
        account = User.objects.filter(project=declaration.project, role=Role.PROJECT).first()
        if account is not None:
            demo.logins.append(("项目账号", account.username, DEMO_PROJECT_PASSWORD))
    numbers = ", ".join(
        Declaration.objects.filter(status=DeclarationStatus.PENDING).values_list("number", flat=True)[:3]
    )
    if numbers:
        demo.write(f"待审核的演示申报：{numbers}（联系电话 13900139000）")
