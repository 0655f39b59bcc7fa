"""On-site roster for device face sync (docs/requirements.md §10): paged, changed-since, photos only through the API."""

from __future__ import annotations

import json
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from jmzhgd.core.actor import Actor
from tests import factories
from workforce.models import RosterEntry
from workforce.services import exit_roster_entries

from .conftest import error_of
from .test_persons import jpeg_b64

pytestmark = pytest.mark.django_db


def url(project, **query):
    path = f"/api/v1/projects/{project.pk}/roster"
    if query:
        # Signed paths carry the query exactly as sent: percent-encoded ASCII.
        path += "?" + urlencode(query)
    return path


@pytest.fixture
def workers(team):
    return [factories.RosterEntryFactory(team=team) for _ in range(5)]


def test_the_roster_lists_persons_on_site_with_their_full_id_number_to_a_signed_device(
    signed, project, workers, team
):
    exited = factories.RosterEntryFactory(team=team, exit_date=date(2026, 3, 9))
    data = signed.get(url(project)).json()
    assert data["total"] == 5
    ids = [item["rosterEntryId"] for item in data["items"]]
    assert ids == sorted(e.pk for e in workers) and exited.pk not in ids
    first = data["items"][0]
    assert first["idCardNumber"] == workers[0].person.id_number
    assert first["teamName"] == team.name and first["onSite"] is True and first["photoUrl"] is None


def test_the_roster_is_paged(signed, project, workers):
    page = signed.get(url(project, page=2, pageSize=2)).json()
    assert page["total"] == 5 and page["page"] == 2
    assert [i["rosterEntryId"] for i in page["items"]] == [workers[2].pk, workers[3].pk]
    assert signed.get(url(project, page=4, pageSize=2)).json()["items"] == []


def test_changed_since_returns_only_changes_including_exits(signed, project, workers):
    since = timezone.localtime() + timedelta(seconds=1)
    RosterEntry.objects.filter(pk__in=[w.pk for w in workers]).update(
        updated_at=timezone.now() - timedelta(days=1)
    )
    for worker in workers:
        type(worker.person).objects.filter(pk=worker.person.pk).update(
            updated_at=timezone.now() - timedelta(days=1)
        )
    exit_roster_entries(Actor.system(), RosterEntry.objects.filter(pk=workers[1].pk), timezone.localdate())
    stamp = (since - timedelta(seconds=5)).strftime("%Y-%m-%d %H:%M:%S")
    data = signed.get(url(project, changedSince=stamp)).json()
    assert [i["rosterEntryId"] for i in data["items"]] == [workers[1].pk]
    assert data["items"][0]["onSite"] is False and data["items"][0]["exitDate"] == str(timezone.localdate())


@pytest.mark.parametrize(
    ("query", "field"),
    [({"page": 0}, "page"), ({"pageSize": 501}, "pageSize"), ({"changedSince": "昨天"}, "changedSince")],
)
def test_bad_roster_queries_answer_422_naming_the_field(signed, project, query, field):
    response = signed.get(url(project, **query))
    assert response.status_code == 422
    assert error_of(response)["field"] == field


def test_a_photo_is_downloaded_through_the_signed_api_only(signed, client, project, workers):
    import base64

    person = workers[0].person
    person.photo.save("face.jpg", ContentFile(base64.b64decode(jpeg_b64())))
    item = signed.get(url(project)).json()["items"][0]
    assert item["photoUrl"] == f"/api/v1/projects/{project.pk}/persons/{person.pk}/photo"
    response = signed.get(item["photoUrl"])
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert error_of(client.get(item["photoUrl"]))["code"] == "unauthenticated"


def test_a_photo_of_somebody_not_on_this_projects_roster_is_a_404(signed, project, other_project):
    stranger = factories.RosterEntryFactory(
        team=factories.TeamFactory(unit=factories.UnitFactory(project=other_project))
    )
    stranger.person.photo.save("face.jpg", ContentFile(b"x"))
    response = signed.get(f"/api/v1/projects/{project.pk}/persons/{stranger.person.pk}/photo")
    assert response.status_code == 404 and error_of(response)["field"] == "person_id"


def test_the_collection_app_token_gets_the_masked_number_never_the_full_one(
    client, project_user, project, workers
):
    # The token is the project account itself, whose full numbers are shown only by the audited reveal.
    login = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": project_user.username, "password": factories.TEST_PASSWORD}),
        content_type="application/json",
    )
    token = login.json()["token"]
    data = client.get(url(project), HTTP_AUTHORIZATION=f"Bearer {token}").json()
    numbers = {w.person.id_number for w in workers}
    assert all(item["idCardNumber"] is None for item in data["items"])
    assert {item["idCardNumberMasked"] for item in data["items"]} == {
        w.person.id_number_masked for w in workers
    }
    assert not any(number in json.dumps(data) for number in numbers)
