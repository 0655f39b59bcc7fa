"""工人自助查询: only the worker's own combination reveals anything; malformed input, rate limits, 【我要反映】."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert
from jmzhgd.core.models import AuditLog
from jmzhgd.core.months import month_back
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/worker/"


def ask(client, name, id_number, last4="5678"):
    data = {
        "name": name,
        "id_number": id_number,
        "phone_last4": last4,
        "captcha_0": "k",
        "captcha_1": "PASSED",
    }
    return client.post(URL, data)


def neutral(response) -> str:
    """The page without what differs per request (CSRF token, captcha key, picture and sound)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'value="[^"]*"', "", html)  # the form echoes what was typed
    html = re.sub(r"/captcha/(image|audio)/[0-9a-f]+", "", html)
    return re.sub(r'captcha_0"[^>]*>', "", html)


def test_the_page_is_linked_from_the_login_page(client):
    assert 'href="/worker/"' in client.get(reverse("accounts:login")).content.decode()


def test_the_right_combination_shows_only_his_own_records_and_is_audited(client, worker):
    response = ask(client, worker.person.name, worker.person.id_number)
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="worker-record"' in html
    assert "滨江花园项目" in html and f"进场 {worker.entry_date:%Y-%m-%d}" in html
    assert "本月" in html and "1 天" in html and "有效（" in html
    assert worker.person.id_number not in html and worker.person.id_number_masked in html
    row = AuditLog.objects.get(action="selfservice.lookup")
    assert "信息一致" in row.summary and worker.person.id_number not in row.summary


@pytest.mark.parametrize("mismatch", ["name", "phone", "unknown"])
def test_a_mismatched_combination_reveals_nothing_and_answers_like_an_unknown_one(client, worker, mismatch):
    person = worker.person
    unknown = factories.id_number()
    baseline = ask(client, "王某某", unknown, "0000")
    if mismatch == "name":
        response = ask(client, "王某某", person.id_number)
    elif mismatch == "phone":
        response = ask(client, person.name, person.id_number, "0000")
    else:
        response = ask(client, person.name, unknown)
    html = response.content.decode()
    assert response.status_code == 200 and "未找到与填写信息一致的记录" in html
    assert "滨江花园项目" not in html and person.id_number_masked not in html
    assert "worker-record" not in html
    assert neutral(response) == neutral(baseline)
    assert AuditLog.objects.filter(action="selfservice.lookup", summary__contains="未匹配").count() == 2


def test_malformed_id_number_and_phone_digits_get_a_message_before_any_lookup(client, worker):
    response = ask(client, worker.person.name, "44070319900101123", "56a8")
    html = response.content.decode()
    assert "身份证号码应为18位" in html and "请填写登记手机号的后4位数字" in html
    for field in ("id_id_number", "id_phone_last4"):  # each message is its field's description
        assert f'aria-describedby="{field}_error"' in html and f'id="{field}_error"' in html
    assert not AuditLog.objects.filter(action="selfservice.lookup").exists()


def test_lookups_are_rate_limited_per_ip(client, settings, worker):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "selfservice:lookup": (2, 600, ["POST"])}
    for _ in range(2):
        ask(client, "王某某", factories.id_number())
    response = ask(client, worker.person.name, worker.person.id_number)
    assert response.status_code == 429 and "请求过于频繁" in response.content.decode()


def _ask_from(client, person, last4, address):
    data = {"name": person.name, "id_number": person.id_number, "phone_last4": last4}
    return client.post(URL, {**data, "captcha_0": "k", "captcha_1": "PASSED"}, REMOTE_ADDR=address)


def test_one_address_guessing_one_id_numbers_phone_digits_is_stopped(client, settings, worker):
    settings.SELFSERVICE_ID_RATE_LIMIT = (2, 3600)
    for last4 in ("0001", "0002"):
        _ask_from(client, worker.person, last4, "10.9.8.7")
    response = _ask_from(client, worker.person, "5678", "10.9.8.7")
    assert response.status_code == 429 and "该身份证号查询过于频繁" in response.content.decode()
    assert "worker-record" not in response.content.decode()


def test_strangers_on_other_addresses_do_not_block_the_workers_own_lookup(client, settings, worker):
    settings.SELFSERVICE_ID_RATE_LIMIT = (2, 3600)
    for n in range(10):
        _ask_from(client, worker.person, f"{n:04d}", f"10.9.8.{n + 10}")
    response = _ask_from(client, worker.person, worker.person.phone[-4:], "10.1.1.1")
    assert response.status_code == 200 and "worker-record" in response.content.decode()


def test_a_wrong_captcha_is_refused_before_any_lookup(client, worker):
    data = {"name": worker.person.name, "id_number": worker.person.id_number, "phone_last4": "5678"}
    response = client.post(URL, {**data, "captcha_0": "k", "captcha_1": "WRONG"})
    assert "验证码错误" in response.content.decode()
    assert not AuditLog.objects.filter(action="selfservice.lookup").exists()


def test_a_report_becomes_an_alert_for_the_project(client, worker):
    ask(client, worker.person.name, worker.person.id_number)
    month = f"{month_back(timezone.localdate(), 2):%Y-%m}"  # always due, whatever today is
    response = client.post(
        reverse("selfservice:report"),
        {"project": worker.project_id, "kind": "wages", "month": month, "text": "五月工资未发"},
    )
    assert response.status_code == 200 and 'data-testid="report-done"' in response.content.decode()
    alert = Alert.objects.get(rule="worker_report")
    assert alert.project_id == worker.project_id and alert.facts["反映内容"] == "五月工资未发"
    assert alert.facts["问题类型"] == "工资未按时足额发放" and alert.facts["工资月份"] == month
    assert AuditLog.objects.filter(action="alert.report", project=worker.project).exists()


def test_a_report_for_another_project_or_without_a_lookup_is_refused(client, worker, other_project):
    assert (
        client.post(
            reverse("selfservice:report"), {"project": worker.project_id, "kind": "wages", "text": "x"}
        ).status_code
        == 400
    )
    ask(client, worker.person.name, worker.person.id_number)
    response = client.post(
        reverse("selfservice:report"), {"project": other_project.pk, "kind": "wages", "text": "x"}
    )
    assert response.status_code == 400 and "只能反映本人所在项目的问题" in response.content.decode()
    empty = client.post(
        reverse("selfservice:report"), {"project": worker.project_id, "kind": "wages", "text": " "}
    )
    assert empty.status_code == 400 and "请填写反映的具体情况" in empty.content.decode()
    assert not Alert.objects.exists()


def test_the_verified_lookup_expires(client, worker):
    ask(client, worker.person.name, worker.person.id_number)
    session = client.session
    session["selfservice.verified"]["until"] = 0
    session.save()
    response = client.post(
        reverse("selfservice:report"), {"project": worker.project_id, "kind": "wages", "text": "x"}
    )
    assert response.status_code == 400 and "查询已超时" in response.content.decode()


def test_the_poster_carries_a_server_made_qr_code_of_the_page(project_client, project):
    html = project_client.get(reverse("selfservice:poster", args=[project.pk])).content.decode()
    assert "<svg" in html and "http://testserver/worker/" in html
    overview = project_client.get(reverse("projects:overview", args=[project.pk])).content.decode()
    assert reverse("selfservice:poster", args=[project.pk]) in overview
