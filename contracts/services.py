"""Contract actions (docs/requirements.md §9): sign, edit the current contract, renew, add and remove scan pages.

Rules kept here for every caller (page, demo, a future API):
- one contract record per roster entry; a renewal is a new Contract with renewal_of = the previous one,
  and a contract that has been renewed is history: it is never edited again;
- the periods of one person's contracts in one project never overlap, across all of that person's
  roster entries in the project;
- 合同签订企业 is one of the project's participating units;
- date rules (Contract.clean): 固定期限 needs an end date, which is never before the start date.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from PIL import Image

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor
from jmzhgd.core.clip import clip
from jmzhgd.core.pdf_pages import first_page_image

from .models import Contract, ContractScan, ContractSignature

# Fields a page may set on a contract; the rest (project, entry, person, renewal_of) come from the entry.
CONTRACT_FIELDS = [
    "unit",
    "contract_type",
    "period_type",
    "start_date",
    "end_date",
    "measure_unit",
    "unit_price",
]
THUMBNAIL_SIZE = (320, 320)
MAX_SCANS_PER_CONTRACT = 30


def current_contract(entry) -> Contract | None:
    """The entry's latest contract (the one status is computed from); older ones are history."""
    return Contract.objects.filter(roster_entry=entry).order_by("-start_date", "-id").first()


def _check(contract: Contract) -> None:
    """Every rule a contract must satisfy before it is written; ValidationError keyed by field."""
    contract.clean()
    if contract.unit.project_id != contract.project_id:
        raise ValidationError({"unit": "合同签订企业必须是本项目的参建单位。"})
    previous = contract.renewal_of
    if previous is not None and previous.end_date and contract.start_date <= previous.end_date:
        raise ValidationError(
            {"start_date": f"续签合同的生效日期必须晚于原合同的失效日期（{previous.end_date:%Y-%m-%d}）。"}
        )
    others = Contract.objects.filter(project_id=contract.project_id, person_id=contract.person_id).exclude(
        pk=contract.pk
    )
    for other in others.order_by("start_date"):
        if contract.overlaps(other):
            raise ValidationError(
                {
                    "start_date": f"合同期限与该人员在本项目的另一份合同（{other.period_label}）重叠，"
                    "同一人员在同一项目的合同期限不能重叠。"
                }
            )


def _lock_person(entry) -> None:
    """Serialise contract writes for one person, so two requests cannot both pass the overlap check."""
    from workforce.models import Person

    Person.objects.select_for_update().filter(pk=entry.person_id).first()


def _latest_of_chain(contract: Contract, refusal: str) -> Contract:
    """`contract` re-read under lock; refused with `refusal` when it has been renewed (it is history)."""
    _lock_person(contract.roster_entry)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.renewals.exists():
        raise ValidationError(refusal)
    return contract


def _apply(contract: Contract, values: dict) -> None:
    for name in CONTRACT_FIELDS:
        if name in values:
            setattr(contract, name, values[name])
    if not contract.measure_unit:
        contract.measure_unit = ""


def _create(actor: Actor, entry, values: dict, scans, *, unit, renewal_of=None) -> Contract:
    contract = Contract(
        project_id=entry.project_id,
        roster_entry=entry,
        person_id=entry.person_id,
        renewal_of=renewal_of,
        created_by=actor.user,
    )
    _apply(contract, {"unit": unit, **values})
    _check(contract)
    contract.save()
    if renewal_of is None:
        action, summary = "contract.sign", f"签订合同：{entry.person.name}（{contract.period_label}）"
    else:
        action = "contract.renew"
        summary = (
            f"续签合同：{entry.person.name}（{contract.period_label}，原合同 {renewal_of.period_label}）"
        )
    audit.record(
        actor, action, contract, project=contract.project, summary=summary, after=audit.snapshot(contract)
    )
    add_scans(actor, contract, scans)
    return contract


@transaction.atomic
def sign_contract(actor: Actor, entry, values: dict, scans: Iterable = ()) -> Contract:
    """The first contract of a roster entry (【提交】 on an entry without one); the unit defaults to the worker's."""
    _lock_person(entry)
    if Contract.objects.filter(roster_entry=entry).exists():
        raise ValidationError("该人员已有合同记录，请修改当前合同或办理续签。")
    return _create(actor, entry, values, scans, unit=entry.unit)


