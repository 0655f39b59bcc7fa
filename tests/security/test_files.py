"""OWASP ASVS 5.0 V5: where uploaded files live, what names they get, how they are served."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jmzhgd.core.files import download_filename, serve_private_file
from projects.models import DeclarationAttachment
from tests.projects.helpers import CAPTCHA, declaration_data, png_bytes

pytestmark = pytest.mark.django_db

RANDOM_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|pdf)$")


class Stored:
    """A FieldFile stand-in for a file already in storage."""

    def __init__(self, name):
        self.name = name

    def __bool__(self):
        return True

    def open(self, mode="rb"):
        return default_storage.open(self.name, mode)


def test_uploads_are_stored_under_a_random_name_outside_any_url_with_restricted_modes(client):
    """V5.3.2 (user file names never build a path), V5.3.1 (no public URL serves the media folder)."""
    upload = SimpleUploadedFile("../../../etc/cron.d/x.png", png_bytes())
    data = {**declaration_data(), **CAPTCHA, "attachments": [upload]}
    assert client.post("/declare/", data, REMOTE_ADDR="10.9.9.9").status_code == 302

    attachment = DeclarationAttachment.objects.get()
    stored = Path(attachment.file.path)
    assert RANDOM_NAME.match(stored.name)
    assert stored.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert attachment.original_name == "x.png"  # only kept as a label for the download
    assert os.stat(stored).st_mode & 0o777 == 0o640
    assert os.stat(stored.parent).st_mode & 0o777 == 0o750

    for prefix in (settings.MEDIA_URL, "/media/"):
        assert client.get(prefix + attachment.file.name).status_code == 404


def test_a_served_file_is_sandboxed_and_never_sniffed(client, supervisor):
    """V5.4 / the file-serving rules: inline only for JPEG, PNG and PDF, with nosniff and a sandbox CSP."""
    data = {**declaration_data(), **CAPTCHA, "attachments": [SimpleUploadedFile("许可证.png", png_bytes())]}
    client.post("/declare/", data, REMOTE_ADDR="10.9.9.8")
    attachment = DeclarationAttachment.objects.get()
    client.force_login(supervisor)
    url = reverse(
        "projects:declaration_attachment",
        kwargs={"declaration_id": attachment.declaration_id, "attachment_id": attachment.pk},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline;")
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["legacy/page.html", "legacy/logo.svg", "legacy/readme.txt"])
def test_any_other_stored_type_is_only_ever_an_attachment(name):
    """Defence in depth: a file that is not JPEG/PNG/PDF (e.g. stored before the checks existed) is
    never rendered by the browser."""
    default_storage.save(name, ContentFile(b"<script>alert(1)</script>"))
    response = serve_private_file(Stored(name))
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_hostile_download_name_cannot_inject_headers():
    """V5.4: the original name is only a label; quotes and line breaks are encoded, never raw."""
    default_storage.save("legacy/a.pdf", ContentFile(b"%PDF-1.4\n%%EOF"))
    response = serve_private_file(
        Stored("legacy/a.pdf"), download_name='x".pdf\r\nSet-Cookie: a=b', inline=False
    )
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    header_names = [line.split(b":")[0].lower() for line in response.serialize_headers().splitlines()]
    assert b"set-cookie" not in header_names


def test_the_upload_caps_are_set_for_every_path(settings):
    """V5.2.1: page uploads (image 5 MB, document 10 MB, 40 MP), request bodies (12 MB, nginx 12m),
    API bodies (4 MB) and the import workbook (10 MB) have finite caps."""
    assert settings.UPLOAD_IMAGE_MAX_BYTES == 5 * 1024 * 1024
    assert settings.UPLOAD_DOCUMENT_MAX_BYTES == 10 * 1024 * 1024
    assert settings.UPLOAD_IMAGE_MAX_PIXELS == 40_000_000
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 12 * 1024 * 1024
    assert settings.API_MAX_BODY_BYTES == 4 * 1024 * 1024
    nginx = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf").read_text()
    assert "client_max_body_size 12m;" in nginx


def test_an_oversized_base64_image_is_refused_before_it_is_decoded(settings, monkeypatch):
    """V5.2.1 on the API: the base64 text is measured first, so a huge image is never decoded."""
    import base64

    from django.core.exceptions import ValidationError

    from jmzhgd.api import images

    settings.UPLOAD_IMAGE_MAX_BYTES = 1024
    decoded = []
    monkeypatch.setattr(images.base64, "b64decode", lambda *a, **k: decoded.append(1) or b"")
    with pytest.raises(ValidationError) as caught:
        images.decode_base64_image(base64.b64encode(b"\xff" * 2048).decode(), label="头像")
    assert caught.value.code == "too_large" and decoded == []


def test_no_template_links_a_stored_file_directly():
    """Files are reached only through the access-checked views that call serve_private_file: no
    template uses a FileField's .url (which would point at the unrouted MEDIA_URL)."""
    fields = "file|thumbnail|photo|id_front_image|id_back_image|licence_scan|place_code_image|original_file"
    pattern = re.compile(rf"\.({fields})\.url\b|MEDIA_URL")
    root = Path(__file__).resolve().parents[2]
    templates = [
        path
        for folder in (
            "templates",
            "projects",
            "enterprises",
            "workforce",
            "attendance",
            "contracts",
            "jmzhgd",
        )
        for path in (root / folder).rglob("*.html")
    ]
    assert len(templates) > 20
    offenders = [
        p.relative_to(root).as_posix() for p in templates if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_download_is_named_by_the_detected_type_not_by_the_uploaders_extension(client, supervisor):
    """A PNG uploaded as "a<RLO>gnp.exe" (shown by a file manager as "aexe.png") is offered as a
    .png, without the override character."""
    hostile = "a\u202egnp.exe"
    data = {**declaration_data(), **CAPTCHA, "attachments": [SimpleUploadedFile(hostile, png_bytes())]}
    client.post("/declare/", data, REMOTE_ADDR="10.9.9.7")
    attachment = DeclarationAttachment.objects.get()
    assert attachment.original_name.endswith(".exe")  # the uploader's name is kept, as a label only
    client.force_login(supervisor)
    url = reverse(
        "projects:declaration_attachment",
        kwargs={"declaration_id": attachment.declaration_id, "attachment_id": attachment.pk},
    )
    assert client.get(url)["Content-Disposition"] == 'inline; filename="agnp.png"'


@pytest.mark.parametrize(
    ("label", "stored", "offered"),
    [
        ("扫描件.exe", "contracts/scans/2026/03/0a.pdf", "扫描件.pdf"),
        ("..\\..\\Windows\\合同.pdf", "contracts/scans/2026/03/0a.pdf", "合同.pdf"),
        ("名单.xlsm", "imports/0a.xlsx", "名单.xlsx"),
        ("a\u200bb\r\n<c>.jpg", "faces/0a.jpg", "ab_c.jpg"),
        ("\u202e", "faces/0a.jpg", "文件.jpg"),
        ("报告" * 80 + ".png", "faces/0a.png", "报告" * 50 + ".png"),
    ],
)
def test_a_download_name_is_a_safe_base_name_with_the_detected_extension(label, stored, offered):
    assert download_filename(label, stored) == offered
