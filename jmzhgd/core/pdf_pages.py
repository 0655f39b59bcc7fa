"""A picture of a PDF's first page, where the PDF is a scan (a page holding an image).

Scanners and phone apps write each page as one image; that image is the page's picture, and a
list of a contract's pages can show it like a photographed page. A PDF drawn from text and
vectors has no such image and gets none (it is shown with a PDF icon): rendering a page would
need a PDF renderer, a binary dependency the platform does without.
"""

from __future__ import annotations

import io

from PIL import Image


def first_page_image(data: bytes) -> Image.Image | None:
    """The largest image drawn on the PDF's first page, or None (no image, or unreadable). The PDF
    has passed `uploads.clean_pdf`; Pillow's pixel cap still guards the decoding."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted or not reader.pages:
            return None
        images = list(reader.pages[0].images)
        if not images:
            return None
        largest = max(images, key=lambda found: len(found.data))
        image = Image.open(io.BytesIO(largest.data)) if largest.image is None else largest.image
        image.load()
        return image
    except Exception:  # noqa: BLE001 — a picture is a courtesy: without it the page shows a PDF icon
        return None
