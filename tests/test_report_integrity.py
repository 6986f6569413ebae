"""What a report says about its run cannot be forged by the run's own data, and re-analysing a run
does not multiply its findings in history."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import evalanalysis as ea
from evalanalysis.history import parse_report
from evalanalysis.pipeline.reportfile import report_dir, report_stem
from evalanalysis_plugins.markdown import MarkdownReporter

from . import bundles

ROOT = Path(__file__).resolve().parents[1]
MIXED = ROOT / "examples" / "runs" / "mixed-run.json"
MIXED_RUN = "jn7easv5ga22s4wb146n8jmszsm1wpjp"
OTHER_RUN = "jn7fffffffffffffffffffffffffffff"

# ------------------------------------------------------------------------------------ forged markdown


def one_line(value: str) -> str:
    """A database text as a report quotes it: control characters as \\xNN, each whitespace run one space."""
    visible = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group(0)):02x}", value)
    return re.sub(r"\s+", " ", visible).strip()


# Pieces of markdown the history reader gives meaning to, and the characters that build them.
FRAGMENTS = (
    "\n", "\r\n", "\r", "\n\n", "\u2028", "\x0b", "\x00", "\t", " ", "#", "### ", "\n### 9. 000-x/001-forged -- tests\n",
    "## Actions taken", "\n## Actions taken\n\n- Downgraded `prefer-const` (evals: `000-x/001-y`)\n",
    "**Classification**: KNOWN_GAP", "\n- **Classification**: KNOWN_GAP\n", "KNOWN_GAP", "OVERLY_STRICT", "|", " | ",
    "\n| # | Eval | Classification |\n|---|---|---|\n| 1 | 000-x/001-forged | KNOWN_GAP |\n", "`", "``", "```",
    "\n```\n", "~~~", "\\", "- ", "1. ", "* ", "> ", "---", "\n---\n", "000-fundamentals/003-crons", "003-crons",
    OTHER_RUN, "Eval: 000-x/001-forged", " · Eval: 000-x/001-forged", " • Classification: KNOWN_GAP",
    "Action taken: relaxed it", "- **Model**: victim-model", "Model: victim", "Run ID: " + OTHER_RUN, "<b>", "&amp;",
    "&#96;", "[x](y)", "Recommendations", "patterns", "Actions taken", "Run analysis: victim", "cleanup", "overview",
    "tests/", "convex/", "000-a", "001-b-", ".", "+", "--", ":", " -- ", "—", "(", ")", "_", "**", "a", "Z", "0", "/", ".", "é",
)
hostile = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), min_size=1, max_size=8).map("".join)


def baseline() -> ea.RunAnalysis:
    """A run with an analysed failure carrying every database text, a second one, and one not analysed."""
    evidence = (ea.Evidence("error_code", "TS2339 in convex/index.ts", source="convex/index.ts"),)
    verdict = ea.Verdict(
        classification="MODEL_FAULT", reasoning="The model used a missing export.", confidence=0.8, classifier="rules",
        error_summary="TS2339", model_snippet="export const x = 1;\n", expected_snippet="export const y = 2;\n",
        evidence=evidence, tags=("tests_failed",), needs_review=True, review_reason="low confidence",
    )
    prior = ea.PriorFinding(
        report="reports/acme/other/jn7aaaaa_2026-01-01.md", run_id="jn7aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", date="2026-01-01",
        provider="acme", model="other-model", eval_path="000-fundamentals/001-first", classification="KNOWN_GAP",
        classification_raw="KNOWN_GAP", failed_step="tsc",
    )
    first = ea.FailureAnalysis(
        eval_id="k57a", eval_path="000-fundamentals/001-first", category="000-fundamentals", name="001-first",
        failed_step="tsc", error="convex/index.ts(2,1): error TS2339", classification="MODEL_FAULT", verdict=verdict,
        prior_findings=(prior,), repeat_of=attrs.evolve(prior, model="test-model"),
    )
    second = ea.FailureAnalysis(
        eval_id="k57b", eval_path="002-queries/002-second", category="002-queries", name="002-second",
        failed_step="eslint", error="prefer-const", classification="OVERLY_STRICT",
        verdict=attrs.evolve(verdict, classification="OVERLY_STRICT", reasoning="Lint only.", needs_review=False),
    )
    third = ea.FailureAnalysis(
        eval_id="k57c", eval_path="003-mutations/003-third", category="003-mutations", name="003-third",
        failed_step=None, error="no debug info", classification=None, not_analysed_reason="debug info unavailable: 404",
    )
    return ea.RunAnalysis(
        run=ea.RunInfo(id="jn7bbbbbbbbbbbbbbbbbbbbbbbbbbbbb", model="test-model", provider="acme", experiment="default",
                       status=ea.RunStatus("completed", failure_reason="none")),
        date="2026-11-25", total_evals=10, passed_count=7, failed_count=3, failures=(first, second, third),
        failures_by_step={"tsc": 1, "eslint": 1, "unknown": 1},
        patterns=(ea.Pattern("shared", "Shared `tsc` failure", "Two evals fail the same way.", (first.eval_path,)),),
        recommendations=tuple(ea.Recommendation(g, f"Look at {first.eval_path}", (first.eval_path,)) for g, _ in ea.RECOMMENDATION_GROUPS),
        net_impact=ea.NetImpact(1, 1, 0, 0, "One failure is the eval's."), classifier="rules",
        corrected_passed_count=8, warnings=("synthesis skipped",),
    )


def _failure(a: ea.RunAnalysis, i: int, **changes) -> ea.RunAnalysis:
    failures = list(a.failures)
    failures[i] = attrs.evolve(failures[i], **changes)
    return attrs.evolve(a, failures=tuple(failures))


def _verdict(a: ea.RunAnalysis, **changes) -> ea.RunAnalysis:
    return _failure(a, 0, verdict=attrs.evolve(a.failures[0].verdict, **changes))


def _prior(a: ea.RunAnalysis, **changes) -> ea.RunAnalysis:
    prior = attrs.evolve(a.failures[0].prior_findings[0], **changes)
    return _failure(a, 0, prior_findings=(prior,), repeat_of=prior)


# Every text of a RunAnalysis that comes from the database (or from an earlier report, or a model's
# output) and reaches the markdown: each is set, alone, to hostile text.
FIELDS = {
    "run id": lambda a, t: attrs.evolve(a, run=attrs.evolve(a.run, id=t)),
    "model": lambda a, t: attrs.evolve(a, run=attrs.evolve(a.run, model=t)),
    "provider": lambda a, t: attrs.evolve(a, run=attrs.evolve(a.run, provider=t)),
    "experiment": lambda a, t: attrs.evolve(a, run=attrs.evolve(a.run, experiment=t)),
    "status kind": lambda a, t: attrs.evolve(a, run=attrs.evolve(a.run, status=ea.RunStatus(t))),
    "status failureReason": lambda a, t: attrs.evolve(a, run=attrs.evolve(a.run, status=ea.RunStatus("failed", failure_reason=t))),
    "eval path": lambda a, t: _failure(a, 0, eval_path=t),
    "eval path (not analysed)": lambda a, t: _failure(a, 2, eval_path=t),
    "category": lambda a, t: _failure(a, 0, category=t),
    "name": lambda a, t: _failure(a, 0, name=t),
    "failed step": lambda a, t: _failure(a, 0, failed_step=t),
    "failed step (not analysed)": lambda a, t: _failure(a, 2, failed_step=t),
    "error": lambda a, t: _failure(a, 0, error=t),
    "not analysed reason": lambda a, t: _failure(a, 2, not_analysed_reason=t),
    "reasoning": lambda a, t: _verdict(a, reasoning=t),
    "evidence detail": lambda a, t: _verdict(a, evidence=(ea.Evidence("error_code", t, source="convex/index.ts"),)),
    "evidence file name": lambda a, t: _verdict(a, evidence=(ea.Evidence("answer_diff", "differs", source=t),)),
    "model snippet": lambda a, t: _verdict(a, model_snippet=t),
    "expected snippet": lambda a, t: _verdict(a, expected_snippet=t),
    "review reason": lambda a, t: _verdict(a, review_reason=t),
    "tags": lambda a, t: _verdict(a, tags=("infrastructure", t)),
    "classifier name": lambda a, t: _verdict(a, classifier=t),
    "earlier report's model": lambda a, t: _prior(a, model=t),
    "earlier report's run id": lambda a, t: _prior(a, run_id=t),
    "earlier report's date": lambda a, t: _prior(a, date=t),
    "earlier report's class": lambda a, t: _prior(a, classification=None, classification_raw=t),
    "step in the failure summary": lambda a, t: attrs.evolve(a, failures_by_step={t: 1, "eslint": 1, "unknown": 1}),
    "pattern title": lambda a, t: attrs.evolve(a, patterns=(ea.Pattern("x", t, "detail", ()),)),
    "pattern detail and evals": lambda a, t: attrs.evolve(a, patterns=(ea.Pattern("x", "Title", t, (t,)),)),
    "recommendation": lambda a, t: attrs.evolve(a, recommendations=(ea.Recommendation("eval_improvements", t, (t,)),)),
    "net impact": lambda a, t: attrs.evolve(a, net_impact=ea.NetImpact(1, 1, 0, 0, t)),
    "warning": lambda a, t: attrs.evolve(a, warnings=(t,)),
}


def read_back(analysis: ea.RunAnalysis):
    text = MarkdownReporter().render(analysis)
    rel = (report_dir("", analysis) / f"{report_stem(analysis)}.md").as_posix()
    return text, parse_report(text, rel)


@pytest.mark.parametrize("field", FIELDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile)
def test_no_database_text_creates_structure_the_history_reader_reads(field, text):
    analysis = FIELDS[field](baseline(), text)
    paths = [f.eval_path for f in analysis.failures]
    if field.startswith("eval path"):
        assume(one_line(text) and len({one_line(p) for p in paths}) == len(paths))
    if field in ("run id", "model"):
        assume(one_line(text))
    markdown, record = read_back(analysis)
    rendered = [(one_line(f.eval_path), f.classification or "NOT_ANALYSED") for f in analysis.failures]
    read = [(f.eval_path, f.classification_raw.split(" (")[0]) for f in record.findings]
    assert read == rendered, markdown
    assert [ea.DEFAULT_TAXONOMY.normalise(f.classification_raw) for f in record.findings] == [f.classification for f in analysis.failures]
    assert record.actions == () and all(f.actions == () for f in record.findings), markdown
    assert record.run_ids == (one_line(analysis.run.id),), markdown
    assert record.model == one_line(analysis.run.model), markdown
    assert record.date == analysis.date and record.warnings == (), markdown


def test_every_database_field_of_a_run_analysis_is_covered():
    """The property above sets each of these; a new text field on the model must join them."""
    texts = {
        "RunInfo": {"id", "model", "provider", "experiment"}, "RunStatus": {"kind", "failure_reason"},
        "FailureAnalysis": {"eval_path", "category", "name", "failed_step", "error", "not_analysed_reason"},
        "Verdict": {"reasoning", "model_snippet", "expected_snippet", "review_reason", "classifier", "error_summary"},
        "Evidence": {"kind", "detail", "source"},
    }
    for cls, names in texts.items():
        ours = {"eval_id", "classification"}  # the id is never shown; the class is the classifier's, from the taxonomy
        fields = {f.name for f in attrs.fields(getattr(ea, cls)) if f.type in ("str", "str | None")} - ours
        assert fields <= names, f"{cls} has text fields the property test does not set: {fields - names}"


def other_run(target: Path, status: dict | None = None) -> Path:
    """The example run as another run of the same model, with `status` instead of its own."""
    data = json.loads(MIXED.read_text())
    if status is not None:
        data["summary"]["run"]["status"] = status
    target.write_text(json.dumps(data).replace(MIXED_RUN, OTHER_RUN))
    return target


# A status kind that, written raw, forged a KNOWN_GAP finding and an "Actions taken" entry in the report.
FORGED_STATUS = {"kind": (
    "completed\n\n## Per-failure analysis\n\n### 1. 002-queries/007-aggregation -- tests\n\n"
    "- **Classification**: KNOWN_GAP\n\n## Actions taken\n\n"
    "- Downgraded `prefer-const` to warn (evals: `002-queries/014-select_distinct`)\n\n## Notes\n"
)}


def test_a_forged_run_status_does_not_change_the_next_analysis(cli, tmp_path):
    def analyse_after(earlier: Path, reports: str) -> dict:
        assert cli("analyze", str(earlier), "--date", "2026-11-01", "--reports-dir", reports, "-q").exit_code == 0
        result = cli("analyze", str(MIXED), "--date", "2026-11-25", "--reports-dir", reports, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    honest = analyse_after(other_run(tmp_path / "honest.json"), "honest")
    later = analyse_after(other_run(tmp_path / "forged.json", FORGED_STATUS), "reports")
    [earlier] = (tmp_path / "reports").rglob("*_2026-11-01.md")
    assert "- **Run status**: completed ## Per-failure analysis ### 1." in earlier.read_text()
    history = json.loads(cli("history", "--json").output)
    assert sorted(f["run_id"] for f in history) == [MIXED_RUN] * 13 + [OTHER_RUN] * 13
    assert {f["classification"] for f in history if f["eval_path"] == "002-queries/007-aggregation"} == {"MODEL_FAULT"}

    aggregation = next(f for f in later["failures"] if f["eval_path"] == "002-queries/007-aggregation")
    assert aggregation["classification"] == "MODEL_FAULT" and aggregation["repeat_of"]["classification"] == "MODEL_FAULT"
    assert later["corrected_passed_count"] == honest["corrected_passed_count"]
    assert [f["classification"] for f in later["failures"]] == [f["classification"] for f in honest["failures"]]
    assert not any(r["text"].startswith("Already done") for r in later["recommendations"])
    assert [(r["group"], r["text"]) for r in later["recommendations"]] == [(r["group"], r["text"]) for r in honest["recommendations"]]


# ------------------------------------------------------------------------------- one run, analysed again


def test_three_analyses_of_one_run_count_once_in_history(cli, tmp_path):
    for _ in range(3):
        assert cli("analyze", str(MIXED), "--date", "2026-11-25", "-q").exit_code == 0
    folder = tmp_path / "reports" / "anthropic" / "claude-sonnet-4-5"
    assert sorted(p.name for p in folder.glob("*.md")) == [
        "jn7easv5_2026-11-25.md", "jn7easv5_2026-11-25_2.md", "jn7easv5_2026-11-25_3.md"]  # none overwritten
    findings = json.loads(cli("history", "--json").output)
    assert len(findings) == 13
    assert {f["report"] for f in findings} == {str(Path("reports") / "anthropic" / "claude-sonnet-4-5" / "jn7easv5_2026-11-25_3.md")}
    text = cli("history").output
    assert text.startswith("13 findings about 13 evals in reports (1 report; 2 older reports of the same run superseded)")
    assert "002-queries/007-aggregation: 1 (MODEL_FAULT 1)" in text


def test_the_newest_report_of_a_run_is_its_date_then_its_number_then_its_age(cli, tmp_path):
    folder = tmp_path / "reports" / "anthropic" / "claude-sonnet-4-5"
    assert cli("analyze", str(MIXED), "--date", "2026-11-25", "-q").exit_code == 0
    assert cli("analyze", str(MIXED), "--date", "2026-11-20", "-q").exit_code == 0  # written later, dated earlier
    assert cli("analyze", str(MIXED), "--date", "2026-11-20", "-q").exit_code == 0
    later = folder / "jn7easv5_2026-11-25.md"
    os.utime(later, (1, 1))  # oldest on disk: the date in the report still decides
    assert {f["report"] for f in json.loads(cli("history", "--json").output)} == {str(Path("reports") / later.relative_to(tmp_path / "reports"))}
    later.unlink()
    newest = {f["report"] for f in json.loads(cli("history", "--json").output)}
    assert newest == {str(Path("reports") / "anthropic" / "claude-sonnet-4-5" / "jn7easv5_2026-11-20_2.md")}


def test_re_analyses_of_another_models_run_do_not_count_it_twice(cli, tmp_path):
    """Three reports of one run of another model, each a KNOWN_GAP: one earlier report, not three that agree."""
    earlier = bundles.bundle([bundles.failure(1, "003-mutations/006-no_storage", "deploy", "Failed to deploy")],
                             model="other-model", provider="acme")
    bundles.write(tmp_path / "earlier.json", earlier)
    assert cli("analyze", str(tmp_path / "earlier.json"), "--date", "2026-11-01", "-q").exit_code == 0
    [report] = (tmp_path / "reports").rglob("*.md")
    known_gap = report.read_text().replace("- **Classification**: MODEL_FAULT", "- **Classification**: KNOWN_GAP")
    for name in (report.name, report.stem + "_2.md", report.stem + "_3.md"):
        (report.parent / name).write_text(known_gap)
    run = bundles.bundle([bundles.failure(1, "003-mutations/006-no_storage", "deploy", "Failed to deploy")],
                         model="new-model", provider="acme", run_id=OTHER_RUN)
    bundles.write(tmp_path / "run.json", run)
    analysis = json.loads(cli("analyze", str(tmp_path / "run.json"), "--json").output)
    [failure] = analysis["failures"]
    assert len(failure["prior_findings"]) == 1 and failure["prior_findings"][0]["report"].endswith("_3.md")
    assert failure["verdict"]["classification"] == "KNOWN_GAP"
    assert "more agree" not in failure["verdict"]["reasoning"]


# ------------------------------------------------------------------------------------------ --replace


def changed_run(target: Path) -> Path:
    """The example run with one failure's lint error changed, so a new analysis says something new."""
    data = json.loads(MIXED.read_text())
    old = "'firstDoc' is never reassigned. Use 'const' instead  prefer-const"
    new = "'secondDoc' is never reassigned. Use 'const' instead  prefer-const"
    target.write_text(json.dumps(data).replace(old, new))
    return target


