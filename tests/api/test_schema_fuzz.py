"""Schema-driven fuzzing (docs/requirements.md §10): schemathesis generates requests from the generated
OpenAPI document — valid and invalid — and every answer must be a documented 2xx/4xx, never a 5xx.

Requests are signed by a small WSGI middleware with a real credential (bound to `project`, whose id
replaces the generated project_id), so the fuzzer reaches the endpoints' bodies and not only the
signature check.
"""

from __future__ import annotations

import io
import json
import secrets
import time

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error

from jmzhgd.api.signing import sign
from jmzhgd.portal.api import api


class SigningMiddleware:
    """Adds X-App-Key/X-Timestamp/X-Nonce/X-Sign to every request, computed as a client would."""

    def __init__(self, app):
        self.app = app
        self.app_key = self.secret = None

    def __call__(self, environ, start_response):
        if self.app_key:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
            path = WSGIRequest(dict(environ)).get_full_path()
            timestamp, nonce = str(int(time.time())), secrets.token_hex(12)
            environ.update(
                HTTP_X_APP_KEY=self.app_key,
                HTTP_X_TIMESTAMP=timestamp,
                HTTP_X_NONCE=nonce,
                HTTP_X_SIGN=sign(self.secret, environ["REQUEST_METHOD"], path, timestamp, nonce, body),
            )
        return self.app(environ, start_response)


APP = SigningMiddleware(WSGIHandler())


# The document ninja serves at /api/v1/openapi.json, built without a request (no database needed
# at collection time); the cases are then sent through the real WSGI stack.
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
)
schema.app = APP


@pytest.fixture
def wsgi_requests_keep_the_test_connection():
    """As Django's test client does: the handler must not close the test transaction's connection
    at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def signing(project, team, wsgi_requests_keep_the_test_connection):
    from jmzhgd.api import services
    from jmzhgd.core.actor import Actor
    from tests import factories

    factories.DeviceFactory(project=project, serial_number="FUZZ-GATE")
    factories.RosterEntryFactory(team=team)
    credential, secret = services.create_credential(Actor.system(), name="fuzz", projects=[project])
    APP.app_key, APP.secret = credential.app_key, secret
    yield project
    APP.app_key = APP.secret = None


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_generated_request_gets_a_server_error(case, signing):
    if "project_id" in (case.path_parameters or {}):
        case.path_parameters["project_id"] = signing.pk
    case.call_and_validate(checks=[not_a_server_error])
