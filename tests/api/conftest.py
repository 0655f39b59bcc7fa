"""Fixtures for the API tests: credentials bound to the personas' projects and a signing helper."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from datetime import date

import pytest

from enterprises.services import enter_unit
from jmzhgd.api import services
from jmzhgd.api.signing import sign
from jmzhgd.core.actor import Actor
from tests import factories


@dataclass
class Signed:
    """A credential's key and secret, and a way to send signed requests with the test client."""

    client: object
    app_key: str
    secret: str

    def request(self, method, path, payload=None, *, body=None, timestamp=None, nonce=None, headers=None):
        if body is None:
            body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        nonce = nonce or secrets.token_hex(8)
        sent = {
            "HTTP_X_APP_KEY": self.app_key,
            "HTTP_X_TIMESTAMP": timestamp,
            "HTTP_X_NONCE": nonce,
            "HTTP_X_SIGN": sign(self.secret, method, path, timestamp, nonce, body),
        }
        sent.update(headers or {})
        return self.client.generic(method, path, body, content_type="application/json", **sent)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, payload=None, **kwargs):
        return self.request("POST", path, payload, **kwargs)


def make_signed(client, *projects, name="测试厂商") -> Signed:
    credential, secret = services.create_credential(Actor.system(), name=name, projects=projects)
    return Signed(client=client, app_key=credential.app_key, secret=secret)


@pytest.fixture
def signed(client, project):
    """A credential bound to `project` only."""
    return make_signed(client, project)


@pytest.fixture
def other_signed(client, other_project):
    """A credential bound to `other_project` only."""
    return make_signed(client, other_project, name="乙项目厂商")


@pytest.fixture
def team(project):
    """A normal workers' team of a unit on site in `project`."""
    enterprise = factories.EnterpriseFactory()
    unit = enter_unit(
        Actor.system(),
        project,
        enterprise=enterprise,
        corp_type="006",
        entry_date=date(2026, 3, 1),
        pm_name="项目经理",
    )
    return factories.TeamFactory(unit=unit, project=project, entry_date=date(2026, 3, 2))


def error_of(response) -> dict:
    """The JSON error answer, checking its shape."""
    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) >= {"code", "message", "field"}, data
    return data
