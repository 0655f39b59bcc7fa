"""批量人员进场: every row validated, with all lookups in bulk and the wizard's own entry rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.codes import PersonCategory, TeamType
from jmzhgd.core.models import ManagementPost, WorkType
from jmzhgd.core.pii import id_digest, mask_id
from jmzhgd.core.validators import normalise_text, validate_name

from ..models import Person, RosterEntry
from ..services import EntryRequest, check_entries
from .cells import read_category, read_date, read_id_number, read_id_type, read_yes_no
from .read import RawRow, _blank
from .shape import (
    COL_CATEGORY,
    COL_ENTRY,
    COL_ENTRY_DATE,
    COL_ID_NUMBER,
    COL_ID_TYPE,
    COL_LEADER,
    COL_NAME,
    COL_ROLE,
    COL_TEAM,
    COL_UNIT,
    NOT_IN_LIBRARY,
    _key,
)
from .template import _ambiguous_names, unit_label

# The same words whether the name in the file fits the number or not (docs/security.md "Shared persons").
NAME_NOT_CHECKED = "此人由其他项目维护，进场后以人员库登记的身份信息为准，请核对证件号码确为本人"


@dataclass
class RowResult:
    number: int
    name: str = ""
    id_masked: str = ""
    # The ID cell holds something that is not a valid number (check digit, length, ...): the report
    # has no mask to show, so the page shows the typed value to the importing project instead.
    id_wrong: bool = False
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    request: EntryRequest | None = None
    id_key: tuple[str, str] | None = None

    def fail(self, column: str, reason: str) -> None:
        self.errors.append((column, reason.rstrip("。")))

    @property
    def status(self) -> str:
        if self.errors:
            return "error"
        return "warning" if self.warnings else "ok"

    def as_report(self) -> dict:
        return {
            "row": self.number,
            "name": self.name,
            "id": self.id_masked,
            "id_wrong": self.id_wrong,
            "status": self.status,
            "errors": [list(e) for e in self.errors],
            "warnings": [list(w) for w in self.warnings],
        }


class _Lookups:
    """Everything the rows refer to, loaded once for the whole file."""

    def __init__(self, project, id_keys: set[tuple[str, str]]):
        units = list(ParticipatingUnit.objects.filter(project=project).select_related("enterprise"))
        ambiguous = _ambiguous_names(units)
        self.units: dict[str, list[ParticipatingUnit]] = {}
        for unit in units:
            for text in {
                unit.enterprise.name,
                unit_label(unit, ambiguous),
                str(unit),
                unit.enterprise.credit_code,
            }:
                self.units.setdefault(_key(text), []).append(unit)
        self.teams: dict[tuple[int, str], Team] = {}
        self.management_team: dict[int, Team] = {}
        self.team_units: dict[str, set[str]] = {}
        for team in Team.objects.filter(project=project).select_related("unit__enterprise"):
            self.teams[(team.unit_id, _key(team.name))] = team
            self.team_units.setdefault(_key(team.name), set()).add(team.unit.enterprise.name)
            if team.team_type == TeamType.MANAGEMENT:
                self.management_team[team.unit_id] = team
        self.work_types = {}
        for work_type in WorkType.objects.filter(is_active=True):
            self.work_types.setdefault(_key(work_type.name), work_type)
            self.work_types.setdefault(_key(work_type.code), work_type)
        self.posts = {}
        for post in ManagementPost.objects.filter(is_active=True):
            self.posts.setdefault(_key(post.name), post)
            self.posts.setdefault(_key(post.code), post)
        digests = {id_digest(number) for _, number in id_keys}
        persons = Person.objects.filter(id_number_digest__in=digests).defer("id_number")
        self.persons = {(p.id_type, p.id_number_digest): p for p in persons}
        # Whose name the file may be checked against: a person this project has had on its roster, or
        # one nobody ever had (the rule of workforce.person_rights for who may speak of him). For a
        # worker of other projects only, the answer must not confirm whether a name fits a number.
        stays = RosterEntry.objects.filter(person__in=list(self.persons.values())).values_list(
            "person_id", "project_id"
        )
        rostered, here = set(), set()
        for person_id, project_id in stays:
            rostered.add(person_id)
            if project_id == project.pk:
                here.add(person_id)
        self.name_checked = {p.pk for p in self.persons.values() if p.pk in here or p.pk not in rostered}

    def person(self, id_type: str, number: str) -> Person | None:
        return self.persons.get((id_type, id_digest(number)))

    def unit(self, value: object) -> ParticipatingUnit:
        if _blank(value):
            raise ValidationError("请选择所属企业")
        found = self.units.get(_key(value), [])
        if len(found) > 1:
            on_site = [u for u in found if u.is_on_site]
            found = on_site if len(on_site) == 1 else found
        if not found:
            raise ValidationError(f"“{normalise_text(value)}”不是本项目的参建单位")
        if len(found) > 1:
            raise ValidationError(
                f"“{normalise_text(value)}”在本项目有多个参建身份，请从下拉列表选择带类型的名称"
            )
        return found[0]

    def team(self, value: object, unit: ParticipatingUnit, category: str | None) -> Team:
        if _blank(value):
            if category == PersonCategory.MANAGER and unit.pk in self.management_team:
                return self.management_team[unit.pk]
            raise ValidationError("请选择所属班组")
        team = self.teams.get((unit.pk, _key(value)))
        if team is None and category == PersonCategory.MANAGER and _key(value) == _key(unit.enterprise.name):
            team = self.management_team.get(unit.pk)
        if team is None:
            owners = self.team_units.get(_key(value))
            if owners:
                raise ValidationError(
                    f"班组“{normalise_text(value)}”不属于“{unit.enterprise.name}”（属于{'、'.join(sorted(owners))}）"
                )
            raise ValidationError(f"本项目没有名为“{normalise_text(value)}”的班组")
        return team

    def role(self, value: object, category: str):
        if _blank(value):
            raise ValidationError(
                "管理人员须填写岗位" if category == PersonCategory.MANAGER else "请填写工种"
            )
        if category == PersonCategory.MANAGER:
            post = self.posts.get(_key(value))
            if post is None:
                raise ValidationError(
                    f"“{normalise_text(value)}”不是管理岗位，管理人员请填写岗位（如 项目经理）"
                )
            return post
        work_type = self.work_types.get(_key(value))
        if work_type is None:
            raise ValidationError(f"“{normalise_text(value)}”不是工种名称，请从下拉列表选择")
        return work_type


def _guard(row: RowResult, column: str, read, *args, **kwargs):
    """Run one cell reader; a problem is recorded against the row and the column, not raised."""
    try:
        return read(*args, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            row.fail(column, message)
        return None


def validate_rows(project, raw_rows: list[RawRow], *, today: date | None = None) -> list[RowResult]:
    """Every row of the file, each with its problems, and an EntryRequest for the rows that parsed.

    Queries: a fixed handful for the lookups plus check_entries' own, whatever the row count.
    """
    today = today or timezone.localdate()
    results: list[RowResult] = []
    first_seen: dict[tuple[str, str], int] = {}
    for raw in raw_rows:
        row = RowResult(number=raw.number, name=normalise_text(raw.values[COL_NAME]))
        if not row.name:
            row.fail(COL_NAME, "请填写姓名")
        _guard(row, COL_NAME, validate_name, raw.values[COL_NAME], COL_NAME)
        id_type = _guard(row, COL_ID_TYPE, read_id_type, raw.values[COL_ID_TYPE])
        if id_type is not None:
            if _blank(raw.values[COL_ID_NUMBER]):
                row.fail(COL_ID_NUMBER, "请填写证件号码")
            else:
                number = _guard(row, COL_ID_NUMBER, read_id_number, raw.values[COL_ID_NUMBER], id_type)
                row.id_wrong = number is None
                if number:
                    row.id_masked = mask_id(number)
                    key = (id_type, number)
                    if key in first_seen:
                        row.fail(COL_ID_NUMBER, f"与第{first_seen[key]}行重复，同一人员在文件中只能出现一次")
                    else:
                        first_seen[key] = row.number
                        row.id_key = key
        results.append(row)

    lookups = _Lookups(project, {r.id_key for r in results if r.id_key})
    for raw, row in zip(raw_rows, results, strict=True):
        person = None
        if row.id_key:
            person = lookups.person(*row.id_key)
            if person is None:
                row.fail(COL_ID_NUMBER, NOT_IN_LIBRARY)
            elif person.pk not in lookups.name_checked:
                row.warnings.append((COL_NAME, NAME_NOT_CHECKED))
            elif row.name and _key(person.name) != _key(row.name):
                row.fail(COL_NAME, "姓名与人员库中该证件号码登记的姓名不一致，请核对")
        category = _guard(row, COL_CATEGORY, read_category, raw.values[COL_CATEGORY])
        unit = _guard(row, COL_UNIT, lookups.unit, raw.values[COL_UNIT])
        team = _guard(row, COL_TEAM, lookups.team, raw.values[COL_TEAM], unit, category) if unit else None
        role = _guard(row, COL_ROLE, lookups.role, raw.values[COL_ROLE], category) if category else None
        leader = _guard(row, COL_LEADER, read_yes_no, raw.values[COL_LEADER])
        entry_date = _guard(row, COL_ENTRY_DATE, read_date, raw.values[COL_ENTRY_DATE], default=today)
        if not row.errors:
            row.request = EntryRequest(
                person=person,
                unit=unit,
                team=team,
                category=category,
                work_type=None if category == PersonCategory.MANAGER else role,
                post=role if category == PersonCategory.MANAGER else None,
                entry_date=entry_date,
                is_team_leader=bool(leader),
            )

    # The wizard's rules, for the rows that got this far (docs/architecture.md pattern 4).
    checked = [row for row in results if row.request is not None]
    check = check_entries(project, [row.request for row in checked], today=today)
    for index, row in enumerate(checked):
        prefix = f"{row.request.person}："
        for message in check.errors.get(index, []):
            row.fail(COL_ENTRY, message.removeprefix(prefix))
        for message in check.warnings.get(index, []):
            row.warnings.append((COL_ENTRY, message.removeprefix(prefix).rstrip("。")))
        if row.errors:
            row.request = None
    return results


def format_problem(row_number: int, column: str, reason: str) -> str:
    return f"第{row_number}行 {column}: {reason}"
