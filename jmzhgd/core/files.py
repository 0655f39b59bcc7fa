"""Private files (faces, ID-card images, contract scans, QR codes) are served only through views
that have already checked access; there is no public media URL. Views call `serve_private_file`
with a FieldFile of an object they fetched through a scoped queryset.
"""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404

SAFE_INLINE_TYPES = {"image/jpeg", "image/png", "application/pdf"}


def serve_private_file(field_file, *, download_name: str | None = None, inline: bool = True) -> FileResponse:
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    as_attachment = not inline or content_type not in SAFE_INLINE_TYPES
    response = FileResponse(
        handle, content_type=content_type, as_attachment=as_attachment, filename=download_name or ""
    )
    response["Cache-Control"] = "no-store, private"  # faces and ID cards: no cache keeps a copy
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response
