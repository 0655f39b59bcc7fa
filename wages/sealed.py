"""The sealed 工资支付表 (docs/signatures.md §3): the approved sheet as a PDF with every worker's own word
on it (his drawn signature, 确认无误 or 有异议 with the reason, the SHA-256 of the exact line content he
signed, the time), sealed with the platform's PAdES signature (jmzhgd.core.seal), so that a changed
byte or an appended page shows in any PDF reader and on the 验证签章 page.

The PDF is made when asked for, from the sheet as it stands: a signature voided by a later change of
its line is listed as void, a line changed behind the actions' back as 内容不符.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from jmzhgd.core import pdf_render, seal

from .exports import sheet_meta, sheet_totals
from .models import APPROVED_STATES, LineSignature, Payroll, SignDecision
from .signing import content_hash, line_content

COLUMNS = [
    ("序号", 10),
    ("姓名", 22),
    ("身份证号码", 38),
    ("出勤天数", 16),
    ("总工时", 18),
    ("应发(元)", 24),
    ("代扣代缴(元)", 24),
    ("实发(元)", 24),
    ("工资卡", 30),
    ("发放结果", 18),
    ("本人签署", 49),
]


def _signatures(payroll: Payroll) -> dict[int, list[LineSignature]]:
    by_row: dict[int, list[LineSignature]] = {}
    for signature in (
        LineSignature.objects.filter(payroll=payroll)
        .select_related("row__payroll__project", "row__payroll__team", "row__person")
        .order_by("row_id", "signed_at", "id")
    ):
        by_row.setdefault(signature.row_id, []).append(signature)
    return by_row


def _state(signature: LineSignature) -> str:
    if signature.voided_at:
        return f"已失效（{signature.void_reason}）"
    if content_hash(line_content(signature.row)) != signature.content_sha256:
        return "内容不符，签名失效"
    return signature.get_decision_display()


def sheet_pdf(payroll: Payroll) -> bytes:
    """The sheet and its signatures as an unsealed PDF (A4 landscape)."""
    pdf = pdf_render.document(landscape=True, title=f"{payroll} 工资支付表")
    pdf.add_page()
    pdf.set_font(pdf_render.FONT, "", 15)
    pdf.cell(0, 9, f"{payroll.project.name} 工资支付表", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf_render.FONT, "", 9)
    pdf.multi_cell(
        0, 5, "　".join(f"{k}：{v}" for k, v in sheet_meta(payroll)), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    signatures = _signatures(payroll)
    rows = list(payroll.rows.select_related("person").order_by("id"))
    with pdf.table(
        col_widths=[w for _, w in COLUMNS],
        text_align="CENTER",
        line_height=6,
        headings_style=pdf_render.plain_headings(),
    ) as table:
        table.row([label for label, _ in COLUMNS])
        for number, row in enumerate(rows, start=1):
            active = [s for s in signatures.get(row.pk, []) if not s.voided_at]
            masked = row.bank_card_number_masked or ""
            table.row(
                [
                    str(number),
                    row.person.name,
                    row.person.id_number_masked,
                    str(row.days),
                    f"{row.work_hours:.2f}",
                    f"{row.total_amount:.2f}",
                    f"{row.deductions:.2f}",
                    f"{row.actual_amount:.2f}",
                    f"{row.bank_name[:6]} 尾号{masked[-4:]}" if masked else "",
                    row.get_pay_status_display(),
                    _state(active[-1]) if active else ("已凭银行代发凭证" if payroll.voucher else "未签署"),
                ]
            )
        # sheet_totals follows the printed sheet's columns (with 联系方式); this table has none.
        label, workers, _id, _phone, days, hours, total, deductions, actual = sheet_totals(payroll)[:9]
        money = [f"{value:.2f}" for value in (hours, total, deductions, actual)]
        table.row([label, workers, "", str(days), *money, "", "", ""])
    pdf.ln(4)
    pdf.set_font(pdf_render.FONT, "", 11)
    pdf.cell(0, 7, "工人电子签名记录（保障农民工工资支付条例第三十一条）", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf_render.FONT, "", 8)
    names = {row.pk: row.person.name for row in rows}
    listed = [s for row in rows for s in signatures.get(row.pk, [])]
    if not listed:
        pdf.cell(0, 6, "本表暂无工人电子签名。", new_x="LMARGIN", new_y="NEXT")
    for signature in listed:
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        top = pdf.get_y()
        text = (
            f"{names[signature.row_id]}　{_state(signature)}　签署时间：{timezone.localtime(signature.signed_at):%Y-%m-%d %H:%M:%S}"
            f"　短信验证记录：#{signature.verification_id}\n签署内容SHA-256：{signature.content_sha256}"
        )
        if signature.decision == SignDecision.DISPUTED and signature.reason:
            text += f"\n异议内容：{signature.reason}"
        pdf.multi_cell(200, 4.5, text, border=0, new_x="RIGHT", new_y="TOP")
        if signature.image:
            try:
                with signature.image.open("rb") as handle:
                    pdf.image(pdf_render.image_stream(handle.read()), x=pdf.l_margin + 205, y=top, h=14)
            except (OSError, ValueError):
                pdf.cell(40, 4.5, "（签名图片缺失）")
        pdf.set_xy(pdf.l_margin, max(pdf.get_y(), top + 15))
    pdf.ln(3)
    pdf.set_font(pdf_render.FONT, "", 8)
    pdf.multi_cell(
        0,
        4.5,
        f"本文件由江门市智慧工地实名制管理平台于 {timezone.localtime():%Y-%m-%d %H:%M} 生成，并加盖平台电子签章；"
        "签章后任何修改都会使签章失效，可在 PDF 阅读器或平台「验证签章」页面核验。",
    )
    return pdf_render.output(pdf)


def sealed_sheet_pdf(payroll: Payroll) -> bytes:
    """The sheet's PDF sealed by the platform; only a sheet from 已审核 on has amounts to seal."""
    if payroll.status not in APPROVED_STATES:
        raise ValidationError("工资支付表审核通过后才能生成电子签章PDF。")
    return seal.seal_pdf(sheet_pdf(payroll), reason=f"工资支付表 {payroll.team.name} {payroll.month_label}")
