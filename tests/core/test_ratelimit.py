import pytest
from django.urls import reverse

from jmzhgd.core.models import RateCounter


@pytest.mark.django_db
def test_one_address_posting_the_login_form_too_often_is_slowed_down(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "accounts:login": (3, 60, ["POST"])}
    data = {"username": "nobody", "password": "x", "captcha_0": "k", "captcha_1": "WRONG"}
    for _ in range(3):
        assert client.post(reverse("accounts:login"), data).status_code == 200
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 429 and "请求过于频繁" in response.content.decode()
    assert response["Retry-After"] == "60"
    # Reading the page is not counted, and another address is not limited.
    assert client.get(reverse("accounts:login")).status_code == 200
    assert client.post(reverse("accounts:login"), data, REMOTE_ADDR="10.9.8.7").status_code == 200


@pytest.mark.django_db
def test_api_requests_over_the_limit_get_a_json_429(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "/api/": (2, 60, ["GET", "POST"])}
    for _ in range(2):
        client.get("/api/v1/no-such-endpoint")
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 429
    assert response.json() == {
        "code": "rate_limited",
        "message": "请求过于频繁，请 1 分钟后再试。",
        "field": None,
    }


@pytest.mark.django_db
def test_ended_windows_are_cleaned_up_now_and_then(client, settings, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from jmzhgd.core import ratelimit

    monkeypatch.setattr(ratelimit, "PURGE_PROBABILITY", 1.0)  # every request purges, for the test
    now = timezone.now()
    RateCounter.objects.create(key="accounts:login|1.2.3.4", window_start=now - timedelta(hours=3), count=9)
    # An hour-long declaration window that started 30 minutes ago is still counting: login traffic
    # must not wipe it (the cutoff used to be twice the *calling* rule's 60 s period).
    RateCounter.objects.create(
        key="projects:declare|1.2.3.4", window_start=now - timedelta(minutes=30), count=4
    )
    client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert not RateCounter.objects.filter(key="accounts:login|1.2.3.4").exists()
    assert RateCounter.objects.get(key="projects:declare|1.2.3.4").count == 4


@pytest.mark.django_db
def test_counting_is_one_statement_that_returns_the_running_count(settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jmzhgd.core.ratelimit import PURGE_PROBABILITY, Rule, hit

    assert PURGE_PROBABILITY < 1
    rule = Rule("/api/", 100, 60)
    with CaptureQueriesContext(connection) as queries:
        counts = [hit("10.0.0.1", rule) for _ in range(3)]
    assert counts == [1, 2, 3]
    assert hit("10.0.0.2", rule) == 1
    counting = [q for q in queries.captured_queries if "ON CONFLICT" in q["sql"]]
    assert len(counting) == 3
    assert RateCounter.objects.get(key="/api/|10.0.0.1").count == 3
