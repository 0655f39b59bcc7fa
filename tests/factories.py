"""factory_boy factories with Faker zh_CN; identifiers carry real check digits."""

from __future__ import annotations

import random
from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from attendance.models import Device, Punch
from attendance.summaries import shanghai_work_date
from contracts.models import Contract
from enterprises.models import Enterprise, ParticipatingUnit, Team
from jmzhgd.accounts.models import Role, User
from jmzhgd.core.codes import (
    ConstructionNature,
    CorpType,
    District,
    PersonCategory,
    ProjectCategory,
    TeamType,
)
from jmzhgd.core.fakes import random_credit_code, random_id_number, random_mobile
from jmzhgd.core.validators import parse_id_number
from projects.models import Project
from workforce.models import PayCard, Person, RosterEntry

_rng = random.Random(11643)

TEST_PASSWORD = "Test@pass2026"


_issued_id_numbers: set[str] = set()


def id_number(**kwargs) -> str:
    """A valid ID number never handed out before in this test process.

    With a fixed birth date only ~13,000 numbers exist, so plain random draws collide (birthday
    paradox) once a test makes a few dozen persons.
    """
    if "birth" not in kwargs:
        # An unremarkable working-age adult (26-46 today): no age warning at entry, whatever the test
        # order draws. Tests about age limits pass birth= explicitly.
        kwargs["birth"] = date(1980, 1, 1) + timedelta(days=_rng.randrange(0, 365 * 21))
    for _ in range(1000):
        number = random_id_number(_rng, **kwargs)
        if number not in _issued_id_numbers:
            _issued_id_numbers.add(number)
            return number
    raise RuntimeError("ran out of distinct ID numbers for these constraints")


def credit_code() -> str:
    return random_credit_code(_rng)


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"44070320269{n:03d}")
    name = factory.Sequence(lambda n: f"测试项目{n}")
    category = ProjectCategory.BUILDING
    nature = ConstructionNature.NEW
    district = District.PENGJIANG
    address = factory.Faker("address", locale="zh_CN")
    builder_name = factory.Faker("company", locale="zh_CN")
    builder_code = factory.LazyFunction(credit_code)
    contractor_name = factory.Faker("company", locale="zh_CN")
    contractor_code = factory.LazyFunction(credit_code)
    contact_name = factory.Faker("name", locale="zh_CN")
    contact_phone = factory.LazyFunction(lambda: random_mobile(_rng))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Faker("name", locale="zh_CN")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SupervisorFactory(UserFactory):
    role = Role.SUPERVISOR


class ProjectUserFactory(UserFactory):
    role = Role.PROJECT
    project = factory.SubFactory(ProjectFactory)
    username = factory.LazyAttribute(lambda o: f"xm{o.project.code}")


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_superuser = True
    is_staff = True


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.LazyFunction(credit_code)
    name = factory.Sequence(lambda n: f"江门测试建筑工程有限公司{n}")
    legal_rep = factory.Faker("name", locale="zh_CN")


class UnitFactory(DjangoModelFactory):
    """A unit entered directly; use enterprises.services.enter_unit to get its management team too."""

    class Meta:
        model = ParticipatingUnit

    project = factory.SubFactory(ProjectFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    corp_type = CorpType.LABOUR_SUB
    entry_date = date(2026, 3, 1)
    pm_name = factory.Faker("name", locale="zh_CN")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    unit = factory.SubFactory(UnitFactory)
    project = factory.LazyAttribute(lambda o: o.unit.project)
    name = factory.Sequence(lambda n: f"钢筋班{n}")
    team_type = TeamType.WORKER
    leader_name = factory.Faker("name", locale="zh_CN")
    entry_date = date(2026, 3, 2)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    id_number = factory.LazyFunction(id_number)
    name = factory.Faker("name", locale="zh_CN")
    gender = factory.LazyAttribute(lambda o: parse_id_number(o.id_number).gender)
    birth_date = factory.LazyAttribute(lambda o: parse_id_number(o.id_number).birth_date)
    nation = "01"
    address = factory.Faker("address", locale="zh_CN")
    phone = factory.LazyFunction(lambda: random_mobile(_rng))


class RosterEntryFactory(DjangoModelFactory):
    class Meta:
        model = RosterEntry
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    unit = factory.LazyAttribute(lambda o: o.team.unit)
    project = factory.LazyAttribute(lambda o: o.team.project)
    person = factory.SubFactory(PersonFactory)
    category = PersonCategory.WORKER
    entry_date = date(2026, 3, 3)

    @factory.post_generation
    def card(obj, create, extracted, **kwargs):
        """`card="6217…"` (with `card__bank_name=`): the 工资卡 the entry's project pays him into."""
        if create and extracted:
            PayCard.objects.update_or_create(
                project=obj.project,
                person=obj.person,
                defaults={"bank_card_number": extracted, "bank_name": kwargs.get("bank_name", "")},
            )


class DeviceFactory(DjangoModelFactory):
    class Meta:
        model = Device

    project = factory.SubFactory(ProjectFactory)
    serial_number = factory.Sequence(lambda n: f"SN-TEST-{n:05d}")
    vendor = "测试厂商"
    name = factory.Sequence(lambda n: f"{n}号闸机")


class PunchFactory(DjangoModelFactory):
    """A matched punch of a roster entry; pass `punched_at` (aware) and the work date follows it."""

    class Meta:
        model = Punch

    roster_entry = factory.SubFactory(RosterEntryFactory)
    project = factory.LazyAttribute(lambda o: o.roster_entry.project if o.roster_entry else ProjectFactory())
    person = factory.LazyAttribute(lambda o: o.roster_entry.person if o.roster_entry else None)
    id_number = factory.LazyAttribute(lambda o: o.person.id_number if o.person else id_number())
    name_as_sent = factory.LazyAttribute(lambda o: o.person.name if o.person else "未知人员")
    punched_at = factory.LazyFunction(timezone.now)
    work_date = factory.LazyAttribute(lambda o: shanghai_work_date(o.punched_at))
    direction = "01"


class ContractFactory(DjangoModelFactory):
    """A fixed-term labour contract of a roster entry, signed with the worker's own unit."""

    class Meta:
        model = Contract

    roster_entry = factory.SubFactory(RosterEntryFactory)
    project = factory.LazyAttribute(lambda o: o.roster_entry.project)
    person = factory.LazyAttribute(lambda o: o.roster_entry.person)
    unit = factory.LazyAttribute(lambda o: o.roster_entry.unit)
    start_date = date(2026, 3, 3)
    end_date = date(2027, 3, 2)
