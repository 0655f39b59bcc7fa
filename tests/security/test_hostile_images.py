"""Hostile images (ASVS 5.2.1, 5.2.2): markup in metadata, and a small file of many pixels."""

from __future__ import annotations

import io
import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, ImageFile, PngImagePlugin

from jmzhgd.core.uploads import clean_image, clean_image_or_pdf

SCRIPT = b"<script>alert(document.cookie)</script>"


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def hostile_jpeg() -> bytes:
    """A JPEG with the script in its comment, in an XMP (APP1) and a Photoshop (APP13) segment, and
    an sRGB colour profile that must survive."""
    out = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG", comment=SCRIPT, icc_profile=srgb)
    data = out.getvalue()
    extra = _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + SCRIPT) + _segment(
        0xED, b"Photoshop 3.0\0" + SCRIPT
    )
    return data[:2] + extra + data[2:]


def hostile_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    info.add_itxt("Description", SCRIPT.decode())
    info.add_text("Author", SCRIPT.decode(), zip=True)
    out = io.BytesIO()
    Image.new("RGBA", (64, 48), (0, 0, 255, 128)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_no_byte_of_a_jpeg_comment_or_app_segment_survives_the_re_encoding_but_the_colour_profile_does():
    data = hostile_jpeg()
    assert data.count(SCRIPT) == 3
    clean = clean_image(SimpleUploadedFile("face.jpg", data)).read()
    assert b"<script" not in clean and b"alert" not in clean
    assert b"\xff\xfe" not in clean.split(b"\xff\xda", 1)[0]  # no COM segment before the scan data
    assert Image.open(io.BytesIO(clean)).info.get("icc_profile")


def test_no_byte_of_a_png_text_chunk_survives_the_re_encoding():
    clean = clean_image(SimpleUploadedFile("face.png", hostile_png())).read()
    assert b"<script" not in clean and b"alert" not in clean
    assert not {b"tEXt", b"iTXt", b"zTXt"} & {clean[i : i + 4] for i in range(len(clean) - 4)}


def test_a_gif_with_a_comment_is_not_accepted_at_all():
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF", comment=SCRIPT)
    with pytest.raises(ValidationError):
        clean_image(SimpleUploadedFile("face.gif", out.getvalue()))


def many_pixels_png(width: int = 8000, height: int = 5000) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


def test_a_small_photo_of_40_megapixels_is_refused_before_it_is_decoded(monkeypatch):
    data = many_pixels_png()
    assert len(data) < 150 * 1024
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self) or None)
    with pytest.raises(ValidationError) as caught:
        clean_image(SimpleUploadedFile("face.png", data), label="人员照片")
    assert (
        caught.value.code == "too_many_pixels" and "人员照片像素过大（8000×5000）" in caught.value.messages[0]
    )
    assert decoded == []


def test_a_scanned_page_keeps_the_document_cap(settings):
    settings.UPLOAD_PHOTO_MAX_PIXELS = 1_000_000
    data = many_pixels_png(1500, 1500)  # 2.25 MP: too many for a photo, fine for a scan
    with pytest.raises(ValidationError):
        clean_image(SimpleUploadedFile("face.png", data))
    assert clean_image_or_pdf(SimpleUploadedFile("scan.png", data)).name.endswith(".png")
