"""The HTML report in a real browser: Debian's chromium driven by Playwright.

Without chromium or Playwright these tests skip with the reason, except in CI
(`CI` set), where they fail: `.ci/run` installs both.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import evalanalysis as ea
from evalanalysis.cli import main

from . import hostile
from .conftest import INHERITED

ROOT = Path(__file__).resolve().parents[1]
MIXED = ROOT / "examples" / "runs" / "mixed-run.json"
CHROMIUM = os.environ.get("CHROMIUM_BIN") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # a container's small /dev/shm would crash full-page screenshots
]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
LONG_EVAL = "004-a_category_with_a_very_long_name/" + "an_eval_whose_name_goes_on_and_on_" * 4
LONG_CLASS = "INFRASTRUCTURE_OR_HARNESS_FAILURE"


def unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the browser tests must run (.ci/run installs chromium)")
    pytest.skip(reason)


def html_reporter():
    return ea.PluginRegistry(ea.get_plugin_manager()).create("reporter", "html", ea.Settings())


@pytest.fixture(scope="module")
def mixed() -> ea.RunAnalysis:
    return ea.analyze(str(MIXED), settings=ea.Settings(), date="2026-11-25")


@pytest.fixture(scope="module")
def pages(mixed, tmp_path_factory) -> dict[str, Path]:
    """Every page the tests open, written before the browser starts (Playwright's sync API
    keeps an event loop running, so `asyncio.run` cannot be called while it is up)."""
    folder = tmp_path_factory.mktemp("pages")
    out = {"mixed": folder / "mixed.html", "hostile": folder / "hostile.html", "broken": folder / "broken.html"}
    out["mixed"].write_text(html_reporter().render(mixed), encoding="utf-8")
    hostile_html = html_reporter().render(hostile.hostile_analysis())
    out["hostile"].write_text(hostile_html, encoding="utf-8")
    # A page with a missed escape, simulated: the payloads pasted in raw.
    broken = hostile_html.replace("<main>", f"<main>{hostile.IMG}{hostile.SCRIPT}{hostile.SVG}", 1)
    out["broken"].write_text(broken, encoding="utf-8")
    out["long"] = folder / "long.html"
    out["long"].write_text(html_reporter().render(long_names(mixed)), encoding="utf-8")
    bundle = hostile.hostile_bundle(folder / "hostile-bundle.json")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("XDG_CONFIG_HOME", str(folder / "xdg"))
        patch.setenv("XDG_CACHE_HOME", str(folder / "xdg-cache"))
        for name in [n for n in os.environ if n.startswith(INHERITED)]:
            patch.delenv(name)
        result = CliRunner().invoke(main, ["analyze", str(bundle), "--format", "html", "--quiet"])
    assert result.exit_code == 0, result.output
    out["hostile-bundle"] = folder / next(line for line in result.output.splitlines() if line.endswith(".html"))
    return out


def long_names(mixed: ea.RunAnalysis) -> ea.RunAnalysis:
    """The mixed run with a long eval path, category, step and class name and an unbroken error line."""
    taxonomy = ea.Taxonomy((*ea.DEFAULT_TAXONOMY.classes, ea.TaxonomyClass(LONG_CLASS, "harness", role="infrastructure")))
    first = mixed.failures[0]
    first = attrs.evolve(
        first,
        eval_path=LONG_EVAL,
        category=LONG_EVAL.split("/")[0],
        failed_step="a_custom_step_with_a_long_name",
        error="Error: " + "x" * 300,
        classification=LONG_CLASS,
        verdict=attrs.evolve(first.verdict, classification=LONG_CLASS, needs_review=True),
    )
    steps = {**mixed.failures_by_step, "a_custom_step_with_a_long_name": 1}
    return attrs.evolve(mixed, taxonomy=taxonomy, failures=(first, *mixed.failures[1:]), failures_by_step=steps)


try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # reported by the `browser` fixture
    expect = sync_playwright = None


def launch_chromium():
    """Debian's headless chromium through Playwright, for a module-scoped `browser` fixture to yield from;
    skipped (failed under CI) when either is missing."""
    if sync_playwright is None:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).is_file():
        unavailable(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        # Playwright gives each launch a fresh temporary --user-data-dir.
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def browser(pages):
    yield from launch_chromium()


class Tab:
    """A page plus the console messages, page errors and requests it produced."""

    def __init__(self, browser, path: Path, *, javascript: bool = True, fragment: str = "", width: int = 1280,
                 scheme: str = "light"):
        self.context = browser.new_context(
            java_script_enabled=javascript, viewport={"width": width, "height": 900}, color_scheme=scheme
        )
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(path.resolve().as_uri() + fragment)

    def visible_rows(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#classification tbody tr", "rows => rows.filter(r => r.offsetParent !== null).map(r => r.dataset.class)"
        )

    def clean(self) -> bool:
        """No page error and no console error so far."""
        return self.errors == [] and not [m for m in self.console if m.startswith("error")]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_tab(browser, pages):
    opened: list[Tab] = []

    def open_(name: str, **kwargs) -> Tab:
        opened.append(Tab(browser, pages[name], **kwargs))
        return opened[-1]

    yield open_
    for tab in opened:
        tab.close()


@pytest.fixture
def tab(open_tab) -> Tab:
    return open_tab("mixed")


def test_charts_and_every_failure_are_shown(tab, mixed):
    page = tab.page
    charts = page.locator("figure.chart svg")
    assert charts.count() == 3
    for i in range(3):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 10
    assert page.locator("figure.chart rect").count() == len(mixed.failures_by_step) + len(
        {f.category for f in mixed.failures}
    ) + len({f.classification for f in mixed.failures})
    summaries = page.locator("details.failure > summary")
    assert summaries.count() == len(mixed.failures)
    for i, failure in enumerate(mixed.failures):
        assert failure.eval_path in summaries.nth(i).inner_text()
        assert summaries.nth(i).is_visible()
    assert tab.errors == [] and not [m for m in tab.console if m.startswith("error")]
    assert [url for url in tab.requests if not url.startswith("file:")] == []


def test_the_classification_table_filters_by_text_and_class(tab, mixed):
    page = tab.page
    total = len(mixed.failures)
    assert len(tab.visible_rows()) == total
    assert page.locator("#row-count").inner_text() == f"Showing {total} of {total}"

    page.fill("#filter-text", "eslint")
    shown = page.locator("#classification tbody tr:visible")
    assert 0 < shown.count() < total
    for i in range(shown.count()):
        assert "eslint" in shown.nth(i).inner_text().lower()
    page.fill("#filter-text", "")
    assert len(tab.visible_rows()) == total

    page.locator("label.chip", has_text="MODEL_FAULT").click()
    rows = tab.visible_rows()
    faults = sum(1 for f in mixed.failures if f.classification == "MODEL_FAULT")
    assert len(rows) == total - faults and "MODEL_FAULT" not in rows
    assert page.locator("#row-count").inner_text() == f"Showing {total - faults} of {total}"


def test_the_table_sorts_by_confidence(tab):
    page = tab.page
    page.locator("#classification th", has_text="Confidence").locator("button").click()
    values = [float(v) for v in page.locator("#classification tbody td:nth-child(5)").all_inner_texts()]
    assert values == sorted(values) and values[0] < values[-1]
    assert page.locator("#classification th[aria-sort=ascending]").count() == 1
    page.locator("#classification th", has_text="Confidence").locator("button").click()
    values = [float(v) for v in page.locator("#classification tbody td:nth-child(5)").all_inner_texts()]
    assert values == sorted(values, reverse=True)


def test_failure_sections_collapse_and_open_from_the_table(tab, mixed):
    page = tab.page
    first = page.locator("details#failure-1")
    assert first.get_attribute("open") is None
    assert not first.locator(".failure-body").is_visible()
    page.locator("#classification tbody a[href='#failure-3']").click()
    expect(page.locator("details#failure-3")).to_have_attribute("open", "")
    page.locator("details#failure-3 > summary").click()  # closed by hand, a second click on the link reopens it
    expect(page.locator("details#failure-3")).not_to_have_attribute("open", "")
    page.locator("#classification tbody a[href='#failure-3']").click()
    expect(page.locator("details#failure-3")).to_have_attribute("open", "")
    page.click("#expand-all")
    assert page.locator("details.failure[open]").count() == len(mixed.failures)
    with_diff = page.locator("details.failure pre.diff")
    assert with_diff.count() > 0 and with_diff.first.is_visible()
    highlighted = page.locator("details.failure .highlight pre").first
    assert highlighted.is_visible() and highlighted.locator("span.k").count() > 0  # token classes, coloured by the CSS
    page.click("#collapse-all")
    assert page.locator("details.failure[open]").count() == 0


def test_the_page_reads_with_scripts_off(open_tab, mixed):
    tab = open_tab("mixed", javascript=False)
    page = tab.page
    assert len(tab.visible_rows()) == len(mixed.failures)
    assert not page.locator("#table-controls").is_visible()
    assert not page.locator("#failure-controls").is_visible()
    page.locator("details#failure-2 > summary").click()  # <details> needs no script
    assert page.locator("details#failure-2 .failure-body").is_visible()
    assert page.locator("figure.chart svg").count() == 3


def test_a_screenshot_is_produced(tab, tmp_path):
    path = tmp_path / "report.png"
    data = tab.page.screenshot(path=str(path), full_page=True)
    assert data.startswith(PNG_MAGIC) and len(data) > 20_000
    assert path.read_bytes() == data


def test_script_payloads_in_a_bundle_are_shown_not_run(open_tab):
    tab = open_tab("hostile-bundle")
    page = tab.page
    page.click("#expand-all")  # our own script runs under the CSP
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate("document.scripts.length") == 1
    assert page.locator("img").count() == 0
    text = page.locator("body").inner_text()
    assert hostile.SCRIPT in text and hostile.IMG in text and hostile.SVG in text
    assert tab.errors == []


def test_every_field_of_a_hostile_analysis_is_shown_not_run(open_tab):
    tab = open_tab("hostile")
    page = tab.page
    page.click("#expand-all")
    assert page.evaluate("typeof window.__xss") == "undefined"
    text = page.locator("body").inner_text()
    for payload in hostile.PAYLOADS:
        assert payload in text
    assert page.title() == f"Run analysis: model{hostile.IMG}"


def test_the_csp_stops_script_even_if_an_escape_were_missed(open_tab):
    tab = open_tab("broken")
    page = tab.page
    assert page.evaluate("document.scripts.length") == 2  # the injected script is in the DOM ...
    assert page.locator("img").count() == 1
    assert page.evaluate("typeof window.__xss") == "undefined"  # ... and neither it nor onerror ran
    assert page.locator("#table-controls").is_visible()  # while ours did
    assert any("Content Security Policy" in message for message in tab.console)


def test_long_names_keep_the_table_and_the_charts_in_shape(open_tab):
    tab = open_tab("long")
    page = tab.page
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), "a long eval name pushed the table sideways"
    reasoning = page.locator("#classification tbody tr").first.locator("td").nth(5).bounding_box()
    assert reasoning and reasoning["width"] > 200
    outside = page.evaluate(
        """() => [...document.querySelectorAll('figure.chart svg')].flatMap(svg => {
            const box = svg.getBoundingClientRect();
            return [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect())
                .filter(r => r.left < box.left - 0.5 || r.right > box.right + 0.5)
                .map(r => [svg.parentNode.id, Math.round(r.left - box.left), Math.round(box.right - r.right)]);
        })"""
    )
    assert outside == [], "chart labels cut off at the edge of the chart"
    assert page.locator("figure.chart g.bar", has=page.locator(f"title:text-is('{LONG_CLASS}: 1')")).count() == 1
    for marker in ("details#failure-1 > summary .review", "details#failure-1 > summary .badge"):
        box = page.locator(marker).bounding_box()
        assert box and box["height"] < 24, f"{marker} wraps beside a long title"


def test_the_text_filter_searches_the_error_too(tab, mixed):
    [wanted] = [f for f in mixed.failures if "ENOENT" in f.error]
    assert not any("enoent" in (f.verdict.reasoning if f.verdict else "").lower() for f in mixed.failures)
    tab.page.fill("#filter-text", "enoent")
    visible = tab.page.locator("#classification tbody tr:visible")
    assert visible.count() == 1 and wanted.eval_path in visible.inner_text()


def test_a_malformed_address_fragment_raises_no_error(open_tab):
    tab = open_tab("mixed", fragment="#%E0%A4%A")
    assert tab.page.locator("#table-controls").is_visible()
    assert tab.errors == []


def test_printing_opens_every_failure_and_restores_them_after(tab, mixed):
    page = tab.page
    page.locator("details#failure-2 > summary").click()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details.failure[open]").count() == len(mixed.failures)
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.eval_on_selector_all("details.failure[open]", "ds => ds.map(d => d.id)") == ["failure-2"]


def _rgb(css_colour: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css_colour)[:3])


def _contrast(a: str, b: str) -> float:
    def luminance(rgb: tuple[float, ...]) -> float:
        lin = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(_rgb(a)), luminance(_rgb(b))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# Computed colours of what a reader looks at: page, a code panel and its tokens, a badge, the error line.
COLOURS = """() => {
  const style = (el) => getComputedStyle(el);
  const panel = document.querySelector('details.failure .highlight');
  const badge = document.querySelector('#classification .badge');
  const error = document.querySelector('code.error');
  return {
    bg: style(document.body).backgroundColor, ink: style(document.body).color,
    panel: style(panel).backgroundColor,
    tokens: [...panel.closest('details').querySelectorAll('.highlight span[class]')].map(s => style(s).color),
    codeInk: style(panel.querySelector('pre')).color,
    badgeBg: style(badge).backgroundColor, badgeInk: style(badge).color,
    errorBg: style(error).backgroundColor, errorInk: style(error).color,
    card: style(document.querySelector('details.failure')).backgroundColor,
  };
}"""


def test_the_dark_theme_follows_the_system_setting_and_stays_legible(open_tab):
    seen = {}
    for scheme in ("light", "dark"):
        tab = open_tab("mixed", scheme=scheme)
        tab.page.click("#expand-all")
        colours = tab.page.evaluate(COLOURS)
        seen[scheme] = colours
        assert len(colours["tokens"]) > 10
        for ink in (colours["ink"], colours["codeInk"], *colours["tokens"]):
            assert _contrast(ink, colours["panel"]) >= 4.5, (scheme, ink, colours["panel"])
        assert _contrast(colours["ink"], colours["bg"]) >= 7
        assert _contrast(colours["badgeInk"], colours["badgeBg"]) >= 4.5
        assert _contrast(colours["errorInk"], colours["errorBg"]) >= 4.5
        assert tab.clean()
    light, dark = seen["light"], seen["dark"]
    for key in ("bg", "ink", "panel", "card", "errorBg", "codeInk"):
        assert light[key] != dark[key], key
    assert sum(_rgb(dark["bg"])) < 100 < sum(_rgb(light["bg"])) - 500  # dark really is dark, light really is light
    assert light["tokens"] != dark["tokens"]


NARROW = 420


@pytest.mark.parametrize("name", ["mixed", "long"])
def test_at_420_px_the_table_is_cards_with_every_field_in_view(open_tab, name):
    tab = open_tab(name, width=NARROW)
    page = tab.page
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW
    assert page.locator("#classification thead").evaluate("h => h.getBoundingClientRect().height") <= 1
    rows = page.locator("#classification tbody tr")
    assert rows.count() > 1
    for i in range(rows.count()):
        row = rows.nth(i)
        assert row.evaluate("r => getComputedStyle(r).display") == "block"
        for cell in row.locator("td").all():
            box = cell.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= NARROW, (i, cell.inner_text(), box)
        for selector in ("td.class-cell .badge", "td.reasoning-cell"):
            box = row.locator(selector).bounding_box()
            assert box and box["width"] > 20 and box["x"] >= 0 and box["x"] + box["width"] <= NARROW, (i, selector, box)
        assert row.locator("td.reasoning-cell").inner_text().strip()
    page.click("#expand-all")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW
    for section in page.locator("details.failure").all():
        for selector in ("summary .badge", "summary h3", "p.reasoning, dl.facts dd"):
            box = section.locator(selector).first.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= NARROW, (selector, box)
    assert tab.clean()


def _shown(page) -> dict[str, object]:
    return page.evaluate(
        """() => ({
          sections: [...document.querySelectorAll('details.failure')].filter(d => d.offsetParent !== null).map(d => d.id),
          rows: [...document.querySelectorAll('#classification tbody tr')].filter(r => r.offsetParent !== null).length,
          bars: Object.fromEntries([...document.querySelectorAll('figure.chart')].map(f => [f.id,
            Object.fromEntries([...f.querySelectorAll('g.bar')].map(g =>
              [g.dataset.label, [g.querySelector('text.count').textContent, g.querySelector('rect').getAttribute('width')]]))])),
        })"""
    )


def test_a_filter_applies_to_sections_and_charts_and_lives_in_the_address(open_tab, mixed):
    tab = open_tab("mixed")
    page = tab.page
    total = len(mixed.failures)
    before = _shown(page)
    assert len(before["sections"]) == before["rows"] == total
    faults = [i for i, f in enumerate(mixed.failures, 1) if f.classification == "MODEL_FAULT"]

    page.locator("label.chip", has_text="MODEL_FAULT").click()
    after = _shown(page)
    assert after["rows"] == total - len(faults)
    assert after["sections"] == [f"failure-{i}" for i in range(1, total + 1) if i not in faults]
    assert after["bars"]["chart-class"]["MODEL_FAULT"][0] == "0"
    assert after["bars"] != before["bars"]
    for chart in ("chart-step", "chart-category", "chart-class"):
        assert sum(int(n) for n, _ in after["bars"][chart].values()) == total - len(faults), chart
    shown_failures = [f for i, f in enumerate(mixed.failures, 1) if i not in faults]
    for step, (n, _) in after["bars"]["chart-step"].items():
        assert int(n) == sum(1 for f in shown_failures if (f.failed_step or "unknown") == step)
    assert "Showing" in page.locator("#failure-count").inner_text()
    assert "class=" in page.url and "MODEL_FAULT" not in page.url

    page.reload()
    assert _shown(page) == after
    assert not page.locator("label.chip", has_text="MODEL_FAULT").locator("input").is_checked()

    page.fill("#filter-text", "eslint")
    narrowed = _shown(page)
    assert 0 < len(narrowed["sections"]) < len(after["sections"])
    assert "q=eslint" in page.url
    page.reload()
    assert page.input_value("#filter-text") == "eslint" and _shown(page) == narrowed

    page.go_back()  # before the text
    expect(page.locator("#filter-text")).to_have_value("")
    assert _shown(page) == after
    page.go_back()  # before the class filter
    assert _shown(page) == before and "?" not in page.url
    page.go_forward()
    assert _shown(page) == after

    page.click("#clear-filters")
    assert _shown(page) == before and "?" not in page.url
    assert tab.clean()


def test_a_shared_address_opens_with_its_filter(open_tab, pages, mixed):
    tab = open_tab("mixed", fragment="?class=KNOWN_GAP&q=")
    shown = _shown(tab.page)
    gaps = [f"failure-{i}" for i, f in enumerate(mixed.failures, 1) if f.classification == "KNOWN_GAP"]
    assert shown["sections"] == gaps and gaps
    assert tab.page.locator("#row-count").inner_text() == f"Showing {len(gaps)} of {len(mixed.failures)}"
    assert tab.clean()


def test_one_h3_per_failure_and_no_console_errors(tab, mixed):
    page = tab.page
    titles = page.locator("#per-failure-analysis h3").all_inner_texts()
    assert len(titles) == len(mixed.failures)
    assert [t.split(" ")[1] for t in titles] == [f.eval_path for f in mixed.failures]
    assert page.locator("details.failure h3").count() == page.locator("details.failure").count()
    assert tab.clean()


def test_a_link_to_a_failure_the_filter_hides_clears_the_filter(open_tab, mixed):
    [gap] = [i for i, f in enumerate(mixed.failures, 1) if f.classification == "KNOWN_GAP"]
    tab = open_tab("mixed", fragment="?class=MODEL_FAULT")
    page = tab.page
    assert not page.locator(f"details#failure-{gap}").is_visible()
    page.evaluate(f"location.hash = 'failure-{gap}'")
    expect(page.locator(f"details#failure-{gap}")).to_have_attribute("open", "")
    assert page.locator(f"details#failure-{gap}").is_visible()
    assert len(_shown(page)["sections"]) == len(mixed.failures) and "class=" not in page.url
    assert tab.clean()
