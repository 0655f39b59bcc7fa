"""Pictures as the province takes them (docs/domain.md §2.2 headImage, positiveIDCardImage,
negativeIDCardImage): jpg or png, at most 50 KB ("[headImage]大小超过限制50KB!"), sent as a
base64 data URI. The stored original is never changed: a copy is scaled down and re-encoded as JPEG
on the way out, at falling quality and size until it fits.
"""

from __future__ import annotations

import base64
import io

from PIL import Image, ImageOps, UnidentifiedImageError

LIMIT_BYTES = 50 * 1024
# Under the limit even if the province measured the base64 text rather than the picture (4/3 larger).
TARGET_BYTES = LIMIT_BYTES * 3 // 4 - 64
STEPS = [(640, 85), (640, 70), (480, 70), (480, 55), (360, 55), (320, 45), (240, 40), (160, 35)]
MAX_SOURCE_PIXELS = 40_000_000


class ImageUnreadable(Exception):
    pass


def shrink(raw: bytes) -> bytes:
    """A JPEG of at most TARGET_BYTES from the picture `raw` (any format Pillow reads)."""
    try:
        with Image.open(io.BytesIO(raw)) as source:
            if source.width * source.height > MAX_SOURCE_PIXELS:
                raise ImageUnreadable("图片像素过大")
            picture = ImageOps.exif_transpose(source).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageUnreadable(str(exc)) from exc
    out = b""
    for side, quality in STEPS:
        copy = picture.copy()
        copy.thumbnail((side, side))
        buffer = io.BytesIO()
        copy.save(buffer, "JPEG", quality=quality, optimize=True)
        out = buffer.getvalue()
        if len(out) <= TARGET_BYTES:
            return out
    return out


def data_uri(field_file) -> str:
    """The stored picture of `field_file` (an ImageField's file) as the province takes it."""
    try:
        with field_file.open("rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise ImageUnreadable(str(exc)) from exc
    return "data:image/jpeg;base64," + base64.b64encode(shrink(raw)).decode("ascii")
