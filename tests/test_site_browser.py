"""The site in a real browser, opened from file:// (Debian's chromium driven by Playwright).

Skips without chromium or Playwright, except in CI (`CI` set), where it fails,
as tests/test_html_browser.py does.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from click.testing import CliRunner

from evalanalysis.cli import main

from . import site_reports
from .site_reports import GAP_EVAL
from .test_html_browser import PNG_MAGIC, launch_chromium

def _site(folder: Path, reports: Path) -> Path:
    result = CliRunner().invoke(main, ["site", "--reports-dir", str(reports), "-o", str(folder / "site")])
    assert result.exit_code == 0, result.output
    return folder / "site" / "index.html"


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """The pages, written before the browser starts (Playwright's sync API keeps an event loop running)."""
    out = {}
    for name, make in (("full", site_reports.full_reports), ("gap", site_reports.gap_reports)):
        folder = tmp_path_factory.mktemp(name)
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(folder)
            patch.setenv("XDG_CONFIG_HOME", str(folder / "xdg"))
            patch.setenv("XDG_CACHE_HOME", str(folder / "xdg-cache"))
            out[name] = _site(folder, make(folder))
    return out


@pytest.fixture(scope="module")
def browser(pages):
    yield from launch_chromium()


@pytest.fixture
def open_page(browser, pages):
    contexts = []

    def open_(name: str):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.problems = []  # console errors, page errors, requests that are not file:
        page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
        page.on("request", lambda r: page.problems.append(f"request {r.url}") if not r.url.startswith("file:") else None)
        page.goto(pages[name].resolve().as_uri())
        return page

    yield open_
    for context in contexts:
        context.close()


def visible_evals(page) -> list[str]:
    return page.eval_on_selector_all("#matrix tbody tr", "rows => rows.filter(r => r.offsetParent !== null).map(r => r.querySelector('th code').textContent)")


def test_the_page_draws_its_charts_and_runs_without_errors(open_page):
    page = open_page("full")
    charts = page.locator("figure.chart svg")
    assert charts.count() == page.locator("section.series").count() > 10
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 50
        assert charts.nth(i).locator("circle.point").count() >= 1
    assert page.locator("svg polyline.line.pass").count() >= 1  # alpha-1 has reports on two dates
    first_point = page.locator("circle.point.pass").first
    assert float(first_point.get_attribute("cy")) > 0 and first_point.locator("title").count() == 1
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.problems == []


def test_every_link_resolves_to_a_file(open_page):
    page = open_page("full")
    urls = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert len(urls) > 20
    for url in urls:
        parsed = urlparse(url)
        assert parsed.scheme == "file", url
        if parsed.fragment and Path(unquote(parsed.path)).name == "index.html":
            assert page.locator(f"[id='{parsed.fragment}']").count() == 1
            continue
        assert Path(unquote(parsed.path)).is_file(), url
    # The percent-encoded one opens the report it names.
    link = page.locator("a.report-link", has_text="notes #1 100% ?.md")
    link.click()
    page.wait_for_load_state()
    assert unquote(urlparse(page.url).path).endswith("acme/zeta-6/notes #1 100% ?.md")
    assert "Run Analysis" in page.content() or "zeta-6" in page.content()


def test_search_filters_the_matrix_by_eval_model_and_class(open_page):
    page = open_page("full")
    everything = visible_evals(page)
    assert len(everything) == page.locator("#matrix tbody tr").count() > 20
    assert page.locator("#search-count").inner_text() == f"{len(everything)} evals"

    page.fill("#search", "select_distinct")
    assert visible_evals(page) == [GAP_EVAL]
    assert page.locator("#search-count").inner_text() == f"Showing 1 of {len(everything)} evals"

    page.fill("#search", "delta-4")  # a model: the evals it fails, and its own series only
    assert sorted(visible_evals(page)) == ["001-data_modeling/002-other", GAP_EVAL]
    assert page.locator("section.series:visible").count() == 1
    assert "delta-4" in page.locator("section.series:visible h3").inner_text()

    page.fill("#search", "known_gap")
    shown = visible_evals(page)
    assert 0 < len(shown) < len(everything)
    for eval_path in shown:
        row = page.locator("#matrix tbody tr:visible", has=page.locator("th code", has_text=eval_path)).first
        assert row.locator("td[data-class='KNOWN_GAP']").count() >= 1

    page.fill("#search", "")
    assert len(visible_evals(page)) == len(everything)
    assert page.problems == []


def test_the_known_gap_candidate_is_shown_and_found(open_page, tmp_path):
    page = open_page("gap")
    candidate = page.locator("li.candidate")
    assert candidate.count() == 1 and GAP_EVAL in candidate.inner_text()
    assert "alpha-1, beta-2, gamma-3" in candidate.inner_text()
    assert page.locator("#matrix tr.candidate-row .badge").count() == 1
    candidate.locator("a.eval").click()
    assert page.url.endswith("#" + page.locator("#matrix tr.candidate-row").get_attribute("id"))
    page.fill("#search", "candidate")
    assert visible_evals(page) == [GAP_EVAL]
    data = page.screenshot(path=str(tmp_path / "site.png"))
    assert data.startswith(PNG_MAGIC)
    assert page.problems == []


def test_the_page_reads_with_scripts_off(browser, pages):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(pages["full"].resolve().as_uri())
        assert not page.locator("#controls").is_visible()  # a search box that cannot work is not shown
        assert page.locator("#matrix tbody tr:visible").count() == page.locator("#matrix tbody tr").count()
        assert page.locator("figure.chart svg circle").count() > 10
    finally:
        context.close()