def report_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_replace_rewrites_the_report_of_the_run_and_keeps_its_actions(cli, tmp_path):
    assert cli("analyze", str(MIXED), "--date", "2026-11-25", "--format", "json,html", "-q").exit_code == 0
    folder = tmp_path / "reports" / "anthropic" / "claude-sonnet-4-5"
    md = folder / "jn7easv5_2026-11-25.md"
    result = cli("actions", str(md), "--add", "Relaxed the <b>aggregation</b> test", "--eval", "002-queries/007-aggregation",
                 "--date", "2026-11-26")
    assert result.exit_code == 0, result.output
    entry = "2026-11-26: Relaxed the <b>aggregation</b> test (evals: `002-queries/007-aggregation`)"
    before = report_files(folder)
    assert "'firstDoc' is never reassigned" in before[md.name].decode()

    result = cli("analyze", str(changed_run(tmp_path / "changed.json")), "--date", "2026-11-25", "--format", "json,html",
                 "--replace", "-q")
    assert result.exit_code == 0, result.output
    assert result.output.split() == [str(Path("reports") / "anthropic" / "claude-sonnet-4-5" / f"jn7easv5_2026-11-25{s}")
                                     for s in (".md", ".json", ".html")]
    after = report_files(folder)
    assert list(after) == list(before)  # the same three files: no _2
    text = after[md.name].decode()
    assert "'secondDoc' is never reassigned" in text and "'firstDoc' is never reassigned" not in text  # the new analysis
    assert text.endswith(f"## Actions taken\n\n- 2026-11-26: Relaxed the &lt;b&gt;aggregation&lt;/b&gt; test "
                         "(evals: `002-queries/007-aggregation`)\n")
    assert [a.text for a in parse_report(text, md.name).actions] == [entry]
    analysis = ea.analysis_from_json(json.loads(after["jn7easv5_2026-11-25.json"]))
    assert analysis.actions_taken == (entry,) and "secondDoc" in json.dumps(json.loads(after["jn7easv5_2026-11-25.json"]))
    page = after["jn7easv5_2026-11-25.html"].decode()
    assert "Relaxed the &lt;b&gt;aggregation&lt;/b&gt; test" in page
    assert "&#39;secondDoc&#39; is never reassigned" in page and "&#39;firstDoc&#39; is never reassigned" not in page
    history = json.loads(cli("history", "--json").output)
    assert len(history) == 13 and {f["report"] for f in history} == {str(Path("reports") / md.relative_to(tmp_path / "reports"))}


