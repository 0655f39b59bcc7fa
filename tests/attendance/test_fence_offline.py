"""移动考勤 offline (docs/geofence.md "Offline"): the on-site roster the punch page keeps on the phone
(only the search's fields, bounded, scoped to the 考勤员's own project) and the page's service worker
and manifest, made by the same implementation as the 采集 app's."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from attendance import views_fence_offline
from attendance.attendants import issue_attendant
from jmzhgd.core.actor import Actor
from tests import factories

pytestmark = pytest.mark.django_db


def url(name: str, project) -> str:
    return reverse(f"attendance:{name}", kwargs={"project_id": project.pk})


@pytest.fixture
def attendant_client(client, project):
    attendant, _ = issue_attendant(Actor.system(), project, "一号手机")
    attendant.must_change_password = False
    attendant.save()
    client.force_login(attendant)
    return client


def test_the_roster_holds_who_is_on_site_today_and_only_what_the_search_needs(attendant_client, project):
    on_site = factories.RosterEntryFactory(team__unit__project=project, person__name="陈大文")
    factories.RosterEntryFactory(
        team__unit__project=project, person__name="离场工人", exit_date=datetime.date(2026, 3, 10)
    )
    factories.RosterEntryFactory(person__name="别的项目")  # another project's worker
    response = attendant_client.get(url("fence_punch_roster", project))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["truncated"] is False
    assert body["workers"] == [
        {
            "entryId": on_site.pk,
            "name": "陈大文",
            "idMasked": on_site.person.id_number_masked,
            "team": on_site.team.name,
        }
    ]
    assert on_site.person.id_number not in response.content.decode()


def test_the_roster_is_bounded_and_says_when_it_is_cut(attendant_client, project, monkeypatch):
    monkeypatch.setattr(views_fence_offline, "ROSTER_MAX", 2)
    team = factories.TeamFactory(unit__project=project)
    for name in ("丙", "乙", "甲"):
        factories.RosterEntryFactory(team=team, person__name=name)
    body = attendant_client.get(url("fence_punch_roster", project)).json()
    assert body["truncated"] is True and len(body["workers"]) == 2


def test_the_real_bound_is_five_thousand_rows():
    assert views_fence_offline.ROSTER_MAX == 5000


def test_an_attendant_gets_no_other_projects_roster_nor_app(attendant_client, other_project):
    factories.RosterEntryFactory(team__unit__project=other_project)
    for name in ("fence_punch_roster", "fence_punch_sw", "fence_punch_manifest"):
        assert attendant_client.get(url(name, other_project)).status_code == 404, name


def test_the_service_worker_and_manifest_are_scoped_to_the_punch_page(attendant_client, project):
    page = url("fence_punch", project)
    manifest = attendant_client.get(url("fence_punch_manifest", project))
    assert manifest["Content-Type"] == "application/manifest+json"
    assert manifest.json()["start_url"] == manifest.json()["scope"] == page
    assert manifest.json()["short_name"] == "移动考勤"
    worker = attendant_client.get(url("fence_punch_sw", project))
    body = worker.content.decode()
    assert worker["Content-Type"].startswith("text/javascript") and "no-cache" in worker["Cache-Control"]
    assert f'var PAGE = "{page}"' in body and f'"fence-punch-{project.pk}-' in body
    assert "offline-queue.js" in body and "fence_punch.js" in body and "collect_app.js" not in body
    assert "https://" not in body
    assert worker.request["PATH_INFO"].startswith(page)  # its default scope is the page
    page_html = attendant_client.get(page).content.decode()
    assert url("fence_punch_manifest", project) in page_html and url("fence_punch_sw", project) in page_html
