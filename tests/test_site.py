"""`evalanalysis site`: the index over every report, read back from the page it writes."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from evalanalysis.cli import main
from evalanalysis.site import SiteFailure, SiteReport, build_index, load_reports, parse_rate
from evalanalysis.site.output import MARKER

from . import hostile, site_reports
from .site_reports import GAP_EVAL, PAIR_EVAL


class Page(HTMLParser):
    """The parts of the site's page the tests read: links, matrix rows and cells, candidates, charts."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.columns: list[str] = []
        self.rows: dict[str, dict] = {}
        self.candidates: list[str] = []
        self.circles = 0
        self.polylines = 0
        self.scripts = 0
        self.facts: list[str] = []
        self._stack: list[tuple[str, dict]] = []
        self._text: list[str] = []
        self._row: dict | None = None
        self._cell_index = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._stack.append((tag, a))
        self._text = []
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "tr" and "eval-row" in a.get("class", ""):
            self._row = {"classes": {}, "titles": {}, "candidate": "candidate-row" in a["class"], "search": a["data-search"]}
            self._cell_index = 0
        if tag == "td" and self._row is not None:
            if "cell" in a.get("class", ""):
                model = self.columns[self._cell_index]
                self._row["classes"][model] = a["data-class"]
                self._row["titles"][model] = a["title"]
            self._cell_index += 1
        if tag == "li" and a.get("class") == "candidate":
            self.candidates.append("")
        if tag == "circle":
            self.circles += 1
        if tag == "polyline":
            self.polylines += 1
        if tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        text = "".join(self._text).strip()
        opened = [t for t, _ in self._stack]
        if tag == "span" and "th" in opened and any(t == "th" and "model" in a.get("class", "") for t, a in self._stack):
            self.columns.append(text)
        if tag == "code" and self._row is not None and "eval" not in self._row:
            self._row["eval"] = text
        if tag == "tr" and self._row is not None:
            self.rows[self._row.pop("eval")] = self._row
            self._row = None
        if tag == "li" and any(a.get("id") == "facts" for _, a in self._stack):
            self.facts.append(text)
        while self._stack and self._stack[-1][0] != tag:
            self._stack.pop()
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        self._text.append(data)
        if self.candidates and any(a.get("class") == "candidate" for _, a in self._stack):
            self.candidates[-1] += data


def build(reports: Path, out: Path, *extra: str):
    return CliRunner().invoke(main, ["site", "--reports-dir", str(reports), "-o", str(out), *extra])


def built_site(tmp_path_factory, name: str, make_reports):
    """A site built from the reports `make_reports(folder)` writes, in an isolated folder of its own."""
    folder = tmp_path_factory.mktemp(name)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("XDG_CONFIG_HOME", str(folder / "xdg"))
        patch.setenv("XDG_CACHE_HOME", str(folder / "xdg-cache"))
        reports = make_reports(folder)
        result = build(reports, folder / "site")
    assert result.exit_code == 0, result.output
    return reports, folder / "site", result.output


@pytest.fixture(scope="module")
def gap_site(tmp_path_factory):
    return built_site(tmp_path_factory, "gap", site_reports.gap_reports)


@pytest.fixture(scope="module")
def full_site(tmp_path_factory):
    return built_site(tmp_path_factory, "full", site_reports.full_reports)


def test_an_eval_failing_the_same_way_for_most_models_is_a_known_gap_candidate(gap_site):
    reports, out, said = gap_site
    page = Page((out / "index.html").read_text())
    assert "5 reports, 5 models" in said and "1 known-gap candidates" in said
    assert page.columns == ["alpha-1", "beta-2", "delta-4", "epsilon-5", "gamma-3"]
    gap = page.rows[GAP_EVAL]
    assert gap["candidate"] and set(gap["classes"]) == {"alpha-1", "beta-2", "gamma-3", "delta-4"}
    assert len(page.candidates) == 1
    candidate = re.sub(r"\s+", " ", page.candidates[0])
    assert GAP_EVAL in candidate and "3 of 5 models" in candidate
    assert "Models: alpha-1, beta-2, gamma-3" in candidate and "delta-4" not in candidate
    assert "distinct is not a function" in candidate and "matched by error" in candidate
    assert "Classified MODEL_FAULT 3" in candidate  # what the rules classifier made of each, as the reports say
    # Two models sharing an error are not enough (at least 3), nor four models failing four ways.
    assert not page.rows[PAIR_EVAL]["candidate"] and set(page.rows[PAIR_EVAL]["classes"]) == {"alpha-1", "beta-2"}
    assert not page.rows["001-data_modeling/002-other"]["candidate"]
    assert len(page.rows["001-data_modeling/002-other"]["classes"]) == 5


