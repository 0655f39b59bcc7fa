"""Every page of the menu fits the screens the platform is used on: 1366 × 768 (the most common office
screen here) for every page, and 375 px (a phone) for the project's worker pages, with the demo data
and an enterprise name of realistic length. Nothing may scroll sideways out of sight: not the page,
not a table's box, and no action button may sit outside the viewport."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import WORKER_PAGES, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Overflow of the page, of every scrolling table box (the month grid scrolls by design: its name and
# totals columns are frozen, see test_attendance_month), and every visible button of the page's body
# outside the viewport.
MEASURE = """() => {
  const width = window.innerWidth;
  const found = [];
  const page = document.documentElement.scrollWidth - width;
  if (page > 0) found.push(`页面宽出 ${page} px`);
  document.querySelectorAll('main .table-responsive, main .table-container, main table').forEach(box => {
    if (box.closest('.att-grid-box')) return;
    const over = box.scrollWidth - box.clientWidth;
    if (over > 0) found.push(`表格 ${box.dataset.testid || box.className} 宽出 ${over} px`);
  });
  document.querySelectorAll('main .btn').forEach(button => {
    const box = button.getBoundingClientRect();
    if (!box.width || button.closest('.att-grid-box')) return;
    if (box.left < 0 || box.right > width + 0.5) found.push(`按钮【${button.innerText.trim()}】在屏幕外`);
  });
  return found;
}"""


def _menu_links(page) -> list[str]:
    page.goto("/")
    return page.eval_on_selector_all("[data-testid=main-menu] a", "links => links.map(a => a.pathname)")


def _problems(page, urls: list[str]) -> list[str]:
    problems = []
    for url in urls:
        page.goto(url)
        problems += [f"{page.viewport_size['width']} px {url}: {p}" for p in page.evaluate(MEASURE)]
    return problems


def test_every_supervisor_page_fits_a_1366_screen(page, demo_data):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "jgf", "Jgf@2026js")
    links = _menu_links(page)
    assert "/audit/" in links and "/api-credentials/" in links
    assert _problems(page, links) == []


def test_every_project_page_fits_a_1366_screen_and_the_worker_pages_a_phone(page, demo_data):
    project = demo_data
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, f"xm{project.code}", "Xm@2026demo")
    links = _menu_links(page)
    assert f"/projects/{project.pk}/units/" in links
    problems = _problems(page, links)

    page.set_viewport_size({"width": 375, "height": 740})
    problems += _problems(page, [url.format(project=project.pk) for url in WORKER_PAGES])
    assert problems == []
