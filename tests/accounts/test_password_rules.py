"""The platform's context-words rule (docs/security.md, ASVS 6.1.2 / 6.2.11)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jmzhgd.accounts.validators import ContextWordsValidator
from tests.factories import TEST_PASSWORD

ACCOUNT = SimpleNamespace(username="zhang.san", project=SimpleNamespace(code="JM-2026-0007"))


@pytest.mark.parametrize(
    "password, accepted",
    [
        ("Jiangmen#2027", False),  # "#2027" is all that is left
        ("JMZHGD@2026!", False),  # any case
        ("智慧工地江门2026ab", False),
        ("zhang.san#2026", False),  # the username
        ("JM-2026-0007-ab", False),  # the project's code
        ("江门工地实名制管理平台二〇二六年启用", True),  # a passphrase that mentions 江门
        ("Jiangmen-river-bridge-7", True),
        (TEST_PASSWORD, True),
    ],
)
def test_context_words_do_not_count_towards_a_passwords_length(password, accepted):
    validator = ContextWordsValidator(min_length=8)
    if accepted:
        validator.validate(password, ACCOUNT)
    else:
        with pytest.raises(ValidationError) as refused:
            validator.validate(password, ACCOUNT)
        assert refused.value.code == "password_context_words"
        assert "容易被猜到" in refused.value.messages[0]


def test_the_rule_applies_to_a_password_change(client, project_user):
    client.force_login(project_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "Jiangmen#2027", "new_password2": "Jiangmen#2027"},
    )
    assert response.status_code == 200 and "容易被猜到" in response.content.decode()
    project_user.refresh_from_db()
    assert project_user.check_password(TEST_PASSWORD)
