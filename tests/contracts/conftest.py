from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jmzhgd.core.actor import Actor
from tests import factories


def png_bytes(size=(120, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (240, 240, 230)).save(out, "PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    """A one-page PDF, as a scanner's software writes one (an image on a page)."""
    out = io.BytesIO()
    Image.new("RGB", (210, 297), (250, 250, 250)).save(out, "PDF")
    return out.getvalue()


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def actor(project_user):
    return Actor(user=project_user, ip="127.0.0.1")


@pytest.fixture
def entry(project):
    """A worker on site in `project`, in a team of a labour subcontractor."""
    return factories.RosterEntryFactory(team__unit__project=project)


@pytest.fixture
def scan(actor, entry):
    """A signed contract of `entry` with one PNG page "a.png"."""
    from contracts import services

    contract = services.sign_contract(
        actor, entry, {"start_date": date(2026, 3, 3), "end_date": date(2027, 3, 2)}
    )
    (page,) = services.add_scans(
        actor, contract, [SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")]
    )
    return page