def test_a_report_without_error_text_is_matched_by_its_failed_step_and_the_page_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    reports = site_reports.gap_reports(tmp_path)
    # gamma-3's report as an older hand-written one would be: markdown only, no error line.
    (md,) = (reports / "acme" / "gamma-3").glob("*.md")
    md.with_suffix(".json").unlink()
    md.write_text("\n".join(line for line in md.read_text().splitlines() if not line.startswith("- **Error**")))
    loaded, warnings = load_reports(reports)
    assert warnings == []
    gamma = next(r for r in loaded if r.model == "gamma-3")
    assert gamma.source == "markdown" and all(f.error is None for f in gamma.failures)
    (candidate,) = build_index(loaded).candidates
    assert candidate.eval_path == GAP_EVAL and candidate.models == ("alpha-1", "beta-2", "gamma-3")
    assert candidate.by_step_only == ("gamma-3",) and "failed step only" in candidate.basis
    result = build(reports, tmp_path / "site")
    text = re.sub(r"\s+", " ", (tmp_path / "site" / "index.html").read_text())
    assert result.exit_code == 0 and "Matched by failed step only (their reports record no error): gamma-3" in text


def test_the_index_counts_links_and_classes_every_report(full_site):
    reports, out, said = full_site
    text = (out / "index.html").read_text()
    page = Page(text)
    mds = sorted(reports.rglob("*.md"))
    assert f"{len(mds)} reports" in said and f"{len(mds)} reports (1 superseded by a newer report of the same run)" in page.facts
    assert "14 models" in page.facts and "moonshotai/kimi-k2" in page.columns
    # Every report is linked: its HTML page when it has one, else the markdown; every link resolves from OUT.
    targets = set()
    for link in page.links:
        if link.startswith("#"):
            assert f'id="{link[1:]}"' in text
            continue
        assert not re.match(r"[a-z]+:", link), link  # relative, no scheme
        target = (out / unquote(link)).resolve()
        assert target.is_file(), link
        targets.add(target)
    for md in mds:
        html = md.with_suffix(".html")
        assert (html if html.exists() else md).resolve() in targets, md
    assert (reports / "acme" / "zeta-6" / "notes #1 100% ?.md").resolve() in targets
    assert any("%23" in link and "%25" in link and "%3F" in link for link in page.links)
    # The matrix: latest failures with their classes; the mixed run's from its JSON report.
    mixed = json.loads(next(reports.glob("anthropic/claude-sonnet-4-5/*.json")).read_text())
    for failure in mixed["failures"]:
        cell = page.rows[failure["eval_path"]]
        assert cell["classes"]["claude-sonnet-4-5"] == failure["classification"]
        assert failure["error"][:40] in cell["titles"]["claude-sonnet-4-5"]
    # A maintainer report's qualified class is normalised; its missing error said as such.
    opus = page.rows["000-fundamentals/002-basic_http_endpoint"]
    assert opus["classes"]["claude-opus-4-6"] == "AMBIGUOUS_TASK"
    assert "no error recorded; matched by failed step" in opus["titles"]["claude-opus-4-6"]
    # alpha-1's latest report (the rerun of its second run) fails only one eval.
    assert [e for e, row in page.rows.items() if "alpha-1" in row["classes"]] == ["001-data_modeling/002-other"]
    # Charts: one point per dated current report and rate (pass and corrected where known), lines where 2+.
    assert page.circles > len(mds) and page.polylines >= 2
    assert page.scripts == 1


