"""工人自助查询: find the worker by 姓名 + 身份证号 + 手机号后4位 and show him only his own records.

No enumeration: an unknown ID number and a known one with a wrong name or phone take the same path
(one indexed lookup by digest, both comparisons in constant time) and answer the same neutral
message. Lookups are rate-limited per IP (settings.RATE_LIMITS) and per ID number (here), and every
lookup is audited with the ID number masked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from jmzhgd.core import audit, ratelimit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import IdCardType
from jmzhgd.core.months import month_back
from jmzhgd.core.pii import id_digest, mask_id

from .matching import identity_matches

NOT_FOUND = "未找到与填写信息一致的记录。请核对姓名、身份证号和手机号后4位；如有疑问，请联系项目劳资专管员。"


class _Nobody:
    """Compared against when no person has the number, so that path does the same work."""

    name = "\u0000" * 4
    phone_last4 = "\u0000" * 4


@dataclass
class Stay:
    entry: object  # RosterEntry
    days_this_month: int = 0
    days_last_month: int = 0
    contract: object | None = None  # the latest Contract of the stay
    card: str = ""  # the 工资卡 this project pays him into: bank and last 4 digits only


@dataclass(frozen=True)
class WageLine:
    """His row on a 工资支付表: amounts, whether it is paid, and the card by its last 4 digits only."""

    month: datetime.date
    project_name: str
    team_name: str
    total_amount: Decimal
    actual_amount: Decimal
    paid: bool
    card_last4: str
    signature: str = ""  # his own word on the line: 已电子签名 / 有异议 / 内容不符，签名失效 / ""


@dataclass
class WorkerRecord:
    person: object
    stays: list[Stay] = field(default_factory=list)
    wages: list[WageLine] = field(default_factory=list)
    this_month: datetime.date | None = None
    last_month: datetime.date | None = None
    trainings: list = field(default_factory=list)  # his TrainingAttendee rows, newest first
    certificates: list = field(default_factory=list)  # his PersonalCertification rows
    credit_records: list = field(default_factory=list)  # his confirmed 诚信 records (credit), newest first
    today: datetime.date | None = None

    @property
    def project_choices(self) -> list[tuple[int, str]]:
        seen = {}
        for stay in self.stays:
            seen.setdefault(stay.entry.project_id, stay.entry.project.name)
        return list(seen.items())


def check_id_number_rate(digest: str, ip: str) -> None:
    """Per ID number and address: one address guessing a worker's phone digits is stopped, and
    strangers on other addresses cannot block the worker's own lookup (a count per ID number alone
    let ten lookups from ten addresses do that for an hour). Every lookup also costs a captcha, so
    guessing from many addresses stays slow (docs/security.md)."""
    limit, seconds = settings.SELFSERVICE_ID_RATE_LIMIT
    rule = ratelimit.Rule("selfservice:id", limit, seconds)
    if ratelimit.hit(f"{digest}|{ip}", rule) > limit:
        raise ValidationError(f"该身份证号查询过于频繁，请 {max(seconds // 60, 1)} 分钟后再试。", code="rate")


def lookup(actor: Actor, name: str, id_number: str, phone_last4: str, today=None) -> WorkerRecord | None:
    """The worker's own record, or None for any mismatch (the caller shows NOT_FOUND)."""
    from workforce.models import Person

    digest = id_digest(id_number)
    check_id_number_rate(digest, actor.ip or "")
    person = Person.objects.filter(id_type=IdCardType.RESIDENT_ID, id_number_digest=digest).first()
    matched = identity_matches(person or _Nobody(), name, phone_last4) and person is not None
    audit.record(
        actor,
        "selfservice.lookup",
        summary=f"工人自助查询：{mask_id(id_number)}，{'信息一致' if matched else '未匹配'}",
    )
    return record_of(person, today) if matched else None


