"""The `html` reporter without a browser: content, escaping, self-containment, CSP, packaging."""

from __future__ import annotations

import base64
import colorsys
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import evalanalysis as ea
from evalanalysis.cli import main

from . import hostile

ROOT = Path(__file__).resolve().parents[1]
MIXED = ROOT / "examples" / "runs" / "mixed-run.json"
SECTIONS = {
    "failure-summary": "Failure summary",
    "classification-table": "Classification table",
    "per-failure-analysis": "Per-failure analysis",
    "cross-cutting-patterns": "Cross-cutting patterns",
    "recommendations": "Recommendations",
    "net-impact": "Net impact",
    "actions-taken": "Actions taken",
}


class Page(HTMLParser):
    """A parsed page: elements with attributes, visible text, scripts, styles."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text_parts: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._raw: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._raw = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data):
        if self._raw == "script":
            self.scripts[-1] += data
        elif self._raw == "style":
            self.styles[-1] += data
        else:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]


def render(analysis: ea.RunAnalysis) -> str:
    reporter = ea.PluginRegistry(ea.get_plugin_manager()).create("reporter", "html", ea.Settings())
    assert reporter.suffix == ".html"
    return reporter.render(analysis)


@pytest.fixture(scope="module")
def mixed() -> ea.RunAnalysis:
    return ea.analyze(str(MIXED), settings=ea.Settings(), date="2026-11-25")


@pytest.fixture(scope="module")
def mixed_page(mixed) -> Page:
    return Page(render(mixed))


def test_analyze_writes_markdown_json_and_html_side_by_side(isolated):
    result = CliRunner().invoke(
        main, ["analyze", str(MIXED), "--format", "markdown,json,html", "--date", "2026-11-25", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    paths = [Path(line) for line in result.output.splitlines()]
    assert [p.suffix for p in paths] == [".md", ".json", ".html"]
    assert len({p.with_suffix("") for p in paths}) == 1
    page = Page(paths[2].read_text())
    report = json.loads(paths[1].read_text())
    for failure in report["failures"]:
        assert failure["eval_path"] in page.text


def test_every_section_of_the_markdown_report_is_in_the_page(mixed, mixed_page):
    markdown = ea.PluginRegistry(ea.get_plugin_manager()).create("reporter", "markdown", ea.Settings()).render(mixed)
    sections = {attrs.get("id") for attrs in mixed_page.tags("section")}
    assert set(SECTIONS) <= sections
    for title in SECTIONS.values():
        assert f"## {title}" in markdown
        assert title in mixed_page.text
    for _, group in ea.RECOMMENDATION_GROUPS:
        assert f"### {group}" in markdown and group in mixed_page.text
    text = mixed_page.text
    assert f"Run analysis: {mixed.run.model}" in text
    assert mixed.run.id in text and mixed.pass_rate in text
    assert mixed.corrected_pass_rate and mixed.corrected_pass_rate in text
    assert "Corrected pass rate" in text
    assert mixed.net_impact.summary in text
    details = mixed_page.tags("details")
    assert len(details) == len(mixed.failures) == 13
    for i, failure in enumerate(mixed.failures, 1):
        assert f"{i}. {failure.eval_path} \u2014 {failure.failed_step}" in text
        assert f"### {i}. {failure.eval_path} -- {failure.failed_step}" in markdown
    rows = [attrs for attrs in mixed_page.tags("tr") if "data-class" in attrs]
    assert Counter(r["data-class"] for r in rows) == Counter(f.classification for f in mixed.failures)


def test_charts_count_failures_by_step_category_and_class(mixed, mixed_page):
    bars: dict[str, dict[str, int]] = {}
    chart = None
    for tag, attrs in mixed_page.elements:
        if tag == "figure":
            chart = attrs["id"]
            bars[chart] = {}
        elif tag == "g" and "data-label" in attrs:
            bars[chart][attrs["data-label"]] = int(attrs["data-count"])
    assert bars["chart-step"] == dict(mixed.failures_by_step)
    assert bars["chart-category"] == dict(Counter(f.category for f in mixed.failures))
    assert bars["chart-class"] == dict(Counter(f.classification for f in mixed.failures))
    widths = [float(a["width"]) for a in mixed_page.tags("rect")]
    assert len(widths) == sum(len(b) for b in bars.values()) and max(widths) > min(widths) > 0


def test_snippets_are_highlighted_inline_and_diffed(mixed):
    html = render(mixed)
    assert 'class="highlight"' in html and '<span class="k">' in html  # Pygments token classes, coloured by our CSS
    with_both = [f for f in mixed.failures if f.verdict and f.verdict.model_snippet and f.verdict.expected_snippet]
    assert with_both, "the example needs a failure with both snippets"
    assert html.count('<pre class="diff">') == sum(
        1 for f in with_both if f.verdict.model_snippet != f.verdict.expected_snippet
    )
    assert '<span class="diff-add">+' in html and '<span class="diff-del">-' in html


def test_the_page_fetches_nothing(mixed_page):
    for tag, attrs in mixed_page.elements:
        assert tag not in ("link", "iframe", "object", "embed", "base", "img", "video", "audio", "source")
        for name in ("src", "href", "xlink:href", "action", "poster", "srcset"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith("#") or value.startswith("data:"), (tag, name, value)
    css = "".join(mixed_page.styles) + "".join(a.get("style") or "" for _, a in mixed_page.elements)
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    assert not re.search(r"https?://", "".join(mixed_page.scripts) + css)


def test_a_strict_csp_pins_the_one_inline_script(mixed_page):
    [script] = mixed_page.scripts
    metas = [a for a in mixed_page.tags("meta") if (a.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(metas) == 1
    policy = dict(part.strip().split(" ", 1) for part in metas[0]["content"].split(";"))
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert policy["script-src"] == f"'sha256-{digest}'"
    assert policy["default-src"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"]
    order = [tag for tag, _ in mixed_page.elements]
    assert order.index("meta") < order.index("style") < order.index("script")
    assert mixed_page.elements.index(("meta", metas[0])) < order.index("style")


def test_untrusted_text_is_escaped_everywhere():
    html = render(hostile.hostile_analysis())
    page = Page(html)
    assert len(page.scripts) == 1 and "__xss" not in page.scripts[0]
    assert not page.tags("img")
    for tag, attrs in page.elements:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
    for payload in hostile.PAYLOADS:
        assert payload not in html  # never raw
        assert payload in page.text  # shown literally
    assert "&lt;script&gt;window.__xss=2&lt;/script&gt;" in html


def test_a_hostile_bundle_through_the_cli_yields_an_escaped_page(isolated):
    tmp_path = isolated
    bundle = hostile.hostile_bundle(tmp_path / "hostile.json")
    result = CliRunner().invoke(main, ["analyze", str(bundle), "--format", "html", "--quiet"])
    assert result.exit_code == 0, result.output
    [path] = [Path(line) for line in result.output.splitlines() if line.endswith(".html")]
    assert path.resolve().is_relative_to(tmp_path / "reports")
    html = path.read_text()
    page = Page(html)
    assert len(page.scripts) == 1 and not page.tags("img")
    assert hostile.SCRIPT not in html and hostile.IMG not in html
    assert hostile.SCRIPT in page.text and hostile.IMG in page.text


def test_inline_code_escapes_inside_and_outside_backticks():
    from evalanalysis_plugins.html import inline_code

    assert str(inline_code("use `<b>` not <i>")) == "use <code>&lt;b&gt;</code> not &lt;i&gt;"


def test_the_wheel_ships_the_templates(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("evalanalysis", "plugins"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", str(source), "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("evalanalysis-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for template in ("report.html.j2", "report.css", "report.js"):
        assert f"evalanalysis_plugins/templates/{template}" in names
    assert "evalanalysis_plugins/html.py" in names


def test_a_repeat_whose_earlier_class_maps_to_none_shows_the_class_as_written(mixed):
    earlier = ea.PriorFinding(
        report="r.md", run_id="jn7old", date="2026-10-01", provider="anthropic", model=mixed.run.model,
        eval_path=mixed.failures[0].eval_path, classification=None, classification_raw="FLAKY_GRADER", repeat=True,
    )
    first = attrs.evolve(mixed.failures[0], repeat_of=earlier)
    page = Page(render(attrs.evolve(mixed, failures=(first, *mixed.failures[1:]))))
    assert "same eval failed in run jn7old (2026-10-01), classified FLAKY_GRADER" in page.text
    assert "classified None" not in page.text


def test_llm_usage_shows_per_failure_and_for_a_run_answered_from_the_cache(mixed):
    fresh = attrs.evolve(mixed.failures[0].verdict, usage=ea.Usage(1500, 210, 1))
    cached = attrs.evolve(mixed.failures[1].verdict, usage=ea.Usage(cached=1))
    failures = (
        attrs.evolve(mixed.failures[0], verdict=fresh),
        attrs.evolve(mixed.failures[1], verdict=cached),
        *mixed.failures[2:],
    )
    page = Page(render(attrs.evolve(mixed, failures=failures, usage=ea.Usage(cached=12))))
    assert "0 requests, 0 input / 0 output tokens (12 cached)" in page.text
    assert "1500 input / 210 output tokens" in page.text
    assert "answered from the cache" in page.text


def test_needs_review_shows_on_the_collapsed_failure_line(mixed):
    review = attrs.evolve(mixed.failures[2].verdict, needs_review=True, review_reason="invalid LLM answer")
    failures = (*mixed.failures[:2], attrs.evolve(mixed.failures[2], verdict=review), *mixed.failures[3:])
    html = render(attrs.evolve(mixed, failures=failures))
    summaries = re.findall(r"<summary>(.*?)</summary>", html, re.S)
    assert ["needs review" in s for s in summaries] == [i == 2 for i in range(len(failures))]


def _hue(colour: str) -> float:
    return colorsys.rgb_to_hsv(*(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)))[0] * 360


def test_every_class_gets_its_own_clearly_different_colour():
    from evalanalysis_plugins.html import class_colour

    def colours(taxonomy: ea.Taxonomy) -> list[str]:
        analysis = attrs.evolve(hostile.hostile_analysis(), taxonomy=taxonomy)
        return [class_colour(analysis, name) for name in taxonomy.names]

    seed = colours(ea.DEFAULT_TAXONOMY)
    hues = [_hue(c) for c in seed]
    for i, a in enumerate(hues):
        for b in hues[i + 1 :]:
            assert min(abs(a - b), 360 - abs(a - b)) >= 30, seed  # MODEL_FAULT and OVERLY_STRICT must not look alike
    two_faults = ea.Taxonomy(
        (
            ea.TaxonomyClass("MODEL_FAULT", "wrong", role="model_fault"),
            ea.TaxonomyClass("MODEL_TIMEOUT", "too slow", role="model_fault"),
            ea.TaxonomyClass("HARNESS_FAILURE", "grader broke", role="infrastructure"),
        )
    )
    assert len(set(colours(two_faults))) == 3


def test_actions_taken_defaults_to_none(mixed_page):
    text = " ".join(mixed_page.text.split())
    assert "Actions taken None" in text


def test_a_class_outside_the_taxonomy_still_gets_a_filter_and_a_bar(mixed):
    """An analysis loaded from JSON may carry a class this taxonomy lacks; the filter must not hide its row for good."""
    odd = attrs.evolve(mixed.failures[0], classification="FLAKY_GRADER",
                       verdict=attrs.evolve(mixed.failures[0].verdict, classification="FLAKY_GRADER"))
    page = Page(render(attrs.evolve(mixed, failures=(odd, *mixed.failures[1:]))))
    filters = {a["value"] for a in page.tags("input") if a.get("name") == "class-filter"}
    rows = {a["data-class"] for a in page.tags("tr") if "data-class" in a}
    assert rows <= filters and "FLAKY_GRADER" in filters
    assert any(a.get("data-label") == "FLAKY_GRADER" for a in page.tags("g"))


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _custom_properties(css: str) -> tuple[dict[str, str], dict[str, str]]:
    """The light and the dark theme's --properties, read from the page's stylesheet."""
    light_block = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    dark_at = css.index("@media (prefers-color-scheme: dark)")
    dark_block = css[css.index(":root {", dark_at) : css.index("}", css.index(":root {", dark_at))]
    props = lambda block: dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-f]{6})", block))  # noqa: E731
    light = props(light_block)
    return light, {**light, **props(dark_block)}


def test_both_themes_keep_text_code_and_badges_legible(mixed_page):
    """Every text colour meets WCAG AA (4.5:1) on its background, in the light and in the dark theme."""
    from evalanalysis_plugins.html import DARK_CODE_STYLE, LIGHT_CODE_STYLE, ROLE_COLOURS, FALLBACK_COLOURS
    from pygments.lexers import TypeScriptLexer
    from pygments.styles import get_style_by_name

    css = "".join(mixed_page.styles)
    light, dark = _custom_properties(css)
    assert light["--bg"] != dark["--bg"] and light["--ink"] != dark["--ink"]
    pairs = [("--ink", "--bg"), ("--ink", "--panel"), ("--ink", "--card"), ("--muted", "--bg"), ("--muted", "--panel"),
             ("--link", "--bg"), ("--review", "--card"), ("--error-ink", "--error-bg"), ("--add-ink", "--add-bg"),
             ("--del-ink", "--del-bg"), ("--hunk-ink", "--hunk-bg"), ("--ink", "--warn-bg")]
    for theme in (light, dark):
        for ink, ground in pairs:
            assert contrast(theme[ink], theme[ground]) >= 4.5, (ink, ground, theme[ink], theme[ground])
    for badge in (*ROLE_COLOURS.values(), *FALLBACK_COLOURS):  # white text on the class colour, in both themes
        assert contrast("#ffffff", badge) >= 4.5, badge
    snippets = [s for f in ea.analyze(str(MIXED), settings=ea.Settings()).failures if f.verdict
                for s in (f.verdict.model_snippet, f.verdict.expected_snippet) if s]
    tokens = {t for s in snippets for t, _ in TypeScriptLexer().get_tokens(s)}
    assert len(tokens) > 8
    for style_name, theme in ((LIGHT_CODE_STYLE, light), (DARK_CODE_STYLE, dark)):
        style = get_style_by_name(style_name)
        for token in tokens:
            colour = style.style_for_token(token)["color"]
            if colour:
                assert contrast(f"#{colour}", theme["--panel"]) >= 4.5, (style_name, token, colour)
    # The dark theme colours every token class itself: none keeps a light-theme colour.
    dark_rules = css[css.index("@media (prefers-color-scheme: dark)", css.index("Code highlighting")) :]
    light_rules = css[css.index("Code highlighting") : css.index("@media (prefers-color-scheme: dark)", css.index("Code highlighting"))]
    assert len(re.findall(r"^\.highlight \.", dark_rules, re.M)) == len(re.findall(r"^\.highlight \.", light_rules, re.M)) > 50


def test_each_failure_has_exactly_one_h3(mixed, mixed_page):
    """One heading per failure, inside its collapsed line; the page's other h3s are patterns and recommendation groups."""
    headings: list[tuple[str, str]] = []
    html = render(mixed)
    for level, inner in re.findall(r"<(h[1-6])[^>]*>(.*?)</\1>", html, re.S):
        headings.append((level, re.sub(r"<[^>]+>", "", inner)))
    failure_section = html[html.index('id="per-failure-analysis"') : html.index('id="cross-cutting-patterns"')]
    in_failures = re.findall(r"<h3[^>]*>(.*?)</h3>", failure_section, re.S)
    assert len(in_failures) == len(mixed.failures)
    for i, (title, failure) in enumerate(zip(in_failures, mixed.failures), 1):
        assert title.startswith(f"{i}. {failure.eval_path} ")
    assert len(re.findall(r"<summary><h3 ", failure_section)) == len(mixed.failures)
    others = [t for level, t in headings if level == "h3" and not re.match(r"\d+\. ", t)]
    assert len(others) == len(mixed.patterns) + len(ea.RECOMMENDATION_GROUPS)
    assert [level for level, _ in headings].count("h1") == 1
