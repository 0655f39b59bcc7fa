"""PDF documents the platform writes itself (a sealed 工资支付表, a labour contract), with fpdf2.

The CJK font is embedded (subset) in every document, so a reader without Chinese fonts shows the same
text (settings.PDF_CJK_FONT: Debian's fonts-noto-cjk, the Simplified Chinese face of the collection).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FONT = "cjk"
# fontTools logs every table it subsets at INFO: noise in the application log on each PDF.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def document(*, landscape: bool = False, title: str = ""):
    """A new A4 document with the CJK font (one face: parsing the collection is the slow part, so
    headings are set larger rather than bold; tables take `headings_style=PLAIN`)."""
    from fpdf import FPDF

    path = Path(settings.PDF_CJK_FONT)
    if not path.exists():
        raise ImproperlyConfigured(
            f"未找到生成PDF所需的中文字体：{path}（请安装 fonts-noto-cjk 或设置 PDF_CJK_FONT）。"
        )
    pdf = FPDF(orientation="L" if landscape else "P", unit="mm", format="A4")
    pdf.set_creator("江门市智慧工地实名制管理平台")
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_margins(12, 12, 12)
    kwargs = {"fname": str(path)}
    if path.suffix.lower() in (".ttc", ".otc"):
        kwargs["collection_font_number"] = settings.PDF_CJK_FONT_INDEX
    pdf.add_font(FONT, **kwargs)
    pdf.set_font(FONT, size=10)
    return pdf


def plain_headings():
    from fpdf.fonts import FontFace

    return FontFace(emphasis="", fill_color=(235, 235, 235))


def image_stream(data: bytes) -> io.BytesIO:
    """Bytes of a stored image for `pdf.image` (fpdf2 reads a stream as it would a file)."""
    return io.BytesIO(data)


def output(pdf) -> bytes:
    return bytes(pdf.output())
