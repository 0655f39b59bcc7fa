"""Private files (faces, ID-card images, contract scans, QR codes) are served only through views
that have already checked access; there is no public media URL. Views call `serve_private_file`
with a FieldFile of an object they fetched through a scoped queryset.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from pathlib import PurePath

from django.http import FileResponse, Http404

SAFE_INLINE_TYPES = {"image/jpeg", "image/png", "application/pdf"}
# The extension a download gets, by the type the platform detected when it stored the file (the
# stored name's extension is the platform's own, never the uploader's).
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
# Characters Windows refuses in a file name, and path separators.
_RESERVED = re.compile(r'[\\/:*?"<>|]')
MAX_BASE_NAME = 100


def download_filename(label: str, stored_name: str) -> str:
    """The name a download is offered under: the uploader's name as a label only, its extension
    replaced by the detected type's.

    A name like "a" U+202E "gnp.exe" (a right-to-left override that shows as "aexe.png") would
    otherwise be saved as an .exe; control and formatting characters (bidi overrides, zero-width,
    line breaks) are dropped, reserved characters become "_", and the base name is cut to 100.
    """
    content_type = mimetypes.guess_type(stored_name)[0] or ""
    suffix = EXTENSIONS.get(content_type) or PurePath(stored_name).suffix.lower()
    text = unicodedata.normalize("NFKC", label or "")
    text = "".join(
        " " if unicodedata.category(ch) == "Zs" else ch
        for ch in text
        if unicodedata.category(ch)[0] != "C" and unicodedata.category(ch) not in ("Zl", "Zp")
    )
    text = _RESERVED.sub("_", text.replace("\\", "/").rsplit("/", 1)[-1])
    base = text.rsplit(".", 1)[0] if "." in text.strip(".") else text
    base = base.strip(" ._")[:MAX_BASE_NAME].strip(" .") or "文件"
    return base + suffix


def pdf_refusal(field_file) -> str | None:
    """Why a stored PDF must not be shown in the browser (pdf_safety's reason), or None.

    Upload checks have grown since some files were stored; a PDF is checked again before it is
    shown, so one stored before a rule existed is never rendered."""
    from .pdf_safety import UnreadablePdf, active_content

    try:
        with field_file.open("rb") as handle:
            return active_content(handle.read())
    except FileNotFoundError:
        raise Http404 from None
    except UnreadablePdf:
        return "无法读取"


def serve_private_file(
    field_file, *, download_name: str | None = None, inline: bool = True, frame_same_origin: bool = False
) -> FileResponse:
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    as_attachment = not inline or content_type not in SAFE_INLINE_TYPES
    filename = download_filename(download_name, field_file.name) if download_name else ""
    response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=filename)
    response["Cache-Control"] = "no-store, private"  # faces and ID cards: no cache keeps a copy
    response["X-Content-Type-Options"] = "nosniff"
    policy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    if frame_same_origin and not as_attachment:
        # The platform's own viewer page embeds this file; no other site may frame it.
        policy += "; frame-ancestors 'self'"
        response["X-Frame-Options"] = "SAMEORIGIN"
    response["Content-Security-Policy"] = policy
    return response
