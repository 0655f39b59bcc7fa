"""What every signature the worker gives on his phone shares (docs/signatures.md §1): the canonical hash
of the exact content he saw, and his drawn signature as a re-encoded PNG. Used by the wage line
(wages.signing) and the labour contract (contracts.signing) alike."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from .uploads import clean_image_bytes

MAX_SIGNATURE_BYTES = 512 * 1024
MAX_SIGNATURE_PIXELS = 2000 * 1000


def content_hash(content: dict) -> str:
    """SHA-256 of `content` as canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def signature_image(data_url: str) -> ContentFile:
    """The signature pad's `data:image/png;base64,…`, bounded, verified and re-encoded."""
    head, _, body = (data_url or "").partition(",")
    if head != "data:image/png;base64" or not body:
        raise ValidationError("请在签名框内手写签名后再确认。")
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError("签名图片无效，请重新签名。") from None
    if len(raw) > MAX_SIGNATURE_BYTES:
        raise ValidationError("签名图片过大，请重新签名。")
    clean, extension = clean_image_bytes(raw, label="签名图片", max_pixels=MAX_SIGNATURE_PIXELS)
    return ContentFile(clean, name=f"{uuid.uuid4().hex}.{extension}")
