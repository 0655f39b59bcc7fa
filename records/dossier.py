"""项目档案 (the project dossier, docs/retention.md §4): for a project and a date range, one .zip with
the 用工台账, the contracts and their scans, the 工资支付台账 with each sheet and the files kept with it,
the attendance month tables, the trainings and certificates, an index page (index.html) and a SHA-256
manifest (manifest-sha256.txt) — what 条例 art. 50 has the employer produce in a dispute.

It is an exporter of the job registry (jmzhgd.jobs.registry, docs/jobs.md), so it always runs as a
background job and appears in 【我的导出】; the job checks access again before it runs. Every sheet
comes from the exporter or printable sheet its own page uses, called by name or function: nothing
here writes a ledger of its own.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone

from contracts.models import ContractScan
from jmzhgd.core.excel import Sheet, write_workbook
from jmzhgd.core.files import download_filename
from jmzhgd.core.forms import check_plausible_date
from jmzhgd.core.list_views import PAGE_ONLY_COLUMNS
from jmzhgd.core.months import month_range
from jmzhgd.jobs import registry
from jmzhgd.jobs.registry import Prepared, exporter
from training.models import PersonalCertification, Training
from wages.exports import payroll_workbook_response
from wages.models import APPROVED_STATES, Payroll
from wages.sealed import sealed_sheet_pdf
from wages.tables import PayrollTable
from workforce.models import RosterEntry

DOSSIER = "records:dossier"
MAX_MONTHS = 60  # five years of month tables in one file
INDEX = "index.html"
MANIFEST = "manifest-sha256.txt"
CHUNK = 1024 * 1024

SECTIONS = {
    "01": "用工台账（花名册：进场、退场）",
    "02": "劳动合同及扫描件",
    "03": "工资支付台账及工资支付表",
    "04": "考勤月报表",
    "05": "培训记录及人员证书",
}


@dataclass(frozen=True)
class Part:
    section: str
    path: str  # inside the archive
    title: str
    content: Callable[[], Iterable[bytes]]  # produced when written, not when planned


def parse_range(params: QueryDict) -> tuple[datetime.date, datetime.date]:
    """The date range of the dossier, with a Chinese message for anything it cannot read."""
    values = []
    for key, label in (("date_from", "开始日期"), ("date_to", "结束日期")):
        text = (params.get(key) or "").strip()
        if not text:
            raise ValidationError(f"请填写{label}（YYYY-MM-DD）。")
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(f"{label}应为有效日期，格式 YYYY-MM-DD。") from None
        values.append(check_plausible_date(day, label))
    date_from, date_to = values
    if date_from > date_to:
        raise ValidationError("开始日期不能晚于结束日期。")
    if len(month_range(date_from, date_to)) > MAX_MONTHS:
        raise ValidationError(f"日期范围不能超过 {MAX_MONTHS} 个月，请分段导出。")
    return date_from, date_to


def _workbook(prepared_or_sheets) -> Callable[[], Iterable[bytes]]:
    def produce():
        sheets = prepared_or_sheets() if callable(prepared_or_sheets) else prepared_or_sheets
        buffer = io.BytesIO()
        write_workbook(sheets, buffer)
        return [buffer.getvalue()]

    return produce


def _registered(name: str, project, query: str, user) -> Callable[[], Iterable[bytes]]:
    """The sheets of a registered exporter, as its page would export them."""
    return _workbook(lambda: registry.get(name)(project, QueryDict(query), user).sheets)


def _stored(fieldfile) -> Callable[[], Iterable[bytes]]:
    def produce() -> Iterator[bytes]:
        with fieldfile.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    return produce


def _response(make) -> Callable[[], Iterable[bytes]]:
    return lambda: make().streaming_content


def _name(label: str, stored_name: str) -> str:
    return download_filename(label, stored_name)


def _roster_and_contracts(project, user) -> Iterator[Part]:
    yield Part(
        "01",
        "01-用工台账/花名册.xlsx",
        "花名册（全部进场、退场记录）",
        _registered("workforce:roster", project, "", user),
    )
    yield Part(
        "02", "02-劳动合同/合同台账.xlsx", "合同台账", _registered("contracts:ledger", project, "", user)
    )
    scans = (
        ContractScan.objects.current()
        .filter(project=project)
        .select_related("contract__roster_entry__person")
        .order_by("contract_id", "page", "id")
    )
    for scan in scans.iterator(chunk_size=500):
        person = scan.contract.roster_entry.person.name
        name = _name(f"{person}-合同{scan.contract_id}-第{scan.page}页", scan.file.name)
        yield Part(
            "02", f"02-劳动合同/扫描件/{name}", f"{person} 合同扫描件第{scan.page}页", _stored(scan.file)
        )


def _payroll_sheets(project, date_from, date_to) -> Iterator[Part]:
    payrolls = (
        Payroll.objects.filter(
            project=project, pay_month__gte=date_from.replace(day=1), pay_month__lte=date_to
        )
        .select_related("unit__enterprise", "team", "project")
        .order_by("pay_month", "unit_id", "team_id", "id")
    )
    ledger = payrolls.annotate(
        workers=Count("rows"), total=Sum("rows__total_amount"), actual=Sum("rows__actual_amount")
    )

    def ledger_sheets():
        values = PayrollTable(ledger).as_values(exclude_columns=PAGE_ONLY_COLUMNS)
        header = next(values)
        return [Sheet(name="工资支付台账", title=f"{project.name} 工资支付台账", header=header, rows=values)]

    yield Part(
        "03",
        "03-工资支付台账/工资支付台账.xlsx",
        "工资支付台账（各月工资支付表汇总）",
        _workbook(ledger_sheets),
    )
    for payroll in payrolls:
        base = f"03-工资支付台账/{payroll.month_label}-{payroll.team.name}-{payroll.pk}"
        yield Part(
            "03",
            _safe_path(f"{base}-工资支付表.xlsx"),
            f"{payroll.month_label} {payroll.team.name} 工资支付表（{payroll.get_status_display()}）",
            _response(lambda payroll=payroll: payroll_workbook_response(payroll)),
        )
        if payroll.status in APPROVED_STATES:
            # The sheet with every worker's signature, sealed by the platform (docs/signatures.md §3):
            # what the inspector can check without the platform.
            yield Part(
                "03",
                _safe_path(f"{base}-工资支付表-电子签章.pdf"),
                f"{payroll.month_label} {payroll.team.name} 工资支付表（电子签章）",
                lambda payroll=payroll: [sealed_sheet_pdf(payroll)],
            )
        for field in Payroll._meta.concrete_fields:
            stored = getattr(payroll, field.name)
            if getattr(field, "upload_to", None) is not None and stored:
                label = f"{payroll.month_label}-{payroll.team.name}-{payroll.pk}-{field.verbose_name}"
                yield Part(
                    "03",
                    f"03-工资支付台账/{_name(label, stored.name)}",
                    f"{payroll.month_label} {payroll.team.name} {field.verbose_name}",
                    _stored(stored),
                )


def _months(project, date_from, date_to, user) -> Iterator[Part]:
    for month in month_range(date_from, date_to):
        yield Part(
            "04",
            f"04-考勤/{month:%Y-%m}-月考勤.xlsx",
            f"{month:%Y年%m月} 考勤月报表",
            _registered("attendance:month", project, f"month={month:%Y-%m}", user),
        )


def _trainings(project, date_from, date_to, user) -> Iterator[Part]:
    trainings = Training.objects.filter(project=project, training_date__range=(date_from, date_to))
    if trainings.exists():
        query = f"date_from={date_from:%Y-%m-%d}&date_to={date_to:%Y-%m-%d}"
        yield Part(
            "05", "05-培训/培训台账.xlsx", "培训台账", _registered("training:ledger", project, query, user)
        )
    for training in trainings.exclude(sign_in_scan="").order_by("training_date", "id"):
        label = f"{training.training_date:%Y%m%d}-{training.name}-{training.pk}-签到表"
        yield Part(
            "05",
            f"05-培训/签到表/{_name(label, training.sign_in_scan.name)}",
            f"{training.name} 签到表",
            _stored(training.sign_in_scan),
        )
    persons = RosterEntry.objects.filter(project=project).values("person_id")
    certificates = (
        PersonalCertification.objects.filter(person__in=persons)
        .exclude(scan="")
        .select_related("person")
        .order_by("person_id", "id")
    )
    for certificate in certificates:
        label = f"{certificate.person.name}-{certificate.get_certificate_type_display()}-{certificate.pk}"
        yield Part(
            "05",
            f"05-培训/证书/{_name(label, certificate.scan.name)}",
            f"{certificate.person.name} {certificate.get_certificate_type_display()}（{certificate.number}）",
            _stored(certificate.scan),
        )


def _safe_path(path: str) -> str:
    folder, _, name = path.rpartition("/")
    return f"{folder}/{_name(name, name)}"


def dossier_parts(project, date_from, date_to, user) -> list[Part]:
    return [
        *_roster_and_contracts(project, user),
        *_payroll_sheets(project, date_from, date_to),
        *_months(project, date_from, date_to, user),
        *_trainings(project, date_from, date_to, user),
    ]


def write_dossier(project, date_from, date_to, parts: list[Part], target, count) -> None:
    """Write the archive: each part hashed as written, then the index and the manifest."""
    written: list[tuple[Part, str, int]] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part in count(parts):
            digest, size = hashlib.sha256(), 0
            with archive.open(part.path, "w", force_zip64=True) as member:
                for chunk in part.content():
                    member.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            written.append((part, digest.hexdigest(), size))
        index = render_to_string(
            "records/dossier_index.html",
            {
                "project": project,
                "date_from": date_from,
                "date_to": date_to,
                "made_at": timezone.localtime(),
                "sections": [
                    (title, [(p, h, s) for p, h, s in written if p.section == key])
                    for key, title in SECTIONS.items()
                ],
                "manifest": MANIFEST,
            },
        ).encode()
        archive.writestr(INDEX, index)
        hashes = [(hashlib.sha256(index).hexdigest(), INDEX)] + [(h, p.path) for p, h, _ in written]
        archive.writestr(MANIFEST, "".join(f"{h}  {path}\n" for h, path in hashes).encode())


@exporter(DOSSIER)
def dossier_export(project, params: QueryDict, user=None) -> Prepared:
    date_from, date_to = parse_range(params)
    parts = dossier_parts(project, date_from, date_to, user)
    return Prepared(
        label=f"项目档案 {date_from:%Y-%m-%d} 至 {date_to:%Y-%m-%d}",
        filename=f"{project.code}-项目档案-{date_from:%Y%m%d}-{date_to:%Y%m%d}.zip",
        sheets=[],
        rows=len(parts),
        write=lambda target, count: write_dossier(project, date_from, date_to, parts, target, count),
    )
