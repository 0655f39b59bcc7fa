"""A worker signs his own labour contract on the phone and downloads it sealed; nobody else's."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from contracts.models import ContractScan, ContractSignature
from jmzhgd.core import seal
from jmzhgd.core.models import AuditLog
from jmzhgd.core.signatures import content_hash
from tests import factories
from tests.wages.test_signing import last_code, outbox, png_data_url  # noqa: F401

pytestmark = pytest.mark.django_db
CAPTCHA = {"captcha_0": "k", "captcha_1": "PASSED"}


@pytest.fixture
def contract(worker):
    return worker.person.contracts.get()


@pytest.fixture
def stranger(worker):
    """Another worker on the same team, with his own contract."""
    entry = factories.RosterEntryFactory(team=worker.team, person__phone="13900001111")
    return factories.ContractFactory(
        roster_entry=entry, start_date=entry.entry_date, end_date=date(2030, 1, 1)
    )


def verify(client, person, outbox, name=None):  # noqa: F811
    client.post(
        reverse("selfservice:contracts"),
        {"name": name or person.name, "id_number": person.id_number, **CAPTCHA},
    )
    return client.post(reverse("selfservice:contracts_code"), {"code": last_code(outbox)}, follow=True)


def test_a_worker_signs_his_contract_and_downloads_it_sealed(client, worker, contract, outbox):  # noqa: F811
    page = verify(client, worker.person, outbox).content.decode()
    assert outbox[0][0] == "13812345678" and "查看并签署" in page
    sign_url = reverse("selfservice:contract_sign", args=[contract.pk])
    shown = client.get(sign_url).content.decode()
    assert "滨江花园项目" in shown and worker.person.name in shown and "2030-03-02" in shown
    response = client.post(sign_url, {"signature": png_data_url()}, HTTP_USER_AGENT="iPhone", follow=True)
    assert "合同已签署" in response.content.decode()
    signature = ContractSignature.objects.get(contract=contract)
    assert signature.content_sha256 == content_hash(signature.content) and signature.user_agent == "iPhone"
    assert signature.verification.used_at is not None
    scan = ContractScan.objects.get(contract=contract)
    assert scan == signature.scan and scan.is_pdf
    data = client.get(reverse("selfservice:contract_pdf", args=[contract.pk])).content
    assert seal.verify_pdf(data).valid
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text().replace("\x00", "")
    assert signature.content_sha256 in text.replace("\n", "") and "滨江花园项目" in text
    assert {"contract.worker_sign", "contract.sealed_download"} <= set(
        AuditLog.objects.values_list("action", flat=True)
    )
    again = client.post(sign_url, {"signature": png_data_url()})
    assert "本合同已于" in again.content.decode() and ContractSignature.objects.count() == 1


def test_another_workers_contract_is_a_404_to_sign_and_to_download(client, worker, stranger, outbox):  # noqa: F811
    verify(client, worker.person, outbox)
    assert client.get(reverse("selfservice:contract_sign", args=[stranger.pk])).status_code == 404
    assert (
        client.post(
            reverse("selfservice:contract_sign", args=[stranger.pk]), {"signature": png_data_url()}
        ).status_code
        == 404
    )
    assert client.get(reverse("selfservice:contract_pdf", args=[stranger.pk])).status_code == 404
    mine = client.get(reverse("selfservice:my_contracts")).content.decode()
    assert stranger.person.name not in mine
    assert not ContractSignature.objects.exists()


def test_without_a_verified_code_nothing_is_shown(client, worker, contract, outbox):  # noqa: F811
    assert client.get(reverse("selfservice:contract_sign", args=[contract.pk])).status_code == 404
    assert client.get(reverse("selfservice:contract_pdf", args=[contract.pk])).status_code == 404
    assert client.get(reverse("selfservice:my_contracts")).url == reverse("selfservice:contracts")
    client.post(
        reverse("selfservice:contracts"),
        {"name": worker.person.name, "id_number": worker.person.id_number, **CAPTCHA},
    )
    wrong = client.post(
        reverse("selfservice:contracts_code"),
        {"code": "000000" if last_code(outbox) != "000000" else "111111"},
    )
    assert "验证码不正确" in wrong.content.decode()
    assert client.get(reverse("selfservice:contract_sign", args=[contract.pk])).status_code == 404


def test_a_wrong_name_answers_like_a_match_and_sends_nothing(client, worker, contract, outbox):  # noqa: F811
    right = client.post(
        reverse("selfservice:contracts"),
        {"name": worker.person.name, "id_number": worker.person.id_number, **CAPTCHA},
        follow=True,
    )
    client.cookies.clear()
    wrong = client.post(
        reverse("selfservice:contracts"),
        {"name": "某某某", "id_number": worker.person.id_number, **CAPTCHA},
        follow=True,
    )
    assert len(outbox) == 1
    assert (
        "验证码已发送至您登记的手机" in right.content.decode()
        and "验证码已发送至您登记的手机" in wrong.content.decode()
    )
    assert client.post(reverse("selfservice:contracts_code"), {"code": last_code(outbox)}).status_code == 200
    assert client.get(reverse("selfservice:contract_sign", args=[contract.pk])).status_code == 404


def test_the_project_cannot_remove_the_sealed_page_from_the_contracts_scan(client, worker, contract, outbox):  # noqa: F811
    from django.core.exceptions import ValidationError

    from contracts.services import remove_scan
    from jmzhgd.core.actor import Actor

    verify(client, worker.person, outbox)
    client.post(reverse("selfservice:contract_sign", args=[contract.pk]), {"signature": png_data_url()})
    scan = ContractSignature.objects.get().scan
    with pytest.raises(ValidationError, match="不能移除"):
        remove_scan(Actor.system("测试"), scan)
