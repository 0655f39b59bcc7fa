import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jmzhgd.core.uploads import clean_image, clean_image_or_pdf, clean_pdf


def make_image(fmt="JPEG", size=(60, 80), exif=False):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 100, 50))
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        kwargs["exif"] = data
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def upload(data, name="x.jpg"):
    return SimpleUploadedFile(name, data)


def test_a_jpeg_is_re_encoded_without_exif_under_a_random_name():
    cleaned = clean_image(upload(make_image(exif=True), "张三.jpg"))
    assert cleaned.name.endswith(".jpg") and "张三" not in cleaned.name
    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.format == "JPEG" and not image.getexif()


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(ValidationError) as caught:
        clean_image(upload(b"<html><script>alert(1)</script></html>", "photo.jpg"))
    assert "不是有效的 JPG 或 PNG 图片" in caught.value.messages[0]


def test_a_gif_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (5, 5)).save(buffer, "GIF")
    with pytest.raises(ValidationError) as caught:
        clean_image(upload(buffer.getvalue(), "a.gif"))
    assert "只支持 JPG 或 PNG" in caught.value.messages[0]


def test_a_decompression_bomb_is_refused(settings):
    # A tiny PNG that claims a huge canvas: refused by its pixel count before it is decoded.
    settings.UPLOAD_IMAGE_MAX_PIXELS = 1_000_000
    buffer = io.BytesIO()
    Image.new("1", (4000, 4000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 50_000
    with pytest.raises(ValidationError) as caught:
        clean_image(upload(buffer.getvalue(), "bomb.png"))
    assert "像素过大" in caught.value.messages[0]


def test_a_file_over_the_size_cap_is_refused(settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        clean_image(upload(make_image()))
    assert "不能超过" in caught.value.messages[0]


def test_pdfs_are_checked_by_signature_and_active_content():
    good = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert clean_pdf(upload(good, "c.pdf")).name.endswith(".pdf")
    with pytest.raises(ValidationError):
        clean_pdf(upload(b"MZ\x90\x00 not a pdf %%EOF", "c.pdf"))
    with pytest.raises(ValidationError) as caught:
        clean_pdf(
            upload(b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n%%EOF", "c.pdf")
        )
    assert "脚本" in caught.value.messages[0]
    assert clean_image_or_pdf(upload(good, "scan.jpg")).name.endswith(".pdf")
