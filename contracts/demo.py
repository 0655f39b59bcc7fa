"""Demo contracts for the on-site workers of the demo projects: most signed, some expiring within 30 days,
one already renewed, a few expired and a few missing (未签订), so every status shows on the pages.

Runs after the workforce seeder; a project that already has contracts is left alone (idempotent).
"""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from jmzhgd.core.codes import ContractPeriodType, ContractType, MeasureUnit

from . import services
from .models import Contract

SCANNED_CONTRACTS_PER_PROJECT = 4


def _scan_page(number: int) -> SimpleUploadedFile:
    """A plain page that looks like a scanned form (lines and a signature box), as PNG."""
    image = Image.new("RGB", (620, 877), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 580, 837), outline=(60, 60, 60), width=2)
    draw.text((60, 60), f"LABOUR CONTRACT  PAGE {number}", fill=(0, 0, 0))
    for y in range(120, 700, 28):
        draw.line((60, y, 560, y), fill=(180, 180, 180))
    draw.rectangle((360, 740, 560, 810), outline=(200, 30, 30), width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    page = SimpleUploadedFile(f"{uuid.uuid4().hex}.png", out.getvalue(), content_type="image/png")
    page.original_name = f"合同第{number}页.png"
    return page


def _values(kind: str, start: date, today: date, rng) -> dict:
    values = {
        "contract_type": ContractType.LABOUR_CONTRACT,
        "period_type": ContractPeriodType.FIXED,
        "start_date": start,
        "end_date": start + timedelta(days=365 + rng.randint(0, 300)),
    }
    if kind == "expiring":
        values["end_date"] = max(start, today + timedelta(days=rng.randint(3, 28)))
    elif kind == "expired":
        values["end_date"] = max(start, today - timedelta(days=rng.randint(1, 20)))
    elif kind == "task":
        values.update(
            contract_type=ContractType.WRITTEN_AGREEMENT,
            period_type=ContractPeriodType.TASK,
            end_date=None,
            measure_unit=MeasureUnit.SQUARE_METRE,
            unit_price=Decimal(rng.choice(["35.00", "42.50", "58.00"])),
        )
    return values


KINDS = ["fixed", "fixed", "expiring", "fixed", "task", "fixed", "missing", "fixed", "expired", "renewed"]


def seed(demo) -> None:
    from workforce.models import RosterEntry

    today = timezone.localdate()
    for project in demo.shared.get("projects", []):
        if Contract.objects.filter(project=project).exists():
            continue
        entries = (
            RosterEntry.objects.filter(project=project, exit_date__isnull=True)
            .select_related("person", "unit")
            .order_by("id")
        )
        signed = 0
        for index, entry in enumerate(entries):
            kind = KINDS[index % len(KINDS)]
            if kind == "missing":
                continue
            start = min(entry.entry_date, today)
            try:
                if kind == "renewed" and start + timedelta(days=60) < today:
                    first = services.sign_contract(
                        demo.actor, entry, {"start_date": start, "end_date": start + timedelta(days=59)}
                    )
                    contract = services.renew_contract(
                        demo.actor, first, _values("fixed", start + timedelta(days=60), today, demo.rng)
                    )
                else:
                    contract = services.sign_contract(
                        demo.actor, entry, _values(kind, start, today, demo.rng)
                    )
            except ValidationError:
                continue  # e.g. the same person's earlier stay already holds a contract for these dates
            if signed < SCANNED_CONTRACTS_PER_PROJECT:
                services.add_scans(demo.actor, contract, [_scan_page(1), _scan_page(2)])
            signed += 1
        demo.write(f"  合同：{project.name} 签订 {signed} 份")
