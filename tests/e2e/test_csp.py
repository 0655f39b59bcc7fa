"""The pages people use most run under the Content-Security-Policy without a single violation."""

import pytest

from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_main_pages_raise_no_csp_violation(page, project_user, supervisor):
    violations = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    login(page, project_user.username, TEST_PASSWORD)
    project = project_user.project_id
    for path in [
        f"/projects/{project}/",
        f"/projects/{project}/card/",
        f"/projects/{project}/card/location/",
        f"/projects/{project}/units/",
        f"/projects/{project}/roster/",
        f"/projects/{project}/roster/enter/",
        f"/projects/{project}/attendance/",
        f"/projects/{project}/contracts/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="退出").click()
    login(page, supervisor.username, TEST_PASSWORD)
    for path in ["/dashboard/", "/projects/", "/api/v1/docs"]:
        assert page.goto(path).status == 200, path
        page.wait_for_load_state("networkidle")
    assert violations == []
    # The listener itself works: an injected inline script is refused and reported.
    page.goto("/dashboard/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(300)
    assert len(violations) == 1 and page.evaluate("() => window.x") is None
