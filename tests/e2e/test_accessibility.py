"""Accessibility (WCAG 2.1 A/AA, which GB/T 37668-2019 follows), checked by axe-core in Chromium.

One walk per persona: it starts from the persona's menu (or, signed out, from the login page) and follows
every link of the platform it meets, visiting one page of each kind (one URL name), so a new page is
checked as soon as something links to it. axe-core (static/vendor/axe-core) runs on each page; any
WCAG 2.1 A or AA violation fails the test with the page and the elements named. The public forms are
also checked in their failed-submit state, and the worker pages at 375 px.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import WORKER_PAGES, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE_SOURCE = Path(settings.BASE_DIR, "static/vendor/axe-core/axe.min.js").read_text(encoding="utf-8")
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => `${v.id}（${v.impact}）：` +
    v.nodes.slice(0, 6).map(n => n.target.join(' ') + (n.any[0] ? ' ' + n.any[0].message : '')).join('；'));
}"""
# Not the platform's own pages: Django's admin, the generated API documentation, file and captcha
# endpoints, and signing out (it would end the walk).
NOT_WALKED = ("admin:", "api-", "captcha-", "accounts:logout")
SAME_ORIGIN_LINKS = """() => [...document.querySelectorAll('a[href]')]
  .filter(a => a.origin === location.origin && !a.hasAttribute('download'))
  .map(a => a.pathname + a.search)"""


def axe_violations(page) -> list[str]:
    # Colours are judged at rest: a button under the pointer just after a click is mid-way through
    # Bootstrap's colour transition, which reduced motion turns off (as it does for those who ask).
    page.emulate_media(reduced_motion="reduce")
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(RUN_AXE)


def page_kind(url: str) -> str | None:
    try:
        name = resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None
    return None if name.startswith(NOT_WALKED) else name


def walk(page, start: list[str]) -> tuple[list[str], set[str]]:
    """Visit `start` and, breadth first, one page of every kind linked from the pages visited."""
    problems: list[str] = []
    seen: set[str] = set()
    queue = list(start)
    while queue:
        url = queue.pop(0)
        kind = page_kind(url)
        if kind is None or kind in seen:
            continue
        seen.add(kind)
        try:
            response = page.goto(url)
        except PlaywrightError:  # a file download, not a page
            continue
        if response.status >= 500:
            problems.append(f"{url}：HTTP {response.status}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        problems += [f"{url}（{page.viewport_size['width']} px）{v}" for v in axe_violations(page)]
        queue += page.evaluate(SAME_ORIGIN_LINKS)
    return problems, seen


def menu_links(page) -> list[str]:
    page.goto("/")
    return page.eval_on_selector_all("[data-testid=main-menu] a", "links => links.map(a => a.pathname)")


def test_every_page_of_a_supervisor_and_of_a_project_account_has_no_wcag_violation(page, demo_data):
    project = demo_data
    login(page, "jgf", "Jgf@2026js")
    problems, seen = walk(page, menu_links(page))
    assert {"projects:dashboard", "projects:review_detail", "projects:card", "wages:arrears"} <= seen
    assert {"credit:supervise", "credit:create", "credit:detail"} <= seen

    page.context.clear_cookies()
    login(page, f"xm{project.code}", "Xm@2026demo")
    more, seen = walk(page, menu_links(page))
    assert {"workforce:roster", "workforce:person_detail", "wages:detail", "contracts:renew"} <= seen
    assert {"credit:project_list", "credit:propose", "credit:project_detail"} <= seen
    problems += more

    page.set_viewport_size({"width": 375, "height": 740})
    for url in [u.format(project=project.pk) for u in WORKER_PAGES]:
        page.goto(url)
        problems += [f"{url}（375 px）{v}" for v in axe_violations(page)]
    assert problems == [], "\n".join(problems)


def test_the_public_pages_and_their_forms_after_a_failed_submit_have_no_wcag_violation(page):
    problems, seen = walk(page, ["/accounts/login/"])
    assert {"projects:declare", "projects:declaration_status", "selfservice:lookup", "core:support"} <= seen

    for url, button in [
        ("/accounts/login/", "登录"),
        ("/declare/", "提交申报"),
        ("/declare/status/", "查询"),
        ("/worker/", "查询"),
    ]:
        page.goto(url)
        with page.expect_navigation():
            page.get_by_role("button", name=button).click()
        page.locator(".form-error-summary li").first.wait_for()
        problems += [f"{url}（提交后）{v}" for v in axe_violations(page)]

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/worker/")
    problems += [f"/worker/（375 px）{v}" for v in axe_violations(page)]
    assert problems == [], "\n".join(problems)