def wage_lines(person, months) -> list[WageLine]:
    """His rows on the sheets of `months` once they are 已审核 (before that the amounts may still
    change). Read as values: the card's encrypted number is never loaded, only its stored mask."""
    from wages.models import APPROVED_STATES, PAID_STATES, PayrollRow, RowPayStatus
    from wages.signing import row_signature_states

    rows = (
        PayrollRow.objects.filter(
            person=person,
            payroll__pay_month__in=months,
            payroll__status__in=APPROVED_STATES,
        )
        .order_by("-payroll__pay_month", "payroll__project__name", "payroll__team__name")
        .values_list(
            "pk",
            "payroll__pay_month",
            "payroll__project__name",
            "payroll__team__name",
            "total_amount",
            "actual_amount",
            "payroll__status",
            "pay_status",
            "bank_card_number_masked",
        )
    )
    rows = list(rows)
    signed = row_signature_states([row[0] for row in rows])
    return [
        WageLine(
            month=month,
            project_name=project,
            team_name=team,
            total_amount=total,
            actual_amount=actual,
            # His money went out once the bank paid his row, even while a colleague's row failed.
            paid=status in PAID_STATES or pay_status == RowPayStatus.PAID,
            card_last4=masked[-4:] if masked and "*" not in masked[-4:] else "",
            signature=signed.get(pk, ""),
        )
        for pk, month, project, team, total, actual, status, pay_status, masked in rows
    ]


def credit_records_of(person) -> list:
    """His confirmed good and bad records and lists (docs/credit.md §3), each with `objections`
    (his objections and their answers) and `objection_pending`."""
    from credit.models import CreditRecord

    records = list(
        CreditRecord.objects.filter(person=person, status__in=["active", "ended"])
        .prefetch_related("objections")
        .order_by("-start_date", "-id")[:20]
    )
    for record in records:
        record.objection_pending = any(o.status == "pending" for o in record.objections.all())
    return records


def record_of(person, today=None) -> WorkerRecord:
    """His stays (projects, units, teams, dates), attendance days this and last month, contracts, and
    his wages of this and last month."""
    from attendance.models import DailySummary
    from contracts.models import Contract, ContractSignature
    from training.models import PersonalCertification, TrainingAttendee
    from workforce.models import PayCard, RosterEntry

    today = today or timezone.localdate()
    this_month, last_month = month_back(today, 0), month_back(today, 1)
    entries = list(
        RosterEntry.objects.filter(person=person)
        .select_related("project", "team", "unit__enterprise")
        .order_by("-entry_date", "-id")
    )
    days = {
        row["project_id"]: row
        # By his projects first: the summary table's unique index leads with the project, and a
        # person alone has no index (every other reader starts from a project); without the
        # projects this read went through the city's days (170 ms at ten times the city).
        for row in DailySummary.objects.filter(
            project_id__in={entry.project_id for entry in entries},
            person=person,
            is_present=True,
            work_date__gte=last_month,
            work_date__lte=today,
        )
        .order_by()
        .values("project_id")
        .annotate(
            this=Count("id", filter=Q(work_date__gte=this_month)),
            last=Count("id", filter=Q(work_date__lt=this_month)),
        )
    }
    latest = {}
    signed = ContractSignature.objects.filter(contract=OuterRef("pk"))
    contracts = Contract.objects.filter(roster_entry__in=entries).annotate(worker_signed=Exists(signed))
    for contract in contracts.order_by("start_date", "id"):
        latest[contract.roster_entry_id] = contract
    # Each project's own card (docs/architecture.md pattern 11), so he sees where each employer pays him and
    # notices a card he does not know. Read as values: only the stored mask, never the number.
    cards = {
        project_id: f"{bank_name} 尾号{masked[-4:]}（{timezone.localtime(updated):%Y-%m-%d}登记）".strip()
        for project_id, bank_name, masked, updated in PayCard.objects.filter(person=person).values_list(
            "project_id", "bank_name", "bank_card_number_masked", "updated_at"
        )
    }
    stays = []
    counted, carded = set(), set()
    for entry in entries:
        row = days.get(entry.project_id) if entry.project_id not in counted else None
        counted.add(entry.project_id)  # a project's days are shown once, on its latest stay
        stays.append(
            Stay(
                entry=entry,
                days_this_month=row["this"] if row else 0,
                days_last_month=row["last"] if row else 0,
                contract=latest.get(entry.pk),
                card=cards.get(entry.project_id, "") if entry.project_id not in carded else "",
            )
        )
        carded.add(entry.project_id)
    return WorkerRecord(
        person=person,
        stays=stays,
        wages=wage_lines(person, [this_month, last_month]),
        this_month=this_month,
        last_month=last_month,
        trainings=list(
            TrainingAttendee.objects.filter(person=person)
            .select_related("training__project")
            .order_by("-training__training_date", "-id")[:20]
        ),
        certificates=list(PersonalCertification.objects.filter(person=person)),
        credit_records=credit_records_of(person),
        today=today,
    )
