"""An attacker with a project account tries to rebuild the ID numbers of the demo persons.

A resident ID number is area (6) + birth date (8) + sequence (3) + check (1). The mask used to keep
6 + 4 and the person page showed 出生日期 beside it: together the whole number, without the audited
【查看完整号码】. The account walks every person-related page, export and API answer it can open
without revealing anything, keeps every string, and for each demo person nothing may give away more
than the 4 + 4 mask: no birth date in any usual spelling, no fragment of the hidden middle digits,
no mask that shows more than 4 leading or 4 trailing characters.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from attendance.models import Punch
from contracts.models import Contract
from enterprises.models import Team
from jmzhgd.accounts.models import User
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import TeamType
from projects.models import Project
from tests.workforce.fixtures.site import row, workbook_bytes
from workforce import imports
from workforce.models import Person, RosterEntry

pytestmark = pytest.mark.django_db

DEMO_PROJECT_CODE = "44070320260001"
DEMO_PASSWORD = "Xm@2026demo"  # workforce/projects demo: the project accounts' password
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A masked number as any page could print it: 15 or more of digits, X and *, at least one *.
MASK_RUN = re.compile(r"[0-9Xx*]{15,}")


def text_of(response) -> str:
    """Everything a response says, as text: HTML as is, JSON decoded, every cell of a workbook."""
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith(XLSX):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for line in sheet.iter_rows(values_only=True)
            for cell in line
        )
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content.decode()


def pages(client, url: str, params: dict | None = None, *, most: int = 3, **headers) -> list[str]:
    """The first `most` pages of a paginated list (fewer when a page repeats the one before: the
    paginator's answer past the end). Long lists are read whole through their exports."""
    texts = []
    for number in range(1, most + 1):
        text = text_of(client.get(url, {**(params or {}), "page": number}, **headers))
        if texts and text == texts[-1]:
            break
        texts.append(text)
    return texts


class Shown:
    """What the walk collected, indexed once: every date, every run of ID-number characters."""

    DATES = re.compile(r"(\d{4})(?:[-/](\d{2})[-/](\d{2})|年(\d{1,2})月(\d{1,2})日)")
    RUNS = re.compile(r"[0-9X]{8,}")

    def __init__(self, text: str):
        upper = text.upper()
        self.dates = {(int(m[1]), int(m[2] or m[4]), int(m[3] or m[5])) for m in self.DATES.finditer(text)}
        runs = self.RUNS.findall(upper)
        self.runs = set(runs)
        # Any 10 consecutive characters of a number cover at least 2 hidden digits (positions 4-13).
        self.windows = {run[i : i + 10] for run in runs for i in range(len(run) - 9)}

    def leaks_of(self, person: Person) -> list[str]:
        number, born = person.id_number.upper(), person.birth_date
        found = []
        if (born.year, born.month, born.day) in self.dates:
            found.append(f"出生日期 {born:%Y-%m-%d}")
        if f"{born:%Y%m%d}" in self.runs:
            found.append(f"{born:%Y%m%d}")
        found += [number[i : i + 10] for i in range(len(number) - 9) if number[i : i + 10] in self.windows]
        return found


def overlong_masks(text: str) -> list[str]:
    bad = []
    for run in MASK_RUN.findall(text):
        if "*" not in run:
            continue
        leading = len(run) - len(run.lstrip("0123456789Xx"))
        trailing = len(run) - len(run.rstrip("0123456789Xx"))
        if leading > 4 or trailing > 4:
            bad.append(run)
    return bad


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    return Project.objects.get(code=DEMO_PROJECT_CODE)


def walk_site(client, project) -> list[str]:
    """Every person-related page and export of `project` that its account can open without the
    audited reveal."""
    p = project.pk
    texts = []

    def get(name, *args, **params):
        texts.append(text_of(client.get(reverse(name, args=[p, *args]), params)))

    big = {"per_page": 5000}
    get("workforce:roster", **big)
    get("workforce:roster", status="off", **big)
    get("workforce:roster_export")
    entries = RosterEntry.objects.filter(project=project).select_related("person")
    for person_id in sorted({e.person_id for e in entries}):
        get("workforce:person_detail", person_id)
        get("workforce:person_edit", person_id)
    for entry in entries.filter(exit_date__isnull=True)[:20]:
        get("workforce:exit", entry.pk)
    for entry in entries[:40]:
        get("contracts:entry", entry.pk)
    for contract in Contract.objects.filter(project=project)[:10]:
        get("contracts:renew", contract.pk)
    get("contracts:list", **big)
    get("contracts:export")
    get("workforce:collect")
    get("workforce:person_create")
    texts += pages(client, reverse("workforce:enter", args=[p]))
    for person in Person.objects.order_by("?")[:5]:
        texts += pages(client, reverse("workforce:enter", args=[p]), {"q": person.name}, most=1)
    for team in Team.objects.filter(project=project):
        get("enterprises:team_detail", team.pk)
    for unit_id in {t.unit_id for t in Team.objects.filter(project=project)}:
        get("enterprises:unit_detail", unit_id)
    texts += pages(client, reverse("attendance:month", args=[p]))
    get("attendance:month_export")
    texts += pages(client, reverse("attendance:details", args=[p]))
    get("attendance:details_export")
    get("attendance:anomalies", **big)
    for punch in Punch.objects.filter(project=project, is_anomaly=True)[:5]:
        get("attendance:anomaly_resolve", punch.pk)
    get("core:project_audit_log", **big)
    return texts


def walk_import(client, project) -> list[str]:
    """A 批量人员进场 upload naming demo persons who are not on this project's roster yet (they pass)
    and one invalid number (it fails): preview, history, report and the failed-rows file."""
    on_roster = RosterEntry.objects.filter(project=project).values("person")
    newcomers = Person.objects.exclude(pk__in=on_roster)[:5]
    team = (
        Team.objects.filter(project=project, team_type=TeamType.WORKER)
        .select_related("unit__enterprise")
        .first()
    )
    rows = [
        row(person.name, person.id_number, unit=team.unit.enterprise.name, team=team.name, role="杂工")
        for person in newcomers
    ] + [row("错号码", "110105194912310021", unit=team.unit.enterprise.name, team=team.name)]
    rows = [values[:-1] + [f"{timezone.localdate():%Y-%m-%d}"] for values in rows]
    upload = SimpleUploadedFile("进场.xlsx", workbook_bytes(rows))
    batch = imports.create_preview(Actor.system("测试"), project, upload)
    # The failed-rows file gives back what the uploader typed; only the invented number may be in it.
    assert [r["status"] != "error" for r in batch.report] == [True] * len(newcomers) + [False]
    p = project.pk
    return [
        text_of(client.get(reverse(name, args=[p, *args])))
        for name, args in [
            ("workforce:import_detail", [batch.pk]),
            ("workforce:import_history", []),
            ("workforce:import_report", [batch.pk]),
            ("workforce:import_errors", [batch.pk]),
        ]
    ]


def walk_api(client, project) -> list[str]:
    """The collection app's answers, signed in with the project account (roster, person upload)."""
    login = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": f"xm{project.code}", "password": DEMO_PASSWORD}),
        content_type="application/json",
    )
    token = login.json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    texts = pages(client, f"/api/v1/projects/{project.pk}/roster", {"pageSize": 500}, **auth)
    texts.append(text_of(client.get(f"/api/v1/projects/{project.pk}/roster?changedSince=2000-01-01", **auth)))
    person = RosterEntry.objects.filter(project=project).select_related("person").first().person
    answer = client.post(
        f"/api/v1/projects/{project.pk}/persons",
        json.dumps(
            {"workerName": person.name, "idCardType": person.id_type, "idCardNumber": person.id_number}
        ),
        content_type="application/json",
        **auth,
    )
    texts.append(text_of(answer))
    return texts


def test_nothing_a_project_account_can_read_rebuilds_a_demo_persons_id_number(client, demo):
    client.force_login(User.objects.get(username=f"xm{demo.code}"))
    texts = walk_site(client, demo) + walk_import(client, demo) + walk_api(client, demo)
    everything = "\n".join(texts)
    persons = list(Person.objects.exclude(birth_date=None))
    assert len(persons) >= 300
    assert RosterEntry.objects.filter(project=demo).count() >= 50  # the walk saw real pages
    shown = Shown(everything)
    leaks = {p.name: shown.leaks_of(p) for p in persons}
    assert {name: found for name, found in leaks.items() if found} == {}
    assert overlong_masks(everything) == []
    assert "岁" in everything and "4407**********" in everything and "idCardNumberMasked" in everything
