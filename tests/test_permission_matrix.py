"""Walk every URL pattern of the site with four personas (see tests/permission_matrix)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories
from tests.permission_matrix.expectations import load
from tests.permission_matrix.expectations.workforce import FOREIGN_PERSON
from tests.permission_matrix.spec import LOGIN
from tests.permission_matrix.world import build_world

# Namespaces outside the matrix, each for a reason:
EXCLUDED_NAMESPACES = {
    "admin",  # Django admin: its own staff check (tested in tests/core/test_admin.py)
}
EXCLUDED_NAMES = {
    "captcha-image",
    "captcha-image-2x",
    "captcha-audio",
    "captcha-refresh",  # the captcha library's own endpoints
}
EXCLUDED_PREFIXES = ("api-",)  # the signed API has its own tests per credential and project


def named_patterns(resolver: URLResolver | None = None, namespace: str = "", prefix: str = ""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from named_patterns(entry, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                yield None, prefix + str(entry.pattern), []
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern), list(entry.pattern.converters)


def site_patterns():
    seen = {}
    for name, route, _ in named_patterns():
        if name is None:
            continue
        top = name.split(":")[0]
        if top in EXCLUDED_NAMESPACES or name in EXCLUDED_NAMES or top.startswith(EXCLUDED_PREFIXES):
            continue
        seen.setdefault(name, route)
    return seen


def kwarg_names(route: str) -> list[str]:
    import re

    return re.findall(r"<(?:\w+:)?(\w+)>", route)


EXPECTATIONS, KWARG_BUILDERS = load()
PATTERNS = site_patterns()


def test_every_url_pattern_has_an_expectation():
    missing = sorted(set(PATTERNS) - set(EXPECTATIONS))
    assert not missing, f"URL patterns without a permission-matrix expectation: {missing}"
    stale = sorted(set(EXPECTATIONS) - set(PATTERNS))
    assert not stale, f"Expectations for URL patterns that no longer exist: {stale}"


def test_every_url_pattern_is_named():
    unnamed = [
        route for name, route, _ in named_patterns() if name is None and not route.startswith("admin/")
    ]
    assert not unnamed, f"Unnamed URL patterns cannot be checked: {unnamed}"


def _kwargs_for(route: str, project) -> dict:
    values = {}
    for kwarg in kwarg_names(route):
        builder = KWARG_BUILDERS.get(kwarg)
        assert builder is not None, (
            f"No builder for URL kwarg <{kwarg}> (add one to KWARGS in an expectations module)"
        )
        values[kwarg] = builder(project)
    return values


def _check(response, expected, label):
    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
            f"{label}: expected a redirect to login, got {response.status_code}"
        )
        return
    codes = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in codes, f"{label}: expected {codes}, got {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_url_answers_each_persona_as_expected(client, name):
    expect = EXPECTATIONS[name]
    world = build_world()
    route = PATTERNS[name]
    kwargs = _kwargs_for(route, world.project_a)
    url = reverse(name, kwargs=kwargs)

    def ask(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        if expect.method == "POST":
            return client.post(url, expect.data)
        return client.get(url, expect.data)

    # Order matters: the own account goes last, as its POST may change what the URL names.
    _check(ask(None), expect.anonymous, f"{name} anonymous")
    _check(ask(world.other), expect.other, f"{name} other project's account")
    _check(ask(world.supervisor), expect.supervisor, f"{name} supervisor")

    object_kwargs = [k for k in kwargs if k != "project_id"]
    if "project_id" in kwargs and object_kwargs:
        # Another project's object under the caller's own project id is a 404 too.
        foreign = reverse(name, kwargs={**kwargs, "project_id": world.project_b.pk})
        client.logout()
        client.force_login(world.other)
        response = (
            client.post(foreign, expect.data) if expect.method == "POST" else client.get(foreign, expect.data)
        )
        assert response.status_code == 404, (
            f"{name}: project B's account reached project A's object ({response.status_code})"
        )

    _check(ask(world.own), expect.own, f"{name} own account")


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(FOREIGN_PERSON))
def test_another_projects_account_changes_no_person_on_this_projects_roster(client, path):
    from jmzhgd.core import audit
    from jmzhgd.core.models import AuditLog
    from workforce.models import Person

    attempt, expected = FOREIGN_PERSON[path]
    world = build_world()
    person = factories.RosterEntryFactory(team__unit__project=world.project_a).person
    before = audit.snapshot(Person.objects.get(pk=person.pk))
    client.force_login(world.other)
    response = attempt(client, world.project_b, person)
    assert response.status_code == expected, f"{path}: expected {expected}, got {response.status_code}"
    assert audit.snapshot(Person.objects.get(pk=person.pk)) == before, f"{path} changed project A's worker"
    assert not AuditLog.objects.filter(action="person.update").exists()
