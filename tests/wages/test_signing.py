"""A worker signs his own wage line on the phone: identity by 姓名 + 身份证号 + a code to the phone on
record, only his line, the exact content hashed; a changed line voids the signature."""

from __future__ import annotations

import base64
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from alerts.models import Alert
from jmzhgd.core.models import AuditLog
from jmzhgd.sms.backends import MemoryBackend
from tests import factories
from wages import services, signing, transitions
from wages.models import LineSignature, PayRule

from .conftest import APRIL

pytestmark = pytest.mark.django_db
UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"


def png_data_url() -> str:
    out = io.BytesIO()
    image = Image.new("RGB", (300, 120), "white")
    image.putpixel((10, 10), (0, 0, 0))
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@pytest.fixture(autouse=True)
def outbox():
    MemoryBackend.outbox.clear()
    return MemoryBackend.outbox


@pytest.fixture
def sheet(actor, team, workers, today_may):
    sheet = services.generate_payroll(actor, team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("300"))
    sheet = transitions.approve(actor, transitions.submit(actor, sheet), "已核对")
    signing.sign_token(sheet)
    return sheet


def urls(sheet):
    return [reverse(f"selfservice:{n}", args=[sheet.sign_token]) for n in ("sign", "sign_code", "sign_line")]


def identify(client, sheet, person, name=None):
    start, _, _ = urls(sheet)
    data = {
        "name": name or person.name,
        "id_number": person.id_number,
        "captcha_0": "k",
        "captcha_1": "PASSED",
    }
    return client.post(start, data, follow=True)


def last_code(outbox) -> str:
    return outbox[-1][1].split("验证码为 ")[1][:6]


def verified(client, sheet, person, outbox):
    identify(client, sheet, person)
    client.post(urls(sheet)[1], {"code": last_code(outbox)})


def test_a_worker_signs_his_own_line_and_sees_no_one_elses(client, sheet, workers, outbox):
    zhang = workers["zhang"].person
    response = identify(client, sheet, zhang)
    assert "验证码已发送至您登记的手机" in response.content.decode()
    assert outbox[0][0] == zhang.phone
    response = client.post(urls(sheet)[1], {"code": last_code(outbox)}, follow=True)
    page = response.content.decode()
    assert "张三" in page and "900.00 元" in page and "李四" not in page and "王五" not in page
    response = client.post(
        urls(sheet)[2], {"decision": "confirmed", "signature": png_data_url()}, HTTP_USER_AGENT=UA
    )
    assert "已确认签名" in response.content.decode()
    signature = LineSignature.objects.get()
    row = signature.row
    assert signature.content_sha256 == signing.content_hash(signing.line_content(row))
    assert signature.content["actual_amount"] == "900.00" and signature.user_agent == UA
    assert signature.ip == "127.0.0.1" and signature.verification.used_at is not None
    assert signature.image.read()[:8] == b"\x89PNG\r\n\x1a\n"
    row.refresh_from_db()
    assert row.signed is True
    assert AuditLog.objects.filter(action="payroll.line_sign").count() == 1
    with pytest.raises(ValidationError, match="不能修改"):
        signature.save()


def test_an_unknown_id_and_a_wrong_name_answer_exactly_like_a_match(client, sheet, workers, outbox):
    stranger = factories.PersonFactory()
    answers = [
        identify(client, sheet, stranger).content.decode(),
        identify(client, sheet, workers["zhang"].person, name="张四").content.decode(),
    ]
    assert outbox == []
    strip = lambda html: html.split("csrfmiddlewaretoken")[0]  # noqa: E731
    matched = identify(client, sheet, workers["li"].person).content.decode()
    assert strip(answers[0]) == strip(answers[1]) == strip(matched)
    response = client.post(urls(sheet)[1], {"code": "123456"})
    assert "验证码不正确" in response.content.decode()


