"""PDFs that act when opened or clicked (ASVS 5.2.2): refused on every PDF upload, naming why.

The PDFs are written with pypdf: a blank page plus exactly the hostile part under test.
"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from contracts.models import Contract, ContractScan
from enterprises.models import Enterprise
from jmzhgd.core.uploads import clean_pdf
from projects.models import Declaration
from tests.contracts.test_pages import form_data
from tests.factories import RosterEntryFactory, credit_code
from tests.projects.helpers import CAPTCHA, declaration_data

pytestmark = pytest.mark.django_db


def _name(value: str) -> NameObject:
    return NameObject(value)


def action(kind: str, **entries) -> DictionaryObject:
    values = {_name("/S"): _name(kind)}
    for key, value in entries.items():
        values[_name(f"/{key}")] = TextStringObject(value) if isinstance(value, str) else value
    return DictionaryObject(values)


def pdf(*, open_action=None, page_aa=None, link=None) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    if open_action is not None:
        writer._root_object[_name("/OpenAction")] = writer._add_object(open_action)
    if page_aa is not None:
        page[_name("/AA")] = DictionaryObject({_name("/O"): page_aa})
    if link is not None:
        annotation = DictionaryObject(
            {
                _name("/Type"): _name("/Annot"),
                _name("/Subtype"): _name("/Link"),
                _name("/Rect"): ArrayObject(
                    [NumberObject(0), NumberObject(0), NumberObject(100), NumberObject(20)]
                ),
                _name("/A"): link,
            }
        )
        page[_name("/Annots")] = ArrayObject([writer._add_object(annotation)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


HOSTILE = {
    "open-uri": (pdf(open_action=action("/URI", URI="https://tracker.example/open")), "访问网址"),
    "page-aa-uri": (pdf(page_aa=action("/URI", URI="https://tracker.example/page")), "访问网址"),
    "open-uri-via-next": (
        pdf(
            open_action=action(
                "/GoTo",
                D=ArrayObject([NumberObject(0), _name("/Fit")]),
                Next=action("/URI", URI="https://tracker.example/next"),
            )
        ),
        "访问网址",
    ),
    "submit-form": (pdf(open_action=action("/SubmitForm", F="https://collector.example/")), "SubmitForm"),
    "goto-remote-share": (pdf(open_action=action("/GoToR", F="\\\\192.0.2.1\\share\\x.pdf")), "GoToR"),
    "import-data": (pdf(page_aa=action("/ImportData", F="data.fdf")), "ImportData"),
    "launch": (pdf(open_action=action("/Launch", F="cmd.exe")), "Launch"),
    "javascript-link": (pdf(link=action("/URI", URI="javascript:app.alert(1)")), "javascript:"),
    "javascript-link-disguised": (pdf(link=action("/URI", URI=" JavaScript\t:alert(1)")), "javascript:"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_pdf_that_acts_on_opening_or_runs_a_script_link_is_refused_naming_why(kind):
    data, reason = HOSTILE[kind]
    with pytest.raises(ValidationError) as caught:
        clean_pdf(SimpleUploadedFile("合同.pdf", data))
    assert caught.value.code == "active_pdf"
    assert reason in caught.value.messages[0] and "不能上传" in caught.value.messages[0]


def test_an_ordinary_web_link_that_the_reader_clicks_is_accepted():
    data = pdf(link=action("/URI", URI="https://www.jiangmen.gov.cn/"))
    assert clean_pdf(SimpleUploadedFile("合同.pdf", data)).name.endswith(".pdf")


OPEN_URI = HOSTILE["open-uri"][0]


def test_the_declaration_form_refuses_it(client):
    upload = SimpleUploadedFile("附件.pdf", OPEN_URI)
    data = {**declaration_data(), **CAPTCHA, "attachments": [upload]}
    response = client.post("/declare/", data, REMOTE_ADDR="10.9.9.8")
    assert response.status_code in (200, 400) and "访问网址" in response.content.decode()
    assert not Declaration.objects.exists()


def test_the_enterprise_licence_scan_refuses_it(project_client):
    data = {
        "credit_code": credit_code(),
        "name": "江门市蓬江建筑劳务有限公司",
        "contact_phone": "13800138000",
        "licence_scan": SimpleUploadedFile("营业执照.pdf", OPEN_URI),
    }
    response = project_client.post(reverse("enterprises:register"), data)
    assert "访问网址" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_the_contract_scans_refuse_it(project_client, project):
    entry = RosterEntryFactory(team__unit__project=project)
    data = form_data(entry, scans=[SimpleUploadedFile("合同.pdf", HOSTILE["javascript-link"][0])])
    url = reverse("contracts:entry", kwargs={"project_id": project.pk, "entry_id": entry.pk})
    response = project_client.post(url, data)
    assert "javascript: 链接" in response.content.decode()
    assert not Contract.objects.exists() and not ContractScan.objects.exists()
