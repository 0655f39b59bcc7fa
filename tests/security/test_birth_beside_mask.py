"""No page, export, admin page or API answer shows a person's full birth date beside any part of his
ID number (docs/security.md, "Birth date"): the birth date is 8 of the 10 digits the 4+4 mask hides.

Every GET URL of the site is opened for project A (as its own account and as a supervisor), with a
worker over the age limit on A's roster and his 「年龄超出范围」 alert open, plus the admin's person
pages and the API's roster; the test fails on any answer that holds, for any person, a birth date
in a usual spelling together with a piece of his number (the mask's four leading or trailing
characters, or any six consecutive ones).
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from alerts.evaluation import evaluate
from alerts.models import Alert
from exchange import services as exchange_services
from exchange.models import ProvinceCredential
from jmzhgd.api.services import issue_token
from jmzhgd.core.actor import Actor
from tests import factories
from tests.api.conftest import make_signed
from tests.exchange.fake_province import AES_KEY
from tests.permission_matrix.world import build_world
from tests.test_permission_matrix import EXPECTATIONS, PATTERNS, _kwargs_for
from workforce.models import Person

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLD_WORKER_BORN = date(1955, 6, 15)
# 【我的导出】's download hands back a stored file; the matrix's builder stores a placeholder, and the
# exports themselves (roster, month, details, ...) are walked through their own URLs.
NOT_WALKED = {"jobs:export_download"}


def text_of(response) -> str | None:
    """What an answer says, as text (HTML, JSON, every workbook cell); None for other answers."""
    if response.status_code != 200:
        return None
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith(XLSX):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for line in sheet.iter_rows(values_only=True)
            for cell in line
        )
    if kind.startswith(("text/", "application/json")):
        return content.decode("utf-8", "replace")
    return None


def birth_spellings(born: date) -> list[str]:
    return [
        f"{born:%Y-%m-%d}",
        f"{born:%Y/%m/%d}",
        f"{born:%Y.%m.%d}",
        f"{born:%Y%m%d}",
        f"{born.year}年{born.month}月{born.day}日",
        f"{born.year}年{born.month:02d}月{born.day:02d}日",
    ]


def id_pieces(number: str) -> list[str]:
    number = number.upper()
    return [number[:4] + "*", "*" + number[-4:]] + [number[i : i + 6] for i in range(len(number) - 5)]


def leaks(text: str, persons) -> list[str]:
    upper = text.upper()
    found = []
    for person in persons:
        born = [s for s in birth_spellings(person.birth_date) if s in text]
        pieces = [p for p in id_pieces(person.id_number) if p in upper]
        if born and pieces:
            found.append(f"{person.name}: {born[0]} beside {pieces[0]}")
    return found


@pytest.fixture
def site(settings):
    settings.PROVINCE_AES_KEY = AES_KEY
    world = build_world()
    # The project's own credentials, so that the 数据对接 file is built, not explained away.
    ProvinceCredential.objects.create(project=world.project_a, appid=world.project_a.code, secret=AES_KEY)
    team = factories.TeamFactory(unit__project=world.project_a, name="架子工班")
    old = factories.RosterEntryFactory(
        team=team,
        person__id_number=factories.id_number(birth=OLD_WORKER_BORN, gender="1"),
        person__name="老工人",
    )
    evaluate(rules=["age_limit"])
    exchange_services.enqueue_changes(world.project_a)
    assert Alert.objects.filter(rule="age_limit", subject_id=old.person_id).exists()
    return world, old


def test_no_answer_shows_a_birth_date_beside_any_part_of_the_id_number(client, site, admin_user):
    world, old = site
    answers: dict[str, str] = {}

    def read(label, response):
        text = text_of(response)
        if text is not None:
            answers[label] = text

    for name, route in sorted(PATTERNS.items()):
        if EXPECTATIONS[name].method != "GET" or name in NOT_WALKED:
            continue
        url = reverse(name, kwargs=_kwargs_for(route, world.project_a))
        # The project's account, and a supervisor where the account may not look (the city's pages).
        client.force_login(world.own)
        response = client.get(url)
        if response.status_code != 200:
            client.force_login(world.supervisor)
            response = client.get(url)
        read(name, response)
    alert = Alert.objects.get(rule="age_limit", subject_id=old.person_id)
    client.force_login(world.own)
    read("alert detail", client.get(reverse("alerts:detail", args=[world.project_a.pk, alert.pk])))

    client.force_login(admin_user)
    for person in Person.objects.all():
        read(f"admin person {person.pk}", client.get(f"/admin/workforce/person/{person.pk}/change/"))
    read("admin persons", client.get("/admin/workforce/person/"))
    read("admin roster", client.get("/admin/workforce/rosterentry/"))
    read("admin alerts", client.get("/admin/alerts/alert/"))

    # The collection app's token is the project account: its answers are held to the pages' rule.
    # (A device's signed credential gets full numbers by design, to report punches by number.)
    token, _ = issue_token(Actor.system(), world.own)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    api = f"/api/v1/projects/{world.project_a.pk}"
    read("api roster", client.get(f"{api}/roster", **bearer))
    read("api roster changes", client.get(f"{api}/roster?changedSince=2000-01-01", **bearer))
    person = old.person
    body = {"workerName": person.name, "idCardType": "01", "idCardNumber": person.id_number}
    read(
        "api person upload",
        client.post(f"{api}/persons", json.dumps(body), content_type="application/json", **bearer),
    )
    signed = make_signed(client, world.project_a)
    read("api person upload (signed)", signed.post(f"{api}/persons", body))

    assert "WorkerEntryExit.Add" in answers["exchange:export"]  # the 数据对接 file was read
    assert "alert detail" in answers and "admin person" in " ".join(answers) and len(answers) > 80
    assert "老工人" in answers["alert detail"] and "年龄" in answers["alert detail"]
    persons = list(Person.objects.exclude(birth_date=None))
    found = {label: hits for label, text in answers.items() if (hits := leaks(text, persons))}
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_check_sees_a_birth_date_beside_a_mask():
    person = Person(name="张三", id_number="440703195506150011", birth_date=OLD_WORKER_BORN)
    assert leaks("张三（4407**********0011） 出生日期 1955-06-15", [person])
    assert not leaks("张三（4407**********0011） 年龄 71岁", [person])
    assert not leaks("出生日期 1955-06-15", [person])


def test_an_alert_stored_with_a_birth_date_before_the_change_no_longer_shows_it(client, site):
    world, old = site
    alert = Alert.objects.get(rule="age_limit", subject_id=old.person_id)
    alert.facts = {**alert.facts, "出生日期": f"{OLD_WORKER_BORN:%Y-%m-%d}"}
    alert.save()
    client.force_login(world.own)
    html = client.get(reverse("alerts:detail", args=[world.project_a.pk, alert.pk])).content.decode()
    assert "老工人" in html and "1955-06-15" not in html
