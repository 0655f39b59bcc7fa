"""Shared fixtures: the personas every test speaks of (docs/architecture.md §5).

- `supervisor`: housing-bureau staff who sees every project in Jiangmen, read-only.
- `project` / `project_user`: a project and its own account, which may do everything inside it.
- `other_project` / `other_user`: another project's account, which must see nothing of `project`.
- anonymous: the plain `client` fixture.
"""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture(autouse=True, scope="session")
def captcha_test_mode():
    """The captcha library's test mode ("PASSED" answers), switched on inside this process only."""
    from captcha.conf import settings as captcha_settings

    previous = captcha_settings.CAPTCHA_TEST_MODE
    captcha_settings.CAPTCHA_TEST_MODE = True
    yield
    captcha_settings.CAPTCHA_TEST_MODE = previous


_DB_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.fixture(autouse=True)
def _code_tables(request):
    """工种 and 岗位 are seeded by a data migration, and a transactional test's flush empties every
    table; put them back so no test depends on the order tests run in."""
    if request.node.get_closest_marker("django_db") is None and not _DB_FIXTURES & set(request.fixturenames):
        return
    request.getfixturevalue("_django_db_helper")
    from jmzhgd.core.models import WorkType
    from jmzhgd.core.seed_tables import seed_code_tables

    if not WorkType.objects.exists():
        seed_code_tables()


@pytest.fixture(autouse=True)
def _entry_checks_off(settings):
    """The entry gate (training.gate, default "warn") is tested where it is set explicitly
    (tests/training): the suite's other entries are about other rules and record no trainings."""
    settings.ENTRY_CHECKS = "off"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def supervisor(db):
    return factories.SupervisorFactory(username="jgf_test", real_name="测试监管员")


@pytest.fixture
def project(db):
    return factories.ProjectFactory(name="甲项目")


@pytest.fixture
def project_user(project):
    return factories.ProjectUserFactory(project=project)


@pytest.fixture
def other_project(db):
    return factories.ProjectFactory(name="乙项目")


@pytest.fixture
def other_user(other_project):
    return factories.ProjectUserFactory(project=other_project)


@pytest.fixture
def project_client(client, project_user):
    client.force_login(project_user)
    return client


@pytest.fixture
def supervisor_client(client, supervisor):
    client.force_login(supervisor)
    return client
