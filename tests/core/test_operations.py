import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from tests.factories import PersonFactory
from workforce.models import Person

NUMBER = "11010519491231002X"


@pytest.mark.django_db
def test_healthz_reports_database_and_media(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "media": "ok"}}


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