def test_reports_are_read_from_json_when_there_is_one_else_from_markdown(full_site):
    reports, _, _ = full_site
    loaded, _ = load_reports(reports)
    by_path = {r.path: r for r in loaded}
    mixed = next(r for r in loaded if r.model == "claude-sonnet-4-5")
    assert mixed.source == "json" and mixed.html and mixed.json
    data = json.loads((reports / mixed.json).read_text())
    assert (mixed.passed, mixed.total, mixed.corrected) == (data["passed_count"], data["total_evals"], data["corrected_passed_count"])
    fable = by_path["anthropic/claude-fable-5/jn79mkv7_2026-06-10.md"]
    assert fable.source == "markdown" and (fable.passed, fable.total) == (202, 222) and fable.corrected == 217
    rerun = [r for r in loaded if r.model == "alpha-1" and r.date in ("2026-03-08", "2026-03-09")]
    assert [(r.date, r.source, r.superseded) for r in sorted(rerun, key=lambda r: r.date)] == [
        ("2026-03-08", "json", True), ("2026-03-09", "markdown", False)]
    assert rerun[0].corrected == rerun[1].corrected  # the markdown's corrected pass rate line read back


def test_an_unreadable_json_report_falls_back_to_markdown_and_a_report_naming_no_model_is_skipped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    reports = site_reports.gap_reports(tmp_path)
    (beta,) = (reports / "acme" / "beta-2").glob("*.json")
    beta.write_text('{"schema": "evalanalysis.analysis/1", "run": 5')
    (reports / "notes.md").write_text("Some notes about nothing in particular.\n")
    result = build(reports, tmp_path / "site")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.startswith("warning: ") and "beta-2" in line and "not valid JSON" in line and "using the markdown" in line for line in lines)
    assert any(line.startswith("warning: ") and "notes.md" in line and "skipped" in line for line in lines)
    assert "5 reports, 5 models" in result.output
    page = Page((tmp_path / "site" / "index.html").read_text())
    assert "beta-2" in page.rows[GAP_EVAL]["classes"]  # still there, from its markdown


def test_a_warm_build_reads_json_reports_from_the_cache_and_notices_a_change(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reports = site_reports.gap_reports(tmp_path)
    cache = tmp_path / "cache"
    first, _ = load_reports(reports, cache_dir=cache)
    assert (cache / "site-reports.json").is_file() and (cache / "history.sqlite3").is_file()
    (alpha,) = (reports / "acme" / "alpha-1").glob("*.json")
    data = json.loads(alpha.read_text())
    data["passed_count"] = 11
    alpha.write_text(json.dumps(data))
    second, _ = load_reports(reports, cache_dir=cache)
    assert [r for r in second if r.model != "alpha-1"] == [r for r in first if r.model != "alpha-1"]
    assert next(r for r in second if r.model == "alpha-1").passed == 11


def test_hostile_strings_are_escaped(full_site):
    _, out, _ = full_site
    text = (out / "index.html").read_text()
    body = text.split("<body>", 1)[1]
    for payload in hostile.PAYLOADS:
        assert payload not in body
    assert body.count("<script") == 1
    assert "model&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in body


def test_out_is_refused_when_it_holds_other_files_and_other_files_survive_a_rebuild(gap_site, tmp_path):
    reports, out, _ = gap_site
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "mine.txt").write_text("keep")
    result = build(reports, busy)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "is not empty and is not a site" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in busy.iterdir()) == ["mine.txt"]

    a_file = tmp_path / "file"
    a_file.write_text("x")
    result = build(reports, a_file)
    assert result.exit_code == 2 and "is not a folder" in result.output and a_file.read_text() == "x"

    result = build(tmp_path / "missing", tmp_path / "new")
    assert result.exit_code == 2 and "does not exist" in result.output and not (tmp_path / "new").exists()

    (out / "notes.txt").write_text("mine")
    before = (out / "index.html").read_text()
    result = build(reports, out)
    assert result.exit_code == 0 and (out / "notes.txt").read_text() == "mine" and (out / MARKER).is_file()
    assert (out / "index.html").read_text() == before  # same reports, same page

    nested = tmp_path / "a" / "b" / "site"
    assert build(reports, nested).exit_code == 0 and (nested / "index.html").is_file()


