"""Who may change a shared person of the 人员库 (docs/requirements.md §7; docs/architecture.md pattern 10; docs/security.md).

The 人员库 is city-wide: every project reads it to choose whom to enter, but entering a worker is
not an entitlement to rewrite him. His identity (name, gender and birth date, nation, address,
issuing authority, ID validity, the ID card images, face photo, phone) is changed only by

- the project that holds him: the project of his only open stay; with no open stay, the project of
  his latest stay; nobody holds a person who has never been on a roster (just collected, or loaded
  from the old platform), so any project may complete him;
- an ID-card read (the API's `idCardRead`) by a project that has him on site, for the fields the
  card itself carries (CARD_READ_FIELDS): not the face photo the attendance devices match against,
  nor the phone the worker's self-service relies on;
- a supervisor, by accepting a proposal;
- the platform itself (`project=None`: the legacy import command).

His other details (education, marital status, emergency contact, medical history) are changed by
any project that has him on site. Whatever a project may not change is not applied: it is kept as
a proposal (workforce.services.proposals) for the holder or a supervisor to accept or reject.

The 工资卡 is not part of the person at all: each project holds its own (workforce.models.PayCard).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Person, RosterEntry

IDENTITY_FIELDS = frozenset(
    {
        "name",
        "gender",
        "birth_date",
        "nation",
        "address",
        "issuing_authority",
        "id_valid_from",
        "id_valid_to",
        "phone",
        "photo",
        "id_front_image",
        "id_back_image",
    }
)
# What an ID-card reader reads off the card (and its chip) may overwrite: the card is the authority
# for its own fields. The face photo (matched by every project's devices) and the phone (the worker's
# self-service factor) are not on the card, so a read proposes them like any other change.
CARD_READ_FIELDS = frozenset(
    {
        "name",
        "gender",
        "birth_date",
        "nation",
        "address",
        "issuing_authority",
        "id_valid_from",
        "id_valid_to",
        "id_front_image",
        "id_back_image",
    }
)


@dataclass
class Holding:
    """Where a person stands: the projects where he is on site and the project that holds him."""

    on_site: list[int] = field(default_factory=list)
    holder: int | None = None  # the project entitled to change his identity
    ever_rostered: bool = False

    def describe(self) -> str:
        """Who maintains him, as the answer tells a project that may not (naming no project)."""
        if len(self.on_site) > 1:
            return "此人同时在多个项目在场，其身份信息由监管部门维护"
        if self.on_site:
            return "此人由其在场项目维护"
        return "此人目前不在任何项目在场，其信息由其最后所在项目维护"


def holding_of(person: Person) -> Holding:
    stays = list(
        RosterEntry.objects.filter(person=person)
        .order_by("-entry_date", "-id")
        .values_list("project_id", "exit_date")
    )
    on_site = sorted({project_id for project_id, exit_date in stays if exit_date is None})
    if len(on_site) == 1:
        holder = on_site[0]
    elif not on_site and stays:
        holder = stays[0][0]
    else:
        holder = None
    return Holding(on_site=on_site, holder=holder, ever_rostered=bool(stays))


def may_decide(holding: Holding, project) -> bool:
    """Whether `project` (None: a supervisor) may accept or reject a proposal for the person."""
    return project is None or holding.holder == project.pk


@dataclass
class Decision:
    apply: set[str]
    propose: set[str]
    holding: Holding
    outsider: bool = False  # the caller neither holds him nor has him on site


def is_outsider(holding: Holding, project) -> bool:
    return (
        project is not None
        and holding.ever_rostered
        and holding.holder != project.pk
        and project.pk not in holding.on_site
    )


def decide_change(person: Person, project, changed: set[str], *, card_read: bool = False) -> Decision:
    """Split the `changed` fields of a stored `person` into those `project` may apply and those it
    may only propose."""
    holding = holding_of(person)
    if is_outsider(holding, project):
        return Decision(set(), set(changed), holding, outsider=True)
    if project is None or not changed:
        return Decision(set(changed), set(), holding)
    if holding.holder == project.pk or not holding.ever_rostered:
        return Decision(set(changed), set(), holding)
    apply: set[str] = set()
    if project.pk in holding.on_site:
        apply |= changed - IDENTITY_FIELDS
        if card_read:
            apply |= changed & CARD_READ_FIELDS
    return Decision(apply, set(changed) - apply, holding)


def changed_fields(person: Person, values: dict, file_fields) -> set[str]:
    """The keys of `values` that would change `person`; a new file always does."""
    return {key for key, value in values.items() if key in file_fields or getattr(person, key) != value}


def field_labels(keys) -> str:
    order = [f.name for f in Person._meta.get_fields()]
    names = sorted(keys, key=lambda k: order.index(k) if k in order else len(order))
    return "、".join(str(Person._meta.get_field(key).verbose_name) for key in names)


OUTSIDER_MESSAGE = (
    "此人由其所在项目维护：您填写的人员信息未直接修改，已作为修改申请提交，经其维护项目或监管部门核实后生效。"
)


def proposed_message(holding: Holding, keys, *, outsider: bool = False) -> str:
    """The Chinese answer for a change kept as a proposal (page message and the API's field).

    To a project that has him on site it names what differed. To an outsider it is one sentence
    whatever was sent, so the answer never tells whether a name (or anything else) matches the ID
    number of a person it does not employ."""
    if outsider:
        return OUTSIDER_MESSAGE
    return (
        f"{holding.describe()}：您填写的{field_labels(keys)}与人员库不一致，未直接修改，"
        "已作为修改申请提交，经其维护项目或监管部门采纳后生效。"
    )
