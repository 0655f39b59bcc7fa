"""Reads from the standby (jmzhgd/db/routers.py, docs/deploy.md "Reads from the standby"): which
query goes where, and a request that writes reads its own write from the primary.

The alias `replica` is a test mirror of the test database (jmzhgd/settings_test.py): the same data
through a second connection, so each query's connection shows where the router sent it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jmzhgd.core.models import AuditLog
from jmzhgd.db.routers import ReplicaRouter, reading_from_replica, reads_from_replica, replica_reads
from projects.models import Project
from tests import factories

BOTH = ["default", "replica"]


@pytest.fixture
def with_replica(settings):
    settings.READ_REPLICA_ALIAS = "replica"


def captured():
    return CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]), CaptureQueriesContext(connections["replica"])


def tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


def test_without_a_replica_the_router_decides_nothing():
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Project) is None and router.db_for_write(Project) is None
        assert router.allow_migrate("default", "projects") is None
        assert not reading_from_replica()


@pytest.mark.django_db
def test_routing_decisions_flag_write_and_transaction(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(Project) == "default"  # an unmarked view reads the primary
    assert router.allow_migrate("replica", "projects") is False
    assert router.allow_migrate("default", "projects") is None
    with replica_reads():
        assert router.db_for_read(Project) == "default"  # the test's own transaction is open
    with transaction.atomic():
        pass
    connections[DEFAULT_DB_ALIAS].in_atomic_block = False  # as outside any transaction
    try:
        with replica_reads():
            assert router.db_for_read(Project) == "replica"
            assert router.db_for_write(AuditLog) == "default"
            assert router.db_for_read(Project) == "default"  # after a write, for the rest of it
        with replica_reads():
            assert router.db_for_read(Project) == "replica"  # the next request starts afresh
        assert router.db_for_read(Project) == "default"
    finally:
        connections[DEFAULT_DB_ALIAS].in_atomic_block = True


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_supervisor_dashboard_reads_its_figures_from_the_replica(with_replica, client):
    client.force_login(factories.SupervisorFactory())
    factories.ProjectFactory(name="备库项目")
    primary, replica = captured()
    with primary, replica:
        html = client.get(reverse("projects:dashboard")).content.decode()
    assert "备库项目" in html
    assert "projects_project" in tables(replica.captured_queries)
    # The session and the user were read before the view, from the primary; no figure was.
    assert "django_session" in tables(primary.captured_queries)
    assert "projects_project" not in tables(primary.captured_queries)


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_alert_center_and_the_month_grid_read_from_the_replica(with_replica, client):
    project = factories.ProjectFactory()
    client.force_login(factories.SupervisorFactory())
    for page in (reverse("alerts:center"), reverse("attendance:month", args=[project.pk])):
        primary, replica = captured()
        with primary, replica:
            assert client.get(page).status_code == 200
        assert replica.captured_queries, page
        assert "projects_project" not in tables(primary.captured_queries), page


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_view_that_writes_then_reads_sees_its_own_write(with_replica):
    project = factories.ProjectFactory(name="旧名")

    @reads_from_replica
    def view(request):
        before = Project.objects.get(pk=project.pk).name
        Project.objects.filter(pk=project.pk).update(name="新名")
        return before, Project.objects.get(pk=project.pk).name

    primary, replica = captured()
    with primary, replica:
        assert view(RequestFactory().get("/")) == ("旧名", "新名")
    assert [q["sql"].split()[0] for q in replica.captured_queries] == ["SELECT"]
    assert [q["sql"].split()[0] for q in primary.captured_queries] == ["UPDATE", "SELECT"]


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_month_export_reads_the_grid_from_the_replica_and_audits_on_the_primary(with_replica, client):
    project = factories.ProjectFactory()
    client.force_login(factories.SupervisorFactory())
    primary, replica = captured()
    month = f"{timezone.localdate():%Y-%m}"
    with primary, replica:
        response = client.get(reverse("attendance:month_export", args=[project.pk]), {"month": month})
    assert response.status_code == 200
    assert "workforce_person" in tables(replica.captured_queries)  # the grid's roster
    assert "INSERT" not in tables(replica.captured_queries)
    assert AuditLog.objects.filter(action="attendance.export_month", project=project).exists()


def settings_with(**environ) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'aliases': sorted(settings.DATABASES), 'replica': settings.READ_REPLICA_ALIAS, "
        "'options': {k: v.get('OPTIONS', {}) for k, v in settings.DATABASES.items()}}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    env.update(DJANGO_SETTINGS_MODULE="jmzhgd.settings", DJANGO_DEBUG="1", **environ)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_replica_alias_exists_only_with_its_url_and_keeps_its_own_options():
    plain = settings_with()  # no DATABASE_REPLICA_URL: one database, as before
    assert plain["aliases"] == ["default"] and plain["replica"] is None
    both = settings_with(
        DATABASE_URL="postgres://u@db1:5432,db2:5432/jmzhgd?target_session_attrs=read-write",
        DATABASE_REPLICA_URL="postgres://u@db2:5432/jmzhgd",
    )
    assert both["aliases"] == ["default", "replica"] and both["replica"] == "replica"
    assert both["options"]["default"]["target_session_attrs"] == "read-write"
    assert both["options"]["replica"] == {"options": "-c jit=off"}
