"""人员进场 (docs/requirements.md §7): the one entry action, checked for every request with a constant number of queries,
then all or none written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from enterprises.models import ParticipatingUnit, Team
from enterprises.services import check_team_accepts_entry
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import District, Gender, PersonCategory, ProjectCategory
from jmzhgd.core.models import ManagementPost, WorkType
from jmzhgd.core.signals import records_changed

from ..hooks import entry_checking
from ..models import Person, RosterEntry


@dataclass
class EntryRequest:
    """One person to enter: the wizard's step 2, one Excel row, or one API call."""

    person: Person
    unit: ParticipatingUnit
    team: Team
    category: str  # PersonCategory
    work_type: WorkType | None = None
    post: ManagementPost | None = None
    entry_date: date = field(default_factory=timezone.localdate)
    is_team_leader: bool = False


@dataclass
class EntryCheck:
    """Problems per request index: errors refuse the entry, warnings need the user's confirmation."""

    errors: dict[int, list[str]] = field(default_factory=dict)
    warnings: dict[int, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_messages(self) -> list[str]:
        return [m for index in sorted(self.errors) for m in self.errors[index]]

    def warning_messages(self) -> list[str]:
        return [m for index in sorted(self.warnings) for m in self.warnings[index]]


class EntryRefused(ValidationError):
    """Entry refused as a whole; `.check` says which request failed and why."""

    def __init__(self, check: EntryCheck):
        self.check = check
        messages = check.error_messages() or check.warning_messages()
        super().__init__(messages or ["人员进场未通过校验。"])


def _max_age(person: Person) -> int | None:
    if person.gender == Gender.MALE:
        return settings.WORKER_MAX_AGE_MALE
    if person.gender == Gender.FEMALE:
        return settings.WORKER_MAX_AGE_FEMALE
    return None


def on_site_elsewhere(project, person_ids) -> dict[int, str]:
    """Person id → where the person is on site in other projects, as 「该工人目前在…在场」.

    Another project is named only by its district and 项目分类 (「蓬江区某房屋建筑工程项目」): the
    entering project learns that the worker is busy elsewhere, not which project it is (docs/requirements.md §1,
    a project sees nothing of other projects). One query for any number of persons."""
    stays = (
        RosterEntry.objects.on_site()
        .filter(person_id__in=set(person_ids))
        .exclude(project=project)
        .values_list("person_id", "project__district", "project__category")
        .order_by("person_id", "project__district", "project__category")
    )
    districts, categories = dict(District.choices), dict(ProjectCategory.choices)
    places: dict[int, list[str]] = {}
    for person_id, district, category in stays:
        kind = categories.get(category, "")
        kind = "" if category == ProjectCategory.OTHER else kind
        place = f"{districts.get(district, '江门市')}某{kind}项目"
        if place not in places.setdefault(person_id, []):
            places[person_id].append(place)
    return {person_id: f"该工人目前在{'、'.join(where)}在场" for person_id, where in places.items()}


def check_entries(project, requests: list[EntryRequest], *, today: date | None = None) -> EntryCheck:
    """Every entry rule for every request, with a constant number of queries.

    Errors: unit/team not of this project or not matching; the order rules of
    enterprises.services.check_team_accepts_entry; 工种 / 岗位 missing or a 岗位 not offered for the
    unit's type; already on site in this project; re-entry before the last exit; the same person
    twice in the list; under settings.WORKER_MIN_AGE. Warnings: an expired ID, above the age limit,
    on site in another project (on_site_elsewhere).
    """
    today = today or timezone.localdate()
    check = EntryCheck()

    def problem(kind: dict, index: int, person: Person, message: str) -> None:
        kind.setdefault(index, []).append(f"{person}：{message}")

    # Everything the rules need, in bulk: teams with their unit and enterprise, open and past stays.
    teams = Team.objects.filter(project=project, pk__in={r.team.pk for r in requests if r.team})
    teams = {t.pk: t for t in teams.select_related("unit__enterprise")}
    person_ids = {r.person.pk for r in requests if r.person and r.person.pk}
    stays = RosterEntry.objects.filter(project=project, person_id__in=person_ids)
    on_site = set(stays.filter(exit_date__isnull=True).values_list("person_id", flat=True))
    last_exit = dict(
        stays.filter(exit_date__isnull=False)
        .values("person_id")
        .annotate(last=Max("exit_date"))
        .values_list("person_id", "last")
    )
    elsewhere = on_site_elsewhere(project, person_ids)
    seen: dict[int, int] = {}

    for index, request in enumerate(requests):
        person, errors = request.person, check.errors
        if person is None or person.pk is None:
            check.errors.setdefault(index, []).append("人员不在人员库中，请先采集或录入人员信息。")
            continue
        if person.pk in seen:
            problem(errors, index, person, f"在本次进场名单中重复出现（与第{seen[person.pk] + 1}人重复）。")
            continue
        seen[person.pk] = index
        if person.pk in on_site:
            problem(errors, index, person, "已在本项目在场，不能重复进场。")
        elif person.pk in last_exit and request.entry_date < last_exit[person.pk]:
            problem(
                errors,
                index,
                person,
                f"再次进场日期（{request.entry_date:%Y-%m-%d}）不能早于上次退场日期（{last_exit[person.pk]:%Y-%m-%d}）。",
            )

        team = teams.get(request.team.pk) if request.team else None
        if team is None or request.unit is None or team.unit_id != request.unit.pk:
            problem(errors, index, person, "所属企业或所属班组不属于本项目，或班组不属于该企业。")
            continue
        if request.category not in PersonCategory.values:
            problem(errors, index, person, "人员类别不正确（建筑工人、其他人员或管理人员）。")
            continue
        try:
            check_team_accepts_entry(team, request.entry_date, request.category)
        except ValidationError as exc:
            for message in exc.messages:
                problem(errors, index, person, message)
        if request.category == PersonCategory.MANAGER:
            if request.post is None:
                problem(errors, index, person, "管理人员须选择岗位。")
            elif not request.post.applies_to(team.unit.corp_type):
                problem(
                    errors,
                    index,
                    person,
                    f"岗位“{request.post.name}”不适用于{team.unit.get_corp_type_display()}单位"
                    f"（适用：{request.post.corp_type_labels}）。",
                )
        elif request.work_type is None:
            problem(errors, index, person, f"{PersonCategory(request.category).label}须选择工种。")

        age = person.age_on(request.entry_date)
        if age is not None and age < settings.WORKER_MIN_AGE:
            problem(
                errors, index, person, f"进场时年龄{age}岁，未满{settings.WORKER_MIN_AGE}周岁，不能进场。"
            )
        limit = _max_age(person)
        if age is not None and limit is not None and age > limit:
            problem(
                check.warnings,
                index,
                person,
                f"进场时年龄{age}岁，超过{person.get_gender_display()}性{limit}岁的年龄上限，请确认。",
            )
        if person.id_valid_to is not None and person.id_valid_to < request.entry_date:
            problem(check.warnings, index, person, f"证件已于{person.id_valid_to:%Y-%m-%d}过期，请确认。")
        if person.pk in elsewhere:
            problem(check.warnings, index, person, f"{elsewhere[person.pk]}，请确认。")
    # The rules of the floors above (training before entry, certificates): workforce.hooks.
    entry_checking.send(sender=None, project=project, requests=requests, check=check)
    return check


def enter_persons(
    actor: Actor, project, requests: list[EntryRequest], *, confirm_warnings: bool = False
) -> list[RosterEntry]:
    """Enter every request into `project`'s roster, or none of them.

    Raises EntryRefused when any request has an error, or has a warning and `confirm_warnings` is
    not set. The partial unique index one_open_stay_per_project is the last word when two requests
    race: the loser's whole step is refused.
    """
    if not requests:
        raise EntryRefused(EntryCheck(errors={0: ["请至少选择一名人员。"]}))
    with transaction.atomic():
        # Lock the persons so a concurrent entry of the same person waits for this one.
        list(Person.objects.select_for_update().filter(pk__in=[r.person.pk for r in requests]).values("pk"))
        check = check_entries(project, requests)
        if not check.ok or (check.warnings and not confirm_warnings):
            raise EntryRefused(check)
        entries = [
            RosterEntry(
                project=project,
                person=r.person,
                unit=r.unit,
                team=r.team,
                category=r.category,
                work_type=None if r.category == PersonCategory.MANAGER else r.work_type,
                post=r.post if r.category == PersonCategory.MANAGER else None,
                is_team_leader=r.is_team_leader,
                entry_date=r.entry_date,
            )
            for r in requests
        ]
        try:
            with transaction.atomic():
                created = RosterEntry.objects.bulk_create(entries, batch_size=500)
        except IntegrityError:
            raise EntryRefused(EntryCheck(errors={0: ["有人员刚刚被他人办理进场，请刷新后重试。"]})) from None
        audit.record_many(
            [
                audit.build(
                    actor,
                    "roster.enter",
                    entry,
                    project=project,
                    summary=f"人员进场：{request.person}，{request.team.name}，{entry.role_label}",
                    after={
                        "person": str(request.person),
                        "unit": str(request.unit),
                        "team": request.team.name,
                        "category": entry.get_category_display(),
                        "work_type_or_post": entry.role_label,
                        "is_team_leader": entry.is_team_leader,
                        "entry_date": entry.entry_date,
                    },
                )
                for entry, request in zip(created, requests, strict=True)
            ]
        )
        records_changed.send(RosterEntry, project_ids=[project.pk])  # bulk_create sends no post_save
        return created
