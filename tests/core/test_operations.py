import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from tests.factories import PersonFactory
from workforce.models import Person

NUMBER = "11010519491231002X"


@pytest.mark.django_db
def test_healthz_reports_database_media_and_the_workers(client):
    from django.utils import timezone

    from jmzhgd.jobs.models import WorkerHeartbeat

    # No worker: the load balancer's check stays 200, the monitoring's (?workers=1) is 503.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "error",
        "checks": {"database": "ok", "media": "ok", "worker": "stale", "worker_media": "unknown"},
    }
    assert client.get("/healthz?workers=1").status_code == 503

    now = timezone.now()
    beat = WorkerHeartbeat.objects.create(worker_id="w", host="h", pid=1, started_at=now, seen_at=now)
    response = client.get("/healthz?workers=1")
    assert response.status_code == 200 and response.json()["status"] == "ok"

    # The web's user can write the media directory, the worker's cannot.
    WorkerHeartbeat.objects.filter(pk=beat.pk).update(media_error="服务器文件目录不可写")
    response = client.get("/healthz?workers=1")
    assert response.status_code == 503 and response.json()["checks"]["worker_media"] == "error"
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_rotating_the_pii_key_re_encrypts_every_id_number(settings):
    person = PersonFactory(id_number=NUMBER, phone="13800138000")
    old_key = settings.PII_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.PII_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_pii_key", batch_size=1, stdout=open("/dev/null", "w"))
    settings.PII_ENCRYPTION_KEYS = [new_key]  # the old key is gone: everything must read with the new one
    person = Person.objects.get(pk=person.pk)
    assert person.id_number == NUMBER and person.phone == "13800138000"
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM workforce_person WHERE id = %s", [person.pk])
        token = cursor.fetchone()[0]
    assert Fernet(new_key.encode()).decrypt(token.encode()).decode() == NUMBER


def test_collectstatic_works_with_the_production_storage(settings, tmp_path):
    """Production serves hashed, compressed static files; every file a vendored asset refers to must exist."""
    settings.STATIC_ROOT = str(tmp_path / "static")
    # Changing STORAGES through the settings fixture resets Django's storage objects (setting_changed).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/bootstrap/css/bootstrap.min.css" in manifest
    assert "ninja/swagger-ui-bundle.js" in manifest