def test_a_wrong_and_a_reused_code_are_refused(client, sheet, workers, outbox):
    identify(client, sheet, workers["zhang"].person)
    code = last_code(outbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert "验证码不正确" in client.post(urls(sheet)[1], {"code": wrong}).content.decode()
    assert client.post(urls(sheet)[1], {"code": code}).status_code == 302
    assert "验证码无效" in client.post(urls(sheet)[1], {"code": code}).content.decode()


def test_an_expired_code_is_refused(client, sheet, workers, outbox, monkeypatch):
    identify(client, sheet, workers["zhang"].person)
    later = timezone.now() + datetime.timedelta(minutes=5, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.post(urls(sheet)[1], {"code": last_code(outbox)})
    assert "验证码已失效" in response.content.decode()
    assert client.get(urls(sheet)[2]).status_code == 302


def test_another_sheets_link_signs_nothing(client, sheet, actor, workers, outbox, project):
    other_team = factories.TeamFactory(
        unit__project=project, name="木工班", entry_date=datetime.date(2026, 3, 2)
    )
    entry = factories.RosterEntryFactory(team=other_team, person__name="赵六")
    from .conftest import present

    present(entry, APRIL.replace(day=2))
    other = services.generate_payroll(actor, other_team, APRIL, pay_rule=PayRule.DAILY, rate=Decimal("300"))
    other = transitions.approve(actor, transitions.submit(actor, other), "已核对")
    signing.sign_token(other)
    verified(client, sheet, workers["zhang"].person, outbox)
    assert client.get(urls(other)[2]).status_code == 302  # his session is for the first sheet only
    identify(client, other, workers["zhang"].person)  # he has no line on the other sheet
    assert len(outbox) == 1
    assert client.get(reverse("selfservice:sign", args=["not-a-token"])).status_code == 404


def test_a_dispute_needs_a_reason_and_opens_an_alert(client, sheet, workers, outbox):
    verified(client, sheet, workers["li"].person, outbox)
    assert "请填写异议内容" in client.post(urls(sheet)[2], {"decision": "disputed"}).content.decode()
    response = client.post(urls(sheet)[2], {"decision": "disputed", "reason": "我干了三天，只算两天"})
    assert "异议已提交" in response.content.decode()
    alert = Alert.objects.get()
    assert "只算两天" in alert.facts["反映内容"] and alert.project_id == sheet.project_id


def test_changing_a_signed_line_voids_its_signature(client, actor, sheet, workers, outbox):
    verified(client, sheet, workers["zhang"].person, outbox)
    client.post(urls(sheet)[2], {"decision": "confirmed", "signature": png_data_url()})
    signature = LineSignature.objects.get()
    transitions.return_payroll(actor, sheet, "金额有误")
    services.update_rows(actor, sheet, {signature.row_id: {"total_amount": "950"}})
    signature.refresh_from_db()
    assert signature.voided_at is not None and signature.void_reason == "签署后明细已修改"
    assert signature.row.signed is False or not type(signature.row).objects.get(pk=signature.row_id).signed
    assert AuditLog.objects.filter(action="payroll.signature_void").count() == 1


def test_a_line_changed_behind_the_actions_back_shows_its_signature_broken(client, sheet, workers, outbox):
    verified(client, sheet, workers["zhang"].person, outbox)
    client.post(urls(sheet)[2], {"decision": "confirmed", "signature": png_data_url()})
    row = LineSignature.objects.get().row
    assert signing.signature_states(sheet) == {row.pk: "已电子签名"}
    type(row).objects.filter(pk=row.pk).update(actual_amount=Decimal("1"))
    assert signing.signature_states(sheet) == {row.pk: "内容不符，签名失效"}


def test_confirming_by_signatures_needs_each_line_signed_or_the_banks_voucher(
    client, actor, sheet, workers, outbox
):
    from wages.models import PayrollRow, RowPayStatus

    from .test_transitions import PAY_DAY, png

    verified(client, sheet, workers["zhang"].person, outbox)
    client.post(urls(sheet)[2], {"decision": "confirmed", "signature": png_data_url()})
    PayrollRow.objects.filter(payroll=sheet).update(pay_status=RowPayStatus.PAID)  # the bank's result
    sheet = transitions.mark_paid(actor, sheet, balance_date=PAY_DAY)
    assert [r.person.name for r in signing.evidence(sheet)["unsigned"]] == ["李四", "王五"]
    with pytest.raises(ValidationError, match="还有 2 人既没有本人电子签名，也没有银行代发凭证：李四、王五"):
        transitions.confirm(actor, sheet, electronic=True)
    sheet.voucher.save("凭证.png", png(), save=True)
    assert transitions.confirm(actor, sheet, electronic=True).status == "confirmed"


def test_the_workers_lookup_shows_his_signed_line(client, sheet, workers, outbox):
    from selfservice.services import wage_lines

    zhang = workers["zhang"].person
    verified(client, sheet, zhang, outbox)
    client.post(urls(sheet)[2], {"decision": "confirmed", "signature": png_data_url()})
    assert [line.signature for line in wage_lines(zhang, [APRIL])] == ["已电子签名"]
    assert [line.signature for line in wage_lines(workers["li"].person, [APRIL])] == [""]


def test_asking_again_within_the_minute_keeps_the_code_already_sent(client, sheet, workers, outbox):
    identify(client, sheet, workers["zhang"].person)
    identify(client, sheet, workers["zhang"].person)  # one code a minute: nothing new is sent
    assert len(outbox) == 1
    assert client.post(urls(sheet)[1], {"code": last_code(outbox)}).status_code == 302
