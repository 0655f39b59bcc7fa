"""Browser tests: Playwright for Python driving the system Chromium (Debian's package), headless.

The browser is Debian's /usr/bin/chromium (CHROMIUM_PATH overrides); Playwright never downloads one.
The sync API runs an event loop in the test thread, so Django's async-safety guard is relaxed for
these tests only (the live server runs in its own thread, as in production).
"""

from __future__ import annotations

import io
import os
import shutil

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(
            f"Chromium not found at {path}: "
            "install Debian's chromium package (make test does: scripts/system-packages.sh)"
        )
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900}
    )
    # Nothing leaves this machine: any request to another host is aborted.
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# The pages a worker uses on his phone (375 px): the project's 场所码 card and the worker's own entry.
WORKER_PAGES = [
    "/projects/{project}/card/",
    "/projects/{project}/card/edit/",
    "/projects/{project}/roster/enter/",
    "/projects/{project}/collect/",
    "/projects/{project}/attendance/fence/punch/",  # 移动考勤, on the 考勤员's phone
]
LONG_ENTERPRISE = "广东省江门市新会区银洲湖建筑工程劳务分包有限责任公司第二分公司"


@pytest.fixture
def demo_data(db):
    """The demo data (`manage.py seed_demo`) and its first project, with an enterprise of realistic length."""
    from projects.models import Project
    from tests import factories

    call_command("seed_demo", stdout=io.StringIO())
    project = Project.objects.order_by("code").first()
    factories.UnitFactory(project=project, enterprise__name=LONG_ENTERPRISE)
    return project


def login(page, username: str, password: str, captcha: str = "PASSED") -> None:
    """Log in through the real form; the captcha field is answered in the library's test mode."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.fill("input[name='captcha_1']", captcha)
    page.get_by_role("button", name="登录").click()


def draw_signature(page) -> None:
    """A drawn signature on the signing pages' pad (selfservice/_signature_pad.html), as a finger draws:
    the pad scrolled into view first, since the mouse draws where the pad is on the screen."""
    pad = page.get_by_test_id("signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 20, box["y"] + 40 + (step % 3) * 25)
    page.mouse.up()
