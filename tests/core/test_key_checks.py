"""`manage.py check --deploy` refuses keys that would not protect ID numbers (docs/requirements.md §11 PII)."""

from __future__ import annotations

import secrets

from cryptography.fernet import Fernet
from django.core import checks


def key_errors(include_deployment_checks=True) -> dict[str, list[str]]:
    found = {}
    for message in checks.run_checks(include_deployment_checks=include_deployment_checks, tags=["security"]):
        if message.id.startswith("jmzhgd."):
            found.setdefault(message.id, []).append(message.msg)
    return found


def test_a_malformed_encryption_key_is_an_error(settings):
    good = Fernet.generate_key().decode()
    settings.PII_DIGEST_KEY = secrets.token_urlsafe(32)
    settings.PII_ENCRYPTION_KEYS = [good, "not-a-fernet-key"]
    errors = key_errors()
    assert list(errors) == ["jmzhgd.E001"] and "第 2 个密钥" in errors["jmzhgd.E001"][0]
    # An error, not a warning: the check fails even without --fail-level.
    assert [m.level for m in checks.run_checks(tags=["security"]) if m.id == "jmzhgd.E001"] == [checks.ERROR]


def test_a_one_character_digest_key_is_an_error_at_deploy(settings):
    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    settings.PII_DIGEST_KEY = "x"
    assert list(key_errors()) == ["jmzhgd.E002"]
    settings.PII_DIGEST_KEY = "x" * 31
    assert list(key_errors()) == ["jmzhgd.E002"]


def test_the_keys_ci_generates_pass(settings):
    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), Fernet.generate_key().decode()]
    settings.PII_DIGEST_KEY = secrets.token_urlsafe(32)  # 43 characters, as .ci/run makes it
    assert key_errors() == {}


def test_the_test_and_development_keys_still_run_without_deploy(settings):
    # The digest-key rule is for deployments: development and tests keep their short keys.
    assert key_errors(include_deployment_checks=False) == {}
