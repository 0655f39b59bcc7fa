import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jmzhgd.core.uploads import clean_image, clean_image_or_pdf, clean_pdf

FIXTURES = Path(__file__).parent / "fixtures"


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


def make_pdf(open_action=None, attachment=False, password=None, escaped_name=False) -> bytes:
    """A one-page PDF written by pypdf, with what a test asks for."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if open_action is not None:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject(open_action), NameObject("/JS"): TextStringObject("app.alert(1)")}
            if open_action == "/JavaScript"
            else {NameObject("/S"): NameObject(open_action), NameObject("/F"): TextStringObject("cmd.exe")}
        )
    if attachment:
        writer.add_attachment("readme.txt", b"hello")
    if password:
        writer.encrypt(password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    if escaped_name:  # the same name written with a #xx escape, which a byte search does not match
        data = data.replace(b"/JS ", b"/J#53 ").replace(b"/JavaScript", b"/J#61vaScript")
    return data


def test_a_real_pdf_and_a_scanners_image_pdf_are_accepted():
    assert clean_pdf(upload(make_pdf(), "c.pdf")).name.endswith(".pdf")
    scan = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(scan, "PDF")
    assert clean_pdf(upload(scan.getvalue(), "扫描件.pdf")).name.endswith(".pdf")
    assert clean_image_or_pdf(upload(make_pdf(), "scan.jpg")).name.endswith(".pdf")  # by content


@pytest.mark.parametrize(
    "data",
    [
        make_pdf(open_action="/JavaScript"),
        make_pdf(open_action="/Launch"),
        make_pdf(attachment=True),
        make_pdf(open_action="/JavaScript", escaped_name=True),
        # The script's dictionary inside a compressed object stream (written by qpdf): no byte of
        # the file spells /JavaScript or /JS, which the earlier byte scan relied on.
        (FIXTURES / "javascript_in_object_stream.pdf").read_bytes(),
    ],
    ids=["javascript", "launch", "embedded-file", "escaped-name", "object-stream"],
)
def test_a_pdf_with_active_content_is_refused(data):
    if b"ObjStm" in data:
        assert b"/JavaScript" not in data and b"/JS" not in data
    with pytest.raises(ValidationError) as caught:
        clean_pdf(upload(data, "c.pdf"))
    assert caught.value.code == "active_pdf" and "脚本" in caught.value.messages[0]


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00 not a pdf %%EOF",
        b"%PDF-1.4 cut off in the middle, without an end marker",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",  # no catalogue, no cross-reference
        make_pdf(password="only-the-sender-knows"),
    ],
    ids=["not-a-pdf", "truncated", "unreadable", "password"],
)
def test_a_pdf_that_cannot_be_read_is_refused(data):
    with pytest.raises(ValidationError) as caught:
        clean_pdf(upload(data, "c.pdf"))
    assert caught.value.code in ("not_pdf", "bad_pdf")