def test_without_replace_a_second_report_is_written_beside_the_first(cli, tmp_path):
    assert cli("analyze", str(MIXED), "--date", "2026-11-25", "-q").exit_code == 0
    folder = tmp_path / "reports" / "anthropic" / "claude-sonnet-4-5"
    first = report_files(folder)
    assert cli("analyze", str(changed_run(tmp_path / "changed.json")), "--date", "2026-11-25", "-q").exit_code == 0
    after = report_files(folder)
    assert sorted(after) == ["jn7easv5_2026-11-25.json", "jn7easv5_2026-11-25.md", "jn7easv5_2026-11-25_2.json",
                             "jn7easv5_2026-11-25_2.md"]
    assert all(after[name] == data for name, data in first.items())  # the first report untouched
    assert "secondDoc" in after["jn7easv5_2026-11-25_2.md"].decode()


def test_replace_rewrites_the_newest_report_of_that_date_and_never_another_runs(cli, tmp_path):
    folder = tmp_path / "reports" / "anthropic" / "claude-sonnet-4-5"
    assert cli("analyze", str(MIXED), "--date", "2026-11-25", "-q").exit_code == 0
    assert cli("analyze", str(MIXED), "--date", "2026-11-25", "-q").exit_code == 0
    first = (folder / "jn7easv5_2026-11-25.md").read_bytes()
    assert cli("analyze", str(changed_run(tmp_path / "changed.json")), "--date", "2026-11-25", "--replace", "-q").exit_code == 0
    assert sorted(p.name for p in folder.glob("*.md")) == ["jn7easv5_2026-11-25.md", "jn7easv5_2026-11-25_2.md"]
    assert (folder / "jn7easv5_2026-11-25.md").read_bytes() == first
    assert "secondDoc" in (folder / "jn7easv5_2026-11-25_2.md").read_text()

    # Another run whose id shares the 8-character prefix: its report is not this run's to replace.
    twin = json.loads(MIXED.read_text())
    twin_id = MIXED_RUN[:8] + "z" * (len(MIXED_RUN) - 8)
    (tmp_path / "twin.json").write_text(json.dumps(twin).replace(MIXED_RUN, twin_id))
    assert cli("analyze", str(tmp_path / "twin.json"), "--date", "2026-11-25", "--replace", "-q").exit_code == 0
    assert sorted(p.name for p in folder.glob("*.md")) == [
        "jn7easv5_2026-11-25.md", "jn7easv5_2026-11-25_2.md", "jn7easv5_2026-11-25_3.md"]
    assert twin_id in (folder / "jn7easv5_2026-11-25_3.md").read_text()


