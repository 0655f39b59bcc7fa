"""The documented backup and restore commands (deploy/backup.sh, deploy/restore.sh) bring back data and media."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, connections

from tests.factories import PersonFactory
from workforce.models import Person

DEPLOY = Path(__file__).parents[2] / "deploy"


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings["USER"] or "postgres"
        host = settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or 5432
        return f"postgres://{user}@{host}:{port}/{settings['NAME']}"
    return f"sqlite://{settings['NAME']}"


def run(script: str, arg: str, env: dict) -> str:
    result = subprocess.run([str(DEPLOY / script), arg], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.django_db(transaction=True)
def test_a_restore_from_a_backup_brings_back_the_data_and_the_media(settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    (media / "persons" / "photos").mkdir(parents=True)
    (media / "persons" / "photos" / "face.jpg").write_bytes(b"\xff\xd8 face bytes")
    person = PersonFactory(id_number="11010519491231002X", name="备份测试")
    env = {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(media), "PYTHON": sys.executable}

    backup_dir = run("backup.sh", str(tmp_path / "backups"), env)
    assert sorted(os.listdir(backup_dir))[:2] in (
        ["SHA256SUMS", "database.dump"],
        ["SHA256SUMS", "database.sqlite3"],
    )

    # Disaster: the person and the photo are gone.
    Person.objects.filter(pk=person.pk).delete()
    (media / "persons" / "photos" / "face.jpg").unlink()
    connections.close_all()

    run("restore.sh", backup_dir, env)
    connections.close_all()
    restored = Person.objects.get(pk=person.pk)
    assert restored.name == "备份测试" and restored.id_number == "11010519491231002X"
    assert (media / "persons" / "photos" / "face.jpg").read_bytes() == b"\xff\xd8 face bytes"


def test_restore_refuses_a_tampered_backup(tmp_path):
    backup = tmp_path / "b"
    backup.mkdir()
    (backup / "database.sqlite3").write_bytes(b"x")
    (backup / "media.tar.gz").write_bytes(b"y")
    (backup / "SHA256SUMS").write_text("0" * 64 + "  database.sqlite3\n")
    env = {**os.environ, "DATABASE_URL": f"sqlite://{tmp_path}/db.sqlite3", "MEDIA_ROOT": str(tmp_path / "m")}
    result = subprocess.run(
        [str(DEPLOY / "restore.sh"), str(backup)], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and not (tmp_path / "db.sqlite3").exists()
