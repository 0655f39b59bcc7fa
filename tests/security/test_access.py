"""OWASP ASVS 5.0 V8: function-level and data-specific authorisation beyond the URL matrix."""

from __future__ import annotations

import importlib
import re
from datetime import date

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from jmzhgd.core.models import WorkType
from jmzhgd.portal.api import api
from tests import factories
from workforce.models import RosterEntry

FORM_MODULES = [
    "projects.forms",
    "enterprises.forms",
    "workforce.forms",
    "contracts.forms",
    "attendance.forms_anomalies",
    "jmzhgd.api.forms",
]


def all_model_forms():
    for name in FORM_MODULES:
        importlib.import_module(name)
    found, todo = set(), [forms.ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in {
                "projects",
                "enterprises",
                "workforce",
                "contracts",
                "attendance",
                "jmzhgd",
            }:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def test_every_model_form_lists_its_fields_explicitly():
    """V8.2.3 (field level, mass assignment): no ModelForm takes '__all__' or an exclude list, so a
    field added to a model is never writable from a form until someone lists it."""
    model_forms = all_model_forms()
    assert len(model_forms) >= 8
    for form_class in model_forms:
        meta = form_class._meta
        assert isinstance(meta.fields, (list, tuple)), form_class
        assert meta.exclude is None, form_class


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method, path",
    [
        (method.upper(), re.sub(r"\{\w+\}", "1", path))
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
    ],
)
def test_every_api_operation_but_the_login_needs_a_signature_or_a_token(client, method, path):
    """V8.2.1 on the API: each operation declared with security answers 401 JSON without credentials."""
    response = client.generic(method, path, b"{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_only_api_operation_without_security_is_the_app_login():
    open_operations = [
        (method, path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method, operation in operations.items()
        if not operation.get("security")
    ]
    assert open_operations == [("post", "/api/v1/auth/token")]


@pytest.fixture
def wizard(project_client, project):
    """A person chosen in step 1 of the entry wizard, and step 2's URL."""
    person = factories.PersonFactory(id_number=factories.id_number(birth=date(1990, 1, 1)))
    step1 = reverse("workforce:enter", kwargs={"project_id": project.pk})
    project_client.post(step1, {"shown": [person.pk], "ids": [person.pk]})
    return reverse("workforce:enter_details", kwargs={"project_id": project.pk})


@pytest.mark.django_db
def test_a_crafted_entry_post_with_another_projects_team_enters_nobody(
    project_client, project, other_project, wizard
):
    """V8.2.2 (IDOR in a POST body): the team and unit choices are narrowed to this project."""
    own_team = factories.TeamFactory(unit=factories.UnitFactory(project=project))
    foreign_team = factories.TeamFactory(unit=factories.UnitFactory(project=other_project))
    rebar = WorkType.objects.get(name="钢筋工")
    data = {"category": "worker", "work_type": rebar.pk, "entry_date": timezone.localdate().isoformat()}

    for unit, team in ((own_team.unit_id, foreign_team.pk), (foreign_team.unit_id, foreign_team.pk)):
        response = project_client.post(wizard, {**data, "unit": unit, "team": team})
        assert response.status_code == 200
        assert "所属班组的选项无效，请重新选择。" in response.content.decode()
    assert not RosterEntry.objects.exists()

    response = project_client.post(wizard, {**data, "unit": own_team.unit_id, "team": own_team.pk})
    assert response.status_code == 302 and RosterEntry.objects.filter(team=own_team).count() == 1


def test_signatures_are_compared_in_constant_time(monkeypatch):
    """The API's signature check goes through hmac.compare_digest, whatever the input."""
    from jmzhgd.api import signing

    calls = []
    real = signing.hmac.compare_digest
    monkeypatch.setattr(signing.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    assert signing.signature_matches("ab" * 32, " " + "AB" * 32)
    assert not signing.signature_matches("ab" * 32, "不是签名")
    assert len(calls) == 2
