"""Upload checks shared by every page and the API (docs/requirements.md §11; OWASP ASVS V5).

Images: only JPEG/PNG, size and pixel caps, verified by Pillow, re-encoded (which drops EXIF, GPS and
anything appended to the file) and orientation applied. PDFs: signature, size, and no JavaScript or
embedded files. Every failure is a ValidationError with a Chinese message.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from .pdf_safety import UnreadablePdf, active_content

IMAGE_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}


def _read(upload, max_bytes: int, label: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(f"{label}不能超过 {max_bytes // (1024 * 1024)} MB。", code="too_large")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(f"{label}不能超过 {max_bytes // (1024 * 1024)} MB。", code="too_large")
    if not data:
        raise ValidationError(f"{label}是空文件。", code="empty")
    return data


def clean_image_bytes(
    data: bytes, *, label: str = "图片", max_pixels: int | None = None
) -> tuple[bytes, str]:
    """Verify and re-encode image bytes; returns (bytes, extension).

    The pixel count is read from the header and checked before anything is decoded. Unless told
    otherwise the image is a photo, held to the lower photo cap; scans pass the document cap."""
    max_pixels = max_pixels or photo_max_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            image_format = probe.format
            width, height = probe.size
            if width * height > max_pixels:
                raise ValidationError(
                    f"{label}像素过大（{width}×{height}），请压缩后上传。", code="too_many_pixels"
                )
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(f"{label}像素过大，请压缩后上传。", code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(f"{label}不是有效的 JPG 或 PNG 图片。", code="not_image") from None
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(f"{label}只支持 JPG 或 PNG 格式。", code="bad_format")
    image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if image_format == "JPEG":
        image = _without_metadata(image.convert("RGB"))
        image.save(out, "JPEG", quality=88, optimize=True, icc_profile=image.info.get("icc_profile"))
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        _without_metadata(image).save(out, "PNG", optimize=True)
    return out.getvalue(), IMAGE_FORMATS[image_format][0]


# What the re-encoded picture keeps of the upload's metadata: its colour profile (how it looks) and
# a palette's transparent colour. Comments (JPEG COM), APPn segments (EXIF, XMP, Photoshop), PNG
# text chunks and the like are dropped: any of them can carry HTML or script that a browser
# sniffing the stored file, or a viewer showing comments, would act on.
KEPT_IMAGE_INFO = ("icc_profile", "transparency")


def _without_metadata(image: Image.Image) -> Image.Image:
    image.info = {key: value for key, value in image.info.items() if key in KEPT_IMAGE_INFO}
    return image


def photo_max_pixels() -> int:
    return min(settings.UPLOAD_PHOTO_MAX_PIXELS, settings.UPLOAD_IMAGE_MAX_PIXELS)


def clean_image(
    upload, *, label: str = "图片", max_bytes: int | None = None, max_pixels: int | None = None
) -> SimpleUploadedFile:
    """An uploaded image checked and re-encoded, as a new file with a random name."""
    data = _read(upload, max_bytes or settings.UPLOAD_IMAGE_MAX_BYTES, label)
    clean, extension = clean_image_bytes(data, label=label, max_pixels=max_pixels)
    return SimpleUploadedFile(f"{uuid.uuid4().hex}.{extension}", clean, content_type=f"image/{extension}")


def clean_pdf(upload, *, label: str = "PDF 文件", max_bytes: int | None = None) -> SimpleUploadedFile:
    """A PDF checked by signature and size, refusing active content (JavaScript, actions that run on
    opening, launch/submit/import/remote actions, embedded files: `pdf_safety`), naming what was
    found, and PDFs that cannot be read."""
    data = _read(upload, max_bytes or settings.UPLOAD_DOCUMENT_MAX_BYTES, label)
    if not data.startswith(b"%PDF-"):
        raise ValidationError(f"{label}不是有效的 PDF 文件。", code="not_pdf")
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(f"{label}不完整或已损坏。", code="bad_pdf")
    try:
        active = active_content(data)
    except UnreadablePdf:
        raise ValidationError(
            f"{label}无法读取（已损坏，或设置了打开密码），请重新扫描或导出后上传。", code="bad_pdf"
        ) from None
    if active is not None:
        raise ValidationError(
            f"{label}包含脚本、自动动作或嵌入文件（{active}），出于安全原因不能上传。", code="active_pdf"
        )
    return SimpleUploadedFile(f"{uuid.uuid4().hex}.pdf", data, content_type="application/pdf")


def clean_image_or_pdf(upload, *, label: str = "文件") -> SimpleUploadedFile:
    """jpg/png/pdf, decided by content, not by the file name."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return clean_pdf(upload, label=label)
    # A scanned page (licence, contract, attachment) may be an A4 sheet at 600 dpi: the document cap.
    return clean_image(upload, label=label, max_pixels=settings.UPLOAD_IMAGE_MAX_PIXELS)
