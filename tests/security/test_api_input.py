"""API input that PostgreSQL refuses must be an ordinary error answer, never a 500.

Found by tests/api/test_schema_fuzz.py on PostgreSQL: text containing NUL cannot be stored, nor even
used in a query there (DataError), so a JSON string with "\\u0000" answered 500.
"""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import make_signed
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"


def bodies(project_id):
    punch = {"idCardNumber": ID, "time": "2026-03-01 08:00:00", "direction": "01"}
    return [
        (f"/api/v1/projects/{project_id}/persons", {"workerName": "张\u0000三", "idCardNumber": ID}),
        (f"/api/v1/projects/{project_id}/punches", {"records": [{**punch, "name": "a\u0000b"}]}),
        (f"/api/v1/projects/{project_id}/punches", {"records": [{**punch, "recordId": "r\u00001"}]}),
        (f"/api/v1/projects/{project_id}/punches", {"deviceSn": "\u0000", "records": [punch]}),
    ]


@pytest.mark.parametrize("index", range(4))
def test_a_nul_in_any_json_text_is_refused_with_422(client, project, index):
    path, payload = bodies(project.pk)[index]
    response = make_signed(client, project).post(path, payload)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "nul_character"


def test_the_app_login_refuses_a_nul_too(client, project_user):
    body = json.dumps({"username": project_user.username + "\u0000", "password": TEST_PASSWORD})
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "nul_character"


def test_an_escaped_backslash_before_u0000_is_ordinary_text(client, project):
    """Only a real NUL is refused: the six characters \\u0000 typed as text are fine."""
    response = make_signed(client, project).post(
        f"/api/v1/projects/{project.pk}/persons", {"workerName": "张三\\u0000", "idCardNumber": ID}
    )
    assert response.status_code != 422 or response.json()["code"] != "nul_character"


def test_a_nul_in_the_heartbeat_device_serial_is_an_unknown_device(client, project):
    response = make_signed(client, project).post(f"/api/v1/projects/{project.pk}/devices/%00/heartbeat")
    assert response.status_code == 404, response.content