def test_pass_rates_as_reports_write_them():
    assert parse_rate("55/66 (83.3%)") == (55, 66, pytest.approx(83.33, abs=0.01))
    assert parse_rate("68/74, 67/74, 67/74") == (202, 222, pytest.approx(90.99, abs=0.01))
    assert parse_rate("49 / 66 (74.2%)")[:2] == (49, 66)
    assert parse_rate("71%") == (None, None, 71.0)
    assert parse_rate("none") == (None, None, None) and parse_rate(None) == (None, None, None)


def _report(model: str, date: str, *failures: tuple[str, str, str | None], path: str | None = None) -> SiteReport:
    return SiteReport(
        path=path or f"p/{model}/r_{date}.md", source="json", model=model, provider="p", experiment="default", date=date,
        run_id=None, failures=tuple(SiteFailure(e, s, err, "KNOWN_GAP") for e, s, err in failures),
        total=10, passed=8, pass_pct=80.0,
    )


def test_the_candidate_needs_more_than_half_of_the_models_and_only_latest_reports_count():
    same = ("c/e", "tests", "Error: boom at convex/a.ts:1:2")
    reports = [_report(m, "2026-01-02", same) for m in ("a", "b", "c")] + [_report(m, "2026-01-02") for m in ("d", "e", "f")]
    assert build_index(reports).candidates == ()  # 3 of 6 is not more than half
    assert build_index([reports[0], reports[1], reports[3]]).candidates == ()  # 2 of 3 is, but fewer than 3 models
    # d failed it the same way once, but its newest report no longer does.
    older = _report("d", "2026-01-01", ("c/e", "tests", "Error: boom at convex/b.ts:9:9"), path="p/d/r_old.md")
    assert build_index([*reports, older]).candidates == ()
    newer = _report("d", "2026-01-03", ("c/e", "tests", "Error: boom at convex/b.ts:9:9"), path="p/d/r_new.md")
    (candidate,) = build_index([*reports, older, newer]).candidates
    assert candidate.models == ("a", "b", "c", "d") and candidate.models_with_report == 6
    series = {s.model: s for s in build_index([*reports, older, newer]).series}
    assert [p.date for p in series["d"].points] == ["2026-01-01", "2026-01-02", "2026-01-03"]


def test_a_long_series_lists_its_newest_reports_and_keeps_the_older_ones_behind_a_summary():
    from evalanalysis.site import render_site

    reports = [_report("m", f"2026-01-{day:02d}", path=f"p/m/r #{day:02d}.md") for day in range(1, 13)]
    page = render_site(build_index(reports), "../reports/")
    first, older = page.split('<details class="older">', 1)
    assert "<summary>4 older reports</summary>" in older
    assert first.count('class="report-link"') == 8 and "r #12.md" in first and "r #04.md" not in first
    assert older.count('class="report-link"') == 4 and 'href="../reports/p/m/r%20%2301.md"' in older
    assert Page(page).circles == 12


def test_a_maintainer_correction_shows_the_corrected_class(tmp_path, monkeypatch):
    """`actions --reclassify` corrects a class in the markdown (and the JSON beside it): the matrix shows
    the corrected class, read from the JSON and, without it, from the markdown."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    reports = site_reports.gap_reports(tmp_path)
    (md,) = (reports / "acme" / "alpha-1").glob("*.md")
    result = CliRunner().invoke(main, ["actions", str(md), "--reclassify", GAP_EVAL, "KNOWN_GAP", "--reason", "distinct() is not in the API"])
    assert result.exit_code == 0, result.output
    for drop_json in (False, True):
        if drop_json:
            md.with_suffix(".json").unlink()
        loaded, _ = load_reports(reports)
        alpha = next(r for r in loaded if r.model == "alpha-1")
        assert alpha.source == ("markdown" if drop_json else "json")
        assert next(f.classification for f in alpha.failures if f.eval_path == GAP_EVAL) == "KNOWN_GAP"
