"""The worker signs his labour contract on his phone (docs/signatures.md §5; 劳动合同法 art. 16;
电子签名法 art. 13). Identity (姓名 + 身份证号 + the SMS code) is the self-service pages' (selfservice.signing);
this module says what he signs, stores the signature, and turns the signed contract into a PDF sealed
by the platform that becomes a page of the contract's scan. Paper scans stay possible beside it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from jmzhgd.core import audit, pdf_render, seal
from jmzhgd.core.actor import Actor
from jmzhgd.core.signatures import content_hash, signature_image

from .models import Contract, ContractSignature
from .services import add_scans


def contract_content(contract: Contract) -> dict:
    """The contract as the worker reads and signs it; every value a string."""
    entry = contract.roster_entry
    project = contract.project
    account = getattr(project, "wage_account", None)  # the project's 工资专户 holds the pay day
    price = ""
    if contract.unit_price is not None:
        unit = contract.get_measure_unit_display() if contract.measure_unit else ""
        price = f"{contract.unit_price:.2f} 元" + (f"/{unit}" if unit else "")
    return {
        "type": contract.get_contract_type_display(),
        "employer": contract.unit.enterprise.name,
        "worker": contract.person.name,
        "id_number": contract.person.id_number_masked,
        "project": project.name,
        "place": project.address,
        "post": entry.role_label,
        "team": entry.team.name if entry.team_id else "",
        "period_type": contract.get_period_type_display(),
        "start": f"{contract.start_date:%Y-%m-%d}",
        "end": f"{contract.end_date:%Y-%m-%d}" if contract.end_date else "",
        "wage_standard": price,
        "pay_day": f"每月{account.pay_day}日支付上月工资" if account else "按月支付",
    }


LABELS = [
    ("type", "合同类型"),
    ("employer", "用人单位（甲方）"),
    ("worker", "劳动者（乙方）"),
    ("id_number", "乙方身份证号"),
    ("project", "工作项目"),
    ("place", "工作地点"),
    ("post", "工种/岗位"),
    ("team", "班组"),
    ("period_type", "合同期限类型"),
    ("start", "合同生效日期"),
    ("end", "合同失效日期"),
    ("wage_standard", "工资标准"),
    ("pay_day", "工资支付日"),
]


def worker_signature(contract: Contract) -> ContractSignature | None:
    return contract.worker_signatures.first()


def _pdf(content: dict, digest: str, signed_at, image: bytes, verification_id: int) -> bytes:
    pdf = pdf_render.document(title=f"{content['type']} {content['worker']}")
    pdf.add_page()
    pdf.set_font(pdf_render.FONT, "", 16)
    pdf.cell(0, 10, content["type"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf_render.FONT, "", 10)
    pdf.ln(2)
    with pdf.table(col_widths=(45, 141), line_height=7, first_row_as_headings=False) as table:
        for key, label in LABELS:
            table.row([label, content[key] or "—"])
    pdf.ln(4)
    pdf.multi_cell(
        0,
        5.5,
        "甲乙双方依据《中华人民共和国劳动合同法》订立本合同，按上列条款履行；甲方按月足额支付乙方工资，"
        "不得拖欠。乙方已阅读上列全部内容，以本人手机验证码核验身份后手写签名确认。",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.cell(0, 7, "乙方（劳动者）签名：", new_x="LMARGIN", new_y="NEXT")
    pdf.image(pdf_render.image_stream(image), h=22)
    pdf.ln(2)
    pdf.set_font(pdf_render.FONT, "", 8)
    pdf.multi_cell(
        0,
        4.5,
        f"签署时间：{timezone.localtime(signed_at):%Y-%m-%d %H:%M:%S}　短信验证记录：#{verification_id}\n"
        f"签署内容SHA-256：{digest}\n"
        "本文件由江门市智慧工地实名制管理平台生成并加盖平台电子签章；签章后任何修改都会使签章失效。",
    )
    return pdf_render.output(pdf)


@transaction.atomic
def sign_contract(
    actor: Actor, contract: Contract, *, verification, signature_png: str, user_agent: str = ""
) -> ContractSignature:
    """The worker's drawn signature on his contract: stored, rendered and sealed, kept as a scan page."""
    contract = (
        Contract.objects.select_for_update()
        .select_related("project", "unit__enterprise", "person", "roster_entry__team")
        .get(pk=contract.pk)
    )
    if worker_signature(contract) is not None:
        raise ValidationError("本合同已签署，不能重复签署。")
    image = signature_image(signature_png)
    content = contract_content(contract)
    digest = content_hash(content)
    signed_at = timezone.now()
    image_bytes = image.read()
    image.seek(0)
    sealed = seal.seal_pdf(
        _pdf(content, digest, signed_at, image_bytes, verification.pk),
        reason=f"{content['type']} {content['worker']} 本人电子签名",
    )
    upload = SimpleUploadedFile("contract-signed.pdf", sealed, content_type="application/pdf")
    upload.original_name = f"{content['type']}-{content['worker']}-电子签章.pdf"
    (scan,) = add_scans(actor, contract, [upload])
    signature = ContractSignature(
        contract=contract,
        content=content,
        content_sha256=digest,
        signed_at=signed_at,
        ip=actor.ip or None,
        user_agent=(user_agent or "")[:300],
        verification=verification,
        scan=scan,
    )
    signature.image.save(image.name, image, save=False)
    signature.save()
    audit.record(
        actor,
        "contract.worker_sign",
        contract,
        project=contract.project,
        summary=f"劳动者电子签署合同：{contract.person.name}",
        after={"content_sha256": digest, "verification": verification.pk, "scan_page": scan.page},
    )
    return signature