@transaction.atomic
def update_contract(actor: Actor, contract: Contract, values: dict, scans: Iterable = ()) -> Contract:
    """Edit the current contract of an entry (【提交】). A renewed contract is history and stays as it is."""
    contract = _latest_of_chain(contract, "该合同已续签，历史合同不能修改。")
    before = audit.snapshot(contract, CONTRACT_FIELDS)
    _apply(contract, values)
    _check(contract)
    after = audit.snapshot(contract, CONTRACT_FIELDS)
    old, new = audit.changed(before, after)
    if new:
        contract.save()
        audit.record(
            actor,
            "contract.update",
            contract,
            project=contract.project,
            summary=f"修改合同：{contract.person.name}（{contract.period_label}）",
            before=old,
            after=new,
        )
    add_scans(actor, contract, scans)
    return contract


@transaction.atomic
def renew_contract(actor: Actor, previous: Contract, values: dict, scans: Iterable = ()) -> Contract:
    """续签: a new contract for the same roster entry, following `previous`, which is kept unchanged."""
    previous = _latest_of_chain(previous, "该合同已续签过，请在最新的合同上办理续签。")
    if previous.end_date is None:
        raise ValidationError("原合同没有合同失效日期（无固定期限或以完成一定工作任务为期限），不能续签。")
    return _create(actor, previous.roster_entry, values, scans, unit=previous.unit, renewal_of=previous)


def _thumbnail(data: bytes, *, pdf: bool = False) -> ContentFile | None:
    """A small JPEG of a scan page: the image itself, or a scanned PDF's first-page image (None for
    a PDF without one, which the page list shows as a PDF icon)."""
    image = first_page_image(data) if pdf else Image.open(io.BytesIO(data))
    if image is None:
        return None
    image.thumbnail(THUMBNAIL_SIZE)
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=80)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def add_scans(actor: Actor, contract: Contract, files: Iterable) -> list[ContractScan]:
    """Append scan pages. `files` are already checked and re-encoded (jmzhgd.core.uploads)."""
    files = list(files)
    if not files:
        return []
    with transaction.atomic():
        existing = contract.scans.current().count()
        if existing + len(files) > MAX_SCANS_PER_CONTRACT:
            raise ValidationError(f"每份合同最多上传 {MAX_SCANS_PER_CONTRACT} 页扫描件。")
        next_page = (contract.scans.aggregate(n=Max("page"))["n"] or 0) + 1
        added = []
        for offset, upload in enumerate(files):
            original_name = getattr(upload, "original_name", "") or upload.name
            scan = ContractScan(
                project_id=contract.project_id,
                contract=contract,
                content_type=upload.content_type,
                original_name=clip(ContractScan, "original_name", original_name),
                page=next_page + offset,
            )
            upload.seek(0)
            data = upload.read()
            scan.file.save(upload.name, ContentFile(data), save=False)
            thumb = _thumbnail(data, pdf=scan.is_pdf)
            if thumb is not None:
                scan.thumbnail.save(thumb.name, thumb, save=False)
            scan.save()
            added.append(scan)
        contract.save(update_fields=["updated_at"])  # 更新日期 covers the scan pages too
        audit.record(
            actor,
            "contract.scan_add",
            contract,
            project=contract.project,
            summary=f"上传合同扫描件：{contract.person.name} {len(added)} 页",
            after={"pages": [s.page for s in added], "files": [s.original_name for s in added]},
        )
    return added


@transaction.atomic
def remove_scan(actor: Actor, scan: ContractScan) -> ContractScan:
    """Take a page off a contract: marked removed, file and record kept."""
    scan = ContractScan.objects.select_for_update().select_related("contract__person").get(pk=scan.pk)
    if scan.removed_at is not None:
        raise ValidationError("该扫描件已移除。")
    if scan.contract.renewals.exists():
        raise ValidationError("该合同已续签，历史合同的扫描件不能移除。")
    if ContractSignature.objects.filter(scan=scan).exists():
        raise ValidationError("这是劳动者本人电子签署后生成的电子签章合同，不能移除。")
    scan.removed_at = timezone.now()
    scan.save(update_fields=["removed_at"])
    scan.contract.save(update_fields=["updated_at"])
    audit.record(
        actor,
        "contract.scan_remove",
        scan,
        project=scan.project,
        summary=f"移除合同扫描件：{scan.contract.person.name} 第 {scan.page} 页（{scan.original_name}）",
        before={"removed_at": None},
        after={"removed_at": scan.removed_at},
    )
    return scan