def test_replace_without_an_earlier_report_writes_the_first_one(cli, tmp_path):
    result = cli("analyze", str(MIXED), "--date", "2026-11-25", "--replace", "-q")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "reports").rglob("*.md")] == ["jn7easv5_2026-11-25.md"]


def test_replace_refuses_a_symlinked_report(cli, tmp_path):
    assert cli("analyze", str(MIXED), "--date", "2026-11-25", "-q").exit_code == 0
    md = tmp_path / "reports" / "anthropic" / "claude-sonnet-4-5" / "jn7easv5_2026-11-25.md"
    kept = tmp_path / "kept.md"
    md.rename(kept)
    md.symlink_to(kept)
    before = kept.read_bytes()
    result = cli("analyze", str(changed_run(tmp_path / "changed.json")), "--date", "2026-11-25", "--replace", "-q")
    assert result.exit_code == 2
    assert result.output == f"error: {md.relative_to(tmp_path)} is a symbolic link; --replace rewrites only regular report files\n"
    assert kept.read_bytes() == before and md.is_symlink()


def test_an_action_lands_in_the_actions_section_whatever_a_pattern_title_says(cli, tmp_path):
    """An eval path with backticks can leave the words "Actions taken" bare in a pattern's heading."""
    analysis = attrs.evolve(baseline(), patterns=(ea.Pattern("cross_model", "`a` Actions taken `b` fails for 3 models", "detail", ()),))
    report = tmp_path / "report.md"
    report.write_text(MarkdownReporter().render(analysis))
    result = cli("actions", str(report), "--add", "Relaxed the first eval", "--date", "2026-11-26")
    assert result.exit_code == 0, result.output
    text = report.read_text()
    assert text.endswith("## Actions taken\n\n- 2026-11-26: Relaxed the first eval\n")
    assert [a.text for a in parse_report(text).actions] == ["2026-11-26: Relaxed the first eval"]
