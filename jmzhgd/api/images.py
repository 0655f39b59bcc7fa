"""Base64 images in API bodies, checked exactly like uploads on the pages (jmzhgd.core.uploads)."""

from __future__ import annotations

import base64
import binascii
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jmzhgd.core.uploads import clean_image_bytes

_DATA_URI = re.compile(r"^data:image/[a-zA-Z+.-]+;base64,")


def decode_base64_image(value: str, *, label: str) -> SimpleUploadedFile:
    """A base64 (or data-URI) JPEG/PNG, verified, capped and re-encoded; ValidationError otherwise."""
    text = _DATA_URI.sub("", (value or "").strip())
    max_bytes = settings.UPLOAD_IMAGE_MAX_BYTES
    if len(text) > (max_bytes * 4) // 3 + 4:
        raise ValidationError(f"{label}不能超过 {max_bytes // (1024 * 1024)} MB。", code="too_large")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(f"{label}不是有效的 base64 编码。", code="bad_base64") from None
    if not data:
        raise ValidationError(f"{label}是空文件。", code="empty")
    clean, extension = clean_image_bytes(data, label=label)
    return SimpleUploadedFile(f"{uuid.uuid4().hex}.{extension}", clean, content_type=f"image/{extension}")
