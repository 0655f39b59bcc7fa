"""`make run` on a fresh machine and on a second start: each line printed once, the hints name the
port it serves on, and a second start skips what is already done (README: the two commands)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command

from jmzhgd.accounts import demo as accounts_demo
from jmzhgd.accounts.models import User
from jmzhgd.api import demo as api_demo
from jmzhgd.api.models import ApiCredential
from jmzhgd.core.demo import DemoContext

ROOT = Path(__file__).resolve().parents[1]


def test_a_django_log_record_is_printed_once_in_development_with_id_numbers_masked():
    """runserver's "Watching for file changes with StatReloader" came out twice: once from Django's
    own DEBUG console handler, which does not mask ID numbers, and once from the platform's root
    handler. The development server's request lines (a search may carry an ID number) go through
    the root handler's mask too (docs/requirements.md §11 PII)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PII_"))}
    env.update(DJANGO_SETTINGS_MODULE="jmzhgd.settings", DJANGO_DEBUG="1")
    probe = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.utils.autoreload').info('Watching for file changes with StatReloader'); "
        "logging.getLogger('django.server').info('\"GET /persons/?q=11010519491231002X HTTP/1.1\" 200')"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert output.count("Watching for file changes with StatReloader") == 1
    assert output.count("GET /persons/?q=1101**********002X") == 1 and "11010519491231002X" not in output


def test_make_run_hands_its_port_to_the_demo_hints_and_skips_what_is_done():
    env = {**os.environ, "MAKEFLAGS": ""}
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    ).stdout
    seed = next(line for line in plan.splitlines() if "seed_demo" in line)
    assert "--url http://127.0.0.1:8123" in seed and "--keep-passwords" in seed
    assert "migrate --check" in plan
    assert "runserver 127.0.0.1:8123" in plan and ":8000" not in plan


@pytest.mark.django_db
def test_the_simulate_devices_hint_names_the_port_the_platform_serves_on(project):
    lines: list[str] = []
    api_demo.seed(
        DemoContext(write=lines.append, shared={"projects": [project]}, base_url="http://127.0.0.1:8123")
    )
    hint = next(line for line in lines if "simulate_devices" in line)
    assert "--url http://127.0.0.1:8123 " in hint and "8000" not in hint


@pytest.mark.django_db
def test_the_printed_demo_secret_ends_its_line_so_a_copy_takes_nothing_after_it(project):
    lines: list[str] = []
    api_demo.seed(DemoContext(write=lines.append, shared={"projects": [project]}))
    credential = ApiCredential.objects.get(name=api_demo.DEMO_NAME)
    assert f"  App Secret {credential.secret}" in lines
    assert f"  App Key    {credential.app_key}" in lines


@pytest.mark.django_db
def test_keep_passwords_leaves_an_existing_demo_account_alone_and_a_plain_seed_resets_it():
    accounts_demo.seed(DemoContext(write=lambda line: None))
    admin = User.objects.get(username="admin")
    admin.password = make_password("Changed@2026")
    admin.save()

    accounts_demo.seed(DemoContext(write=lambda line: None, keep_passwords=True))
    admin.refresh_from_db()
    assert admin.check_password("Changed@2026")

    accounts_demo.seed(DemoContext(write=lambda line: None))
    admin.refresh_from_db()
    assert admin.check_password("Admin@2026")


@pytest.mark.django_db
def test_seed_demo_refuses_an_address_that_is_not_a_url():
    with pytest.raises(CommandError, match="http://"):
        call_command("seed_demo", url="127.0.0.1:8123")
    assert not User.objects.filter(username="admin").exists()
