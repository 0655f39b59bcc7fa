"""Signed requests (docs/requirements.md §10): a good signature passes; a bad one, a stale timestamp, a replayed nonce do not."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from jmzhgd.api.auth import purge_expired_nonces
from jmzhgd.api.docs import EXAMPLE, EXAMPLE_BODY_SHA256, EXAMPLE_SIGN
from jmzhgd.api.models import ApiCredential, ApiNonce
from jmzhgd.api.services import revoke_credential
from jmzhgd.core.actor import Actor
from tests import factories

from .conftest import error_of

pytestmark = pytest.mark.django_db


def roster_url(project):
    return f"/api/v1/projects/{project.pk}/roster"


def test_the_documented_signing_example_has_the_pinned_numbers():
    # Computed by hand once with hashlib/hmac; the docs page shows these very values.
    assert EXAMPLE["timestamp"] == "1767225600"
    assert EXAMPLE_BODY_SHA256 == "0a7e87a923b7a00eba0b897cf2411d3ed7d992ecec0264034b21d3e3b16f7114"
    assert EXAMPLE_SIGN == "e0af1e27b1553da8be760c88d85a2b96f8ff412b683170980c38e1ec403e5383"


def test_the_reference_client_signs_like_the_server():
    from clients.jmzhgd_client import sign as client_sign

    body = EXAMPLE["body"].encode()
    args = (EXAMPLE["method"], EXAMPLE["path"], EXAMPLE["timestamp"], EXAMPLE["nonce"], body)
    assert client_sign(EXAMPLE["secret"], *args) == EXAMPLE_SIGN


def test_a_good_signature_is_accepted(signed, project):
    response = signed.get(roster_url(project))
    assert response.status_code == 200, response.content
    assert response.json()["total"] == 0


def test_a_bad_signature_is_refused(signed, project):
    signed.secret = "not-the-secret"
    error = error_of(signed.get(roster_url(project)))
    assert error["code"] == "bad_signature" and error["field"] == "X-Sign"


def test_a_body_changed_after_signing_is_refused(signed, project):
    path = f"/api/v1/projects/{project.pk}/punches"
    good = signed.request("POST", path, {"records": [{"idCardNumber": "x", "time": "x", "direction": "01"}]})
    assert good.status_code == 200
    import json
    import secrets

    from jmzhgd.api.signing import sign

    ts, nonce = str(int(time.time())), secrets.token_hex(8)
    signed_body = json.dumps({"records": []}).encode()
    response = signed.client.generic(
        "POST",
        path,
        json.dumps({"records": [{"idCardNumber": "y", "time": "y", "direction": "02"}]}).encode(),
        content_type="application/json",
        HTTP_X_APP_KEY=signed.app_key,
        HTTP_X_TIMESTAMP=ts,
        HTTP_X_NONCE=nonce,
        HTTP_X_SIGN=sign(signed.secret, "POST", path, ts, nonce, signed_body),
    )
    assert error_of(response)["code"] == "bad_signature"


def test_an_unknown_app_key_is_refused_like_a_bad_signature(signed, project):
    signed.app_key = "jm0000000000000"
    assert error_of(signed.get(roster_url(project)))["code"] == "bad_signature"


def test_a_stale_timestamp_is_refused(signed, project):
    error = error_of(signed.get(roster_url(project), timestamp=int(time.time()) - 301))
    assert error["code"] == "stale_timestamp" and error["field"] == "X-Timestamp"
    assert "300" in error["message"]


def test_a_timestamp_from_the_future_is_refused(signed, project):
    assert (
        error_of(signed.get(roster_url(project), timestamp=int(time.time()) + 400))["code"]
        == "stale_timestamp"
    )


def test_a_replayed_nonce_is_refused(signed, project):
    assert signed.get(roster_url(project), nonce="replay-me-1234").status_code == 200
    error = error_of(signed.get(roster_url(project), nonce="replay-me-1234"))
    assert error["code"] == "replayed_nonce" and error["field"] == "X-Nonce"


def heartbeat_url(project, device) -> str:
    return f"/api/v1/projects/{project.pk}/devices/{device.serial_number}/heartbeat"


def test_a_resent_write_that_succeeded_is_answered_with_its_original_response(signed, project):
    device = factories.DeviceFactory(project=project)
    timestamp = int(time.time())
    first = signed.post(heartbeat_url(project, device), nonce="resend-me-1234", timestamp=timestamp)
    assert first.status_code == 200 and "Idempotent-Replayed" not in first
    again = signed.post(heartbeat_url(project, device), nonce="resend-me-1234", timestamp=timestamp)
    assert (again.status_code, again.content, again["Idempotent-Replayed"]) == (200, first.content, "true")
    # The same nonce on another request (another signature) is still refused.
    other = error_of(
        signed.post(heartbeat_url(project, device), nonce="resend-me-1234", timestamp=timestamp + 1)
    )
    assert other["code"] == "replayed_nonce"


def test_a_write_that_failed_leaves_no_nonce_and_its_resend_runs(signed, project):
    device = factories.DeviceFactory(project=project, is_active=False)
    timestamp = int(time.time())
    refused = signed.post(heartbeat_url(project, device), nonce="resend-me-5678", timestamp=timestamp)
    assert refused.status_code == 403 and not ApiNonce.objects.filter(nonce="resend-me-5678").exists()
    device.is_active = True
    device.save()
    resent = signed.post(heartbeat_url(project, device), nonce="resend-me-5678", timestamp=timestamp)
    assert resent.status_code == 200 and "Idempotent-Replayed" not in resent


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_nonce_is_recorded_and_a_replay_refused(signed, project):
    # As in production (no request-wide transaction): on PostgreSQL the nonce then commits without
    # waiting for the WAL flush (jmzhgd.api.auth._use_nonce); it is recorded all the same.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert signed.get(roster_url(project), nonce="replay-me-5678").status_code == 200
    # The insert only: one request in a hundred also purges expired nonces.
    recorded = [q["sql"] for q in queries.captured_queries if 'INSERT INTO "api_apinonce"' in q["sql"]]
    assert len(recorded) == 1
    assert ("set_config('synchronous_commit', 'off', true)" in recorded[0]) == (
        connection.vendor == "postgresql"
    )
    assert ApiNonce.objects.filter(nonce="replay-me-5678").count() == 1
    error = error_of(signed.get(roster_url(project), nonce="replay-me-5678"))
    assert error["code"] == "replayed_nonce" and error["field"] == "X-Nonce"


def test_inside_a_transaction_the_nonce_does_not_relax_the_callers_commit(signed, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert signed.get(roster_url(project)).status_code == 200
    assert not any("synchronous_commit" in q["sql"] for q in queries.captured_queries)


def test_a_malformed_nonce_is_refused(signed, project):
    assert error_of(signed.get(roster_url(project), nonce="short"))["field"] == "X-Nonce"


def test_a_request_without_credentials_answers_401_json(client, project):
    error = error_of(client.get(roster_url(project)))
    assert error["code"] == "unauthenticated"


def test_a_request_missing_one_signing_header_names_it(signed, project):
    response = signed.client.get(roster_url(project), HTTP_X_APP_KEY=signed.app_key)
    assert error_of(response)["field"] == "X-Timestamp"


def test_a_revoked_credential_is_refused(signed, project):
    revoke_credential(Actor.system(), ApiCredential.objects.get(app_key=signed.app_key))
    assert error_of(signed.get(roster_url(project)))["code"] == "bad_signature"


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(signed, project, settings):
    settings.API_MAX_BODY_BYTES = 1000
    response = signed.post(f"/api/v1/projects/{project.pk}/punches", {"records": [{"name": "x" * 2000}]})
    assert response.status_code == 413
    assert error_of(response)["code"] == "body_too_large"


def test_the_secret_is_stored_encrypted_and_last_use_is_recorded(signed, project):
    credential = ApiCredential.objects.get(app_key=signed.app_key)
    assert signed.secret not in credential.secret_encrypted
    assert credential.secret == signed.secret
    assert credential.last_used_at is None
    signed.get(roster_url(project))
    credential.refresh_from_db()
    assert credential.last_used_at is not None and credential.last_used_ip == "127.0.0.1"


def test_nonces_older_than_the_window_are_purged(signed, project):
    signed.get(roster_url(project))
    signed.get(roster_url(project))
    ApiNonce.objects.filter(pk=ApiNonce.objects.first().pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    assert purge_expired_nonces() == 1
    assert ApiNonce.objects.count() == 1


def test_a_credential_may_serve_several_projects(client, project, other_project):
    from .conftest import make_signed

    both = make_signed(client, project, other_project)
    assert both.get(roster_url(project)).status_code == 200
    assert both.get(roster_url(other_project)).status_code == 200
    third = factories.ProjectFactory()
    assert error_of(both.get(roster_url(third)))["code"] == "not_found"
