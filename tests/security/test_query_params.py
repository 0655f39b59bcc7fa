"""OWASP ASVS 5.0 V1.2 / V2.2: every date, month and per_page query parameter of every page.

The pages are found the way the permission matrix finds them (every named GET pattern, with the
same kwarg builders); each page's own filter form names its date and month parameters.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.permission_matrix.spec import LOGIN
from tests.permission_matrix.world import build_world
from tests.test_permission_matrix import EXPECTATIONS, PATTERNS, _kwargs_for

BAD_DATES = ["9999-12", "0001-01", "2026-13", "abc", "", "9999-12-31", "0001-01-01", "2026-02-30"]
ALWAYS_TRIED = ("month", "date_from", "date_to")


class _GetFormInputs(HTMLParser):
    """Names of the date and month inputs inside the page's GET forms."""

    def __init__(self):
        super().__init__()
        self.in_get_form = False
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag == "input" and self.in_get_form and attrs.get("type") in {"date", "month"}:
            self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_get_form = False


def _reads(answer) -> bool:
    return answer != LOGIN and 200 in (answer if isinstance(answer, tuple) else (answer,))


def _reader(expect) -> str | None:
    """The persona that reads the page: the project's own account, else a supervisor."""
    return "own" if _reads(expect.own) else "supervisor" if _reads(expect.supervisor) else None


GET_PAGES = sorted(
    name
    for name, expect in EXPECTATIONS.items()
    if expect.method == "GET" and name in PATTERNS and _reader(expect)
)


def _open(client, name):
    world = build_world()
    client.force_login(getattr(world, _reader(EXPECTATIONS[name])))
    url = reverse(name, kwargs=_kwargs_for(PATTERNS[name], world.project_a))
    return url, client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("name", GET_PAGES)
def test_bad_date_and_month_parameters_answer_the_page_never_a_500(client, name):
    url, first = _open(client, name)
    if first.status_code != 200 or not first["Content-Type"].startswith("text/html"):
        return
    parser = _GetFormInputs()
    parser.feed(first.content.decode())
    for param in sorted(parser.names | set(ALWAYS_TRIED)):
        for value in BAD_DATES:
            response = client.get(url, {param: value})
            assert response.status_code in (200, 302), f"{name} ?{param}={value}: {response.status_code}"
            if param in parser.names and value and response.status_code == 200:
                body = response.content.decode()
                assert "alert-danger" in body or "invalid-feedback" in body, (
                    f"{name} ?{param}={value}: no message on the page"
                )


@pytest.mark.django_db
@pytest.mark.parametrize("name", GET_PAGES)
def test_per_page_is_clamped_on_every_list_page(client, name):
    url, first = _open(client, name)
    if first.status_code != 200 or not first.context or "table" not in first.context:
        return  # not a list page
    for asked, used in (("-1", 1), ("0", 1), ("1000000", 100), ("abc", None), ("", None)):
        response = client.get(url, {"per_page": asked})
        assert response.status_code == 200, f"{name} ?per_page={asked}: {response.status_code}"
        per_page = response.context["table"].paginator.per_page
        if used is not None:
            assert per_page == used, f"{name} ?per_page={asked} gave {per_page} rows per page"


def test_the_walk_reaches_the_list_pages():
    # The walk is only as good as its discovery: the pages the brief names are in it.
    assert {"core:audit_log", "attendance:month", "contracts:list", "workforce:roster"} <= set(GET_PAGES)
