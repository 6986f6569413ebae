"""`history`, `actions` and `analyze` with earlier reports: repeats cited, actions not re-recommended, files kept intact."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalanalysis as ea
from evalanalysis.history import read_report
from evalanalysis.history.actions import with_action

from . import bundles
from . import history_expected as expected

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "tests" / "data" / "reports"
MIXED = ROOT / "examples" / "runs" / "mixed-run.json"
MIXED_RUN = "jn7easv5ga22s4wb146n8jmszsm1wpjp"
EARLIER_RUN = "jn7fffffffffffffffffffffffffffff"




@pytest.fixture
def reports(tmp_path) -> Path:
    target = tmp_path / "fixture-reports"
    shutil.copytree(REPORTS, target)
    return target


def normalised(raw: str) -> str | None:
    return ea.DEFAULT_TAXONOMY.normalise(raw)


# ---------------------------------------------------------------------------------------- history


def test_history_json_returns_every_finding_of_the_five_reports(cli, reports):
    result = cli("history", "--reports-dir", str(reports), "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert all(list(row) == ["report", "run_id", "date", "provider", "model", "eval_path", "classification",
                             "classification_raw", "failed_step", "repeat"] for row in rows)
    for rel, findings in expected.FINDINGS.items():
        got = sorted((r["eval_path"], r["failed_step"], r["classification"], r["classification_raw"])
                     for r in rows if r["report"] == str(reports / rel))
        want = sorted((path, step, normalised(raw), raw) for path, step, raw in findings)
        assert got == want, rel
    assert len(rows) == sum(len(f) for f in expected.FINDINGS.values()) == 73
    fable = [r for r in rows if r["classification_raw"] == "HARNESS_FAILURE"]
    assert {r["classification"] for r in fable} == {"AMBIGUOUS_TASK"}
    assert {r["eval_path"] for r in rows if r["repeat"]} == expected.OPUS_REPEATS


def test_history_for_one_model_groups_findings_by_eval(cli, reports):
    result = cli("history", "anthropic/claude-opus-4-6", "--reports-dir", str(reports))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"10 findings for anthropic/claude-opus-4-6 about 10 evals in {reports} (5 reports)")
    assert "000-fundamentals/003-crons: 1 (MODEL_FAULT 1)\n  2026-02-06  claude-opus-4-6" in result.output
    assert "(repeat)" in result.output
    assert "gpt-5.2-codex" not in result.output


def test_history_of_all_models_counts_recurring_evals_first(cli, reports):
    result = cli("history", "--reports-dir", str(reports))
    lines = result.output.splitlines()
    assert lines[0] == f"73 findings about 37 evals in {reports} (5 reports)"
    assert lines[2] == "004-actions/005-storage_http_action: 5 (MODEL_FAULT 3, KNOWN_GAP 2), 5 models"
    json_rows = json.loads(cli("history", "qwen/qwen3.5-plus-02-15", "--reports-dir", str(reports), "--json").output)
    assert len(json_rows) == 17 and {r["model"] for r in json_rows} == {"qwen/qwen3.5-plus-02-15"}


def test_history_of_a_missing_directory_is_a_usage_error(cli, tmp_path):
    result = cli("history", "--reports-dir", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


# ---------------------------------------------------------------------------------------- actions


def without(data: bytes, inserted: bytes) -> bytes:
    assert data.count(inserted) == 1, data
    return data.replace(inserted, b"", 1)


def test_actions_replace_none_in_our_report_and_keep_every_other_byte(cli, tmp_path):
    bundles.write(tmp_path / "run.json", bundles.bundle([bundles.failure(1, "000-fundamentals/003-crons", "deploy", "boom")]))
    assert cli("analyze", str(tmp_path / "run.json"), "--date", "2026-01-01", "-q").exit_code == 0
    report = tmp_path / "reports" / "acme" / "test-model" / "jn7aaaaa_2026-01-01.md"
    before = report.read_bytes()
    assert before.endswith(b"## Actions taken\n\nNone\n")
    result = cli("actions", str(report), "--add", "Gave the task an explicit args example", "--eval", "000-fundamentals/003-crons", "--date", "2026-01-05")
    assert result.exit_code == 0, result.output
    after = report.read_bytes()
    entry = b"- 2026-01-05: Gave the task an explicit args example (evals: `000-fundamentals/003-crons`)\n"
    assert after == before[: -len(b"None\n")] + entry
    cli("actions", str(report), "--add", "Second", "--date", "2026-01-06")
    assert report.read_bytes() == after + b"- 2026-01-06: Second\n"
    record = read_report(report.parent, report.name)
    assert [a.text for a in record.actions][0].startswith("2026-01-05: Gave the task")


def test_actions_extend_the_fixture_style_numbered_list(cli, reports):
    report = reports / expected.OPUS
    before = report.read_bytes()
    result = cli("actions", str(report), "--add", "Relaxed the crons grader", "--eval", "000-fundamentals/003-crons", "--date", "2026-02-07")
    assert result.exit_code == 0, result.output
    after = report.read_bytes()
    assert without(after, b"5. 2026-02-07: Relaxed the crons grader (evals: `000-fundamentals/003-crons`)\n") == before
    assert after.index(b"5. 2026-02-07") < after.index(b"## Genuine Model Faults")


@pytest.mark.parametrize(
    "text, inserted",
    [
        ("# R\r\n\r\n## Actions taken\r\n\r\n- old\r\n\r\n## Notes\r\n\r\nx\r\n", "- 2026-01-01: new\r\n"),
        ("# R\n\n## Actions taken\n\n- old", "\n- 2026-01-01: new"),
        ("# R\n\n## Actions taken\n\nWe changed the grader.\n", "\n- 2026-01-01: new\n"),
        ("# Run analysis: m1\n\n```\n## Actions taken\n```\n", "\n## Actions taken\n\n- 2026-01-01: new\n"),
        ("# R\n\nActions taken\n-------------\n\n* old\n", "* 2026-01-01: new\n"),
        ("\ufeff## Actions taken\r\n\r\n- old\r\n", "- 2026-01-01: new\r\n"),
    ],
    ids=["crlf", "no-final-newline", "after-a-paragraph", "heading-in-code-is-not-one", "setext", "byte-order-mark"],
)
def test_actions_keep_the_rest_of_any_file_byte_for_byte(cli, tmp_path, text, inserted):
    report = tmp_path / "r.md"
    report.write_bytes(text.encode())
    assert cli("actions", str(report), "--add", "new", "--date", "2026-01-01").exit_code == 0
    assert without(report.read_bytes(), inserted.encode()) == text.encode()


def test_actions_refuse_bad_input(cli, tmp_path):
    (tmp_path / "r.json").write_text("{}")
    (tmp_path / "r.md").write_text("# R\n")
    assert cli("actions", str(tmp_path / "r.json"), "--add", "x").exit_code == 2
    assert cli("actions", str(tmp_path / "missing.md"), "--add", "x").exit_code == 2
    bad = cli("actions", str(tmp_path / "r.md"), "--add", "x", "--eval", "not an eval\n## Injected")
    assert bad.exit_code == 2 and "is not an eval path" in bad.output
    assert (tmp_path / "r.md").read_text() == "# R\n"


@pytest.mark.parametrize(
    "text", ["# Notes for Tuesday\n\nRemember the milk.\n", "# Notes: Tuesday\n\nRemember the milk.\n", "", "```\n## Actions taken\n```\n"]
)
def test_actions_refuse_a_file_that_is_not_a_report(cli, tmp_path, text):
    notes = tmp_path / "notes.md"
    notes.write_text(text)
    result = cli("actions", str(notes), "--add", "Did a thing")
    assert result.exit_code == 2
    assert "does not look like a run-analysis report" in result.output and "Traceback" not in result.output
    assert notes.read_text() == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]  # no temporary file left behind


def test_actions_update_a_symlinked_report_where_it_lives(cli, tmp_path):
    real = tmp_path / "archive" / "jn7aaaaa_2026-01-01.md"
    real.parent.mkdir()
    real.write_text("# Run analysis: m1\n\n## Actions taken\n\nNone\n")
    link = tmp_path / "report.md"
    link.symlink_to(real)
    assert cli("actions", str(link), "--add", "Fixed", "--date", "2026-01-02").exit_code == 0
    assert link.is_symlink()
    assert real.read_text() == "# Run analysis: m1\n\n## Actions taken\n\n- 2026-01-02: Fixed\n"


def test_concurrent_actions_all_land(tmp_path):
    report = tmp_path / "r.md"
    report.write_text("# R\n\n## Actions taken\n\nNone\n")
    procs = [
        subprocess.Popen([sys.executable, "-c", "from evalanalysis.cli import main; main()", "actions", str(report), "--add", f"entry {i}"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for i in range(5)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0] * 5
    text = report.read_text()
    assert sorted(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("- ")) == [f"entry {i}" for i in range(5)]


# ---------------------------------------------------------------------------------------- analyze with history


def earlier_run_of(bundle_path: Path, target: Path, run_id: str) -> Path:
    """The same bundle, as another run of the same model."""
    data = json.loads(bundle_path.read_text())
    old = data["summary"]["run"]["_id"]
    target.write_text(json.dumps(data).replace(old, run_id))
    return target


def test_analysing_the_example_after_an_earlier_run_marks_repeats_and_cites_that_run(cli, tmp_path):
    earlier = earlier_run_of(MIXED, tmp_path / "earlier.json", EARLIER_RUN)
    assert cli("analyze", str(earlier), "--date", "2026-11-01", "-q").exit_code == 0
    result = cli("analyze", str(MIXED), "--date", "2026-11-25", "--json")
    analysis = json.loads(result.output)
    assert all(f["repeat_of"]["run_id"] == EARLIER_RUN for f in analysis["failures"])
    md = (tmp_path / "reports" / "anthropic" / "claude-sonnet-4-5" / "jn7easv5_2026-11-25.md").read_text()
    assert md.count(f"- **Repeat**: same eval failed in run {EARLIER_RUN} (2026-11-01), classified ") == 13
    assert "### Recurring from run jn7fffff (13 failures)" in md
    assert f"`002-queries/014-select_distinct` was OVERLY_STRICT in run {EARLIER_RUN} (2026-11-01)" in md


def test_re_analysing_the_same_run_is_not_a_repeat(cli, tmp_path):
    assert cli("analyze", str(MIXED), "--date", "2026-11-01", "-q").exit_code == 0
    analysis = json.loads(cli("analyze", str(MIXED), "--date", "2026-11-25", "--json").output)
    assert all(f["repeat_of"] is None and f["prior_findings"] == [] for f in analysis["failures"])


HUMAN_EARLIER_REPORT = """\
# Run Analysis: claude-sonnet-4-5

- **Run ID**: jn7eeeeeeeeeeeeeeeeeeeeeeeeeeeee
- **Model**: claude-sonnet-4-5 (anthropic)
- **Date**: 2026-10-01
- **Pass rate**: 55/66 (83.3%)

## Per-Failure Analysis

### 1. 014-select_distinct (002-queries) -- eslint

**Classification**: OVERLY_STRICT

`prefer-const` on a variable that is never reassigned; all tests passed.

### 2. 007-aggregation (002-queries) — tests (83%)

**Classification**: MODEL_FAULT

Divides by zero for customers without orders.

## Actions Taken in This Session

1. **`prefer-const`**: Downgraded to `"warn"` — addresses `014-select_distinct`
"""


def test_a_hand_written_earlier_report_feeds_repeats_and_stops_a_repeated_recommendation(cli, tmp_path):
    folder = tmp_path / "reports" / "anthropic" / "claude-sonnet-4-5"
    folder.mkdir(parents=True)
    (folder / "jn7eeeee_2026-10-01.md").write_text(HUMAN_EARLIER_REPORT)
    analysis = ea.analysis_from_json(json.loads(cli("analyze", str(MIXED), "--date", "2026-11-25", "--json").output))
    by_path = {f.eval_path: f for f in analysis.failures}
    assert by_path["002-queries/007-aggregation"].repeat_of.classification == "MODEL_FAULT"
    assert by_path["002-queries/014-select_distinct"].repeat_of.run_id == "jn7eeeeeeeeeeeeeeeeeeeeeeeeeeeee"
    assert by_path["000-fundamentals/008-helper_fns"].repeat_of is None
    assert not any(r.group == "lint_config" and "prefer-const" in r.text for r in analysis.recommendations)
    cited = [r for r in analysis.recommendations if "prefer-const" in r.text]
    assert len(cited) == 1 and cited[0].group == "no_action"
    assert "recorded in the report of run jn7eeeee, 2026-10-01" in cited[0].text
    assert "Downgraded to" in cited[0].text
    md = (folder / "jn7easv5_2026-11-25.md").read_text()
    assert "Already done, recorded in the report of run jn7eeeee" in md


def test_an_eval_failing_for_many_models_is_a_cross_model_pattern(cli, tmp_path, reports):
    run = bundles.bundle([bundles.failure(1, "004-actions/005-storage_http_action", "deploy", "Cannot find name 'process'")],
                         model="new-model", provider="acme")
    bundles.write(tmp_path / "run.json", run)
    analysis = json.loads(cli("analyze", str(tmp_path / "run.json"), "--reports-dir", str(reports), "--json").output)
    pattern = next(p for p in analysis["patterns"] if p["kind"] == "cross_model")
    assert pattern["title"] == "`004-actions/005-storage_http_action` fails for 6 models"
    assert "claude-opus-4-6 (KNOWN_GAP, run jn72t14a)" in pattern["detail"]
    assert analysis["failures"][0]["repeat_of"] is None


def test_rules_weigh_earlier_known_gaps_at_the_same_step(cli, tmp_path, reports):
    failures = [
        bundles.failure(1, "003-mutations/006-no_storage", "deploy", "Failed to deploy"),
        bundles.failure(2, "004-actions/005-storage_http_action", "tests", "AssertionError: expected 404 to be 200\nTests: 1 failed | 3 passed (4)"),
    ]
    bundles.write(tmp_path / "run.json", bundles.bundle(failures, model="new-model", provider="acme"))
    analysis = json.loads(cli("analyze", str(tmp_path / "run.json"), "--reports-dir", str(reports), "--json").output)
    by_path = {f["eval_path"]: f for f in analysis["failures"]}
    no_storage = by_path["003-mutations/006-no_storage"]["verdict"]
    assert no_storage["classification"] == "KNOWN_GAP"  # qwen and gpt-5.2-codex reports: KNOWN_GAP at deploy
    assert "and 1 more agree" in no_storage["reasoning"]
    assert any(e["kind"] == "prior_report" for e in no_storage["evidence"])
    # Its known gaps were deploy failures; a tests failure of that eval is judged on its own.
    assert by_path["004-actions/005-storage_http_action"]["classification"] == "MODEL_FAULT"


def test_history_can_be_switched_off(cli, tmp_path):
    earlier = earlier_run_of(MIXED, tmp_path / "earlier.json", EARLIER_RUN)
    cli("analyze", str(earlier), "--date", "2026-11-01", "-q")
    (tmp_path / "evalanalysis.toml").write_text("[analyze]\nhistory = false\n")
    analysis = json.loads(cli("analyze", str(MIXED), "--date", "2026-11-25", "--json").output)
    assert all(f["repeat_of"] is None for f in analysis["failures"])


def test_corrected_pass_rate_counts_the_eval_side_classes_as_passes(cli, tmp_path):
    analysis = ea.analysis_from_json(json.loads(cli("analyze", str(MIXED), "--date", "2026-11-25", "--json").output))
    counted = [f for f in analysis.failures if f.classification in ("OVERLY_STRICT", "AMBIGUOUS_TASK", "KNOWN_GAP")]
    assert counted and len(counted) < len(analysis.failures)
    assert analysis.corrected_passed_count == 53 + len(counted)
    md = (tmp_path / "reports" / "anthropic" / "claude-sonnet-4-5" / "jn7easv5_2026-11-25.md").read_text()
    assert "- **Pass rate**: 53/66 (80.3%)" in md
    rate = f"{53 + len(counted)}/66 ({100 * (53 + len(counted)) / 66:.1f}%)"
    assert f"- **Corrected pass rate**: {rate} (counting OVERLY_STRICT, AMBIGUOUS_TASK, KNOWN_GAP as passes)" in md


def test_the_same_grader_failure_for_several_models_points_at_the_eval(cli, tmp_path):
    for n, model in enumerate(["m1", "m2", "m3"]):
        folder = tmp_path / "reports" / "acme" / model
        folder.mkdir(parents=True)
        (folder / f"jn7{model}bbbbb_2026-0{n + 1}-01.md").write_text(
            f"# Run analysis: {model}\n\n| Eval | Failed step | Classification |\n|---|---|---|\n"
            "| 002-queries/031-pagination | tests | HARNESS_FAILURE |\n"
        )
    failure = bundles.failure(1, "002-queries/031-pagination", "tests", "AssertionError: expected 2 to be 3\nTests: 1 failed | 4 passed (5)")
    bundles.write(tmp_path / "run.json", bundles.bundle([failure], model="m4", provider="acme"))
    analysis = json.loads(cli("analyze", str(tmp_path / "run.json"), "--json").output)
    verdict = analysis["failures"][0]["verdict"]
    assert verdict["classification"] == "AMBIGUOUS_TASK"
    assert set(verdict["tags"]) >= {"cross_model", "infrastructure"}
    assert verdict["reasoning"].startswith("3 other models failed this eval at the tests step")
    assert any(p["title"] == "`002-queries/031-pagination` fails for 4 models" for p in analysis["patterns"])
    assert any(r["text"].startswith("Fix the grader/harness of `002-queries/031-pagination`") for r in analysis["recommendations"])


ACTION_BITS = st.sampled_from(
    ["# R\n", "## Actions taken\n", "## Actions Taken in This Session\n", "### Notes\n", "None\n", "- None\n", "1. done\n",
     "- done\n", "* done\n", "text\n", "\n", "\r\n", "```\n", "Actions taken\n-----\n", "> quote\n", "    code\n", "|a|b|\n|-|-|\n"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(ACTION_BITS, st.text(max_size=8)), max_size=30).map("".join))
def test_an_action_is_inserted_without_touching_any_other_byte(text):
    entry = "2026-01-01: Fixed it"
    new = with_action(text, entry)
    assert entry in new
    prefix = len(os.path.commonprefix([text, new]))
    suffix = len(os.path.commonprefix([text[prefix:][::-1], new[prefix:][::-1]]))
    removed = text[prefix : len(text) - suffix]
    # Either nothing of the original went (a pure insertion), or only the section's "None" did.
    assert removed == "" or re.fullmatch(r"[-*+ ]*None\s*", removed), (text, new)


def test_history_never_prints_control_characters(cli, tmp_path):
    folder = tmp_path / "reports" / "acme" / "evil"
    folder.mkdir(parents=True)
    (folder / "jn7aaaaa_2026-01-01.md").write_text(
        "# Run analysis: evil\x1b]0;TITLE\x07\n\n- **Run ID**: jn7aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n\n"
        "## Per-failure analysis\n\n### 1. 002-queries/014-x\x1b[2J -- eslint\n\n- **Classification**: OVERLY_STRICT\n"
    )
    (folder / "notes\x1b[2J.md").write_text("hello\n")  # not a report: its name appears in a warning
    result = cli("history", "--reports-dir", "reports")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "002-queries/014-x" in result.output and "notes\\x1b[2J.md" in result.output


def test_actions_bring_the_json_and_html_reports_up_to_date(cli, tmp_path):
    assert cli("analyze", str(MIXED), "--date", "2026-11-25", "--format", "json,html", "--reports-dir", "r").exit_code == 0
    [md] = (tmp_path / "r").rglob("*.md")
    page_before = md.with_suffix(".html").read_text()
    result = cli("actions", str(md), "--add", "Relaxed the <b>aggregation</b> test", "--eval", "002-queries/007-aggregation",
                 "--date", "2026-11-26")
    assert result.exit_code == 0, result.output
    assert f"updated {md.with_suffix('.json')}" in result.output and f"updated {md.with_suffix('.html')}" in result.output
    entry = "2026-11-26: Relaxed the <b>aggregation</b> test (evals: `002-queries/007-aggregation`)"
    analysis = ea.analysis_from_json(json.loads(md.with_suffix(".json").read_text()))
    assert analysis.actions_taken == (entry,)
    page = md.with_suffix(".html").read_text()
    assert page != page_before and "Relaxed the &lt;b&gt;aggregation&lt;/b&gt; test" in page


def test_an_action_recorded_with_the_actions_command_is_not_recommended_again(cli, tmp_path):
    """The loop SPEC section 2 promises: analyse, record what was done, and the next analysis cites it instead."""
    earlier = earlier_run_of(MIXED, tmp_path / "earlier.json", EARLIER_RUN)
    assert cli("analyze", str(earlier), "--date", "2026-11-01", "-q").exit_code == 0
    [report] = (tmp_path / "reports").rglob("*.md")
    before = ea.analysis_from_json(json.loads(report.with_suffix(".json").read_text()))
    assert any(r.group == "lint_config" and "prefer-const" in r.text for r in before.recommendations)
    assert any(r.group == "eval_improvements" and "001-data_modeling/009-normalize_json" in r.evals for r in before.recommendations)
    for text, evals in (("Downgraded `prefer-const` to warn", ["002-queries/014-select_distinct"]),
                        ("Named the manager field in the task", ["001-data_modeling/009-normalize_json"])):
        args = [a for e in evals for a in ("--eval", e)]
        assert cli("actions", str(report), "--add", text, *args, "--date", "2026-11-02").exit_code == 0

    later = ea.analysis_from_json(json.loads(cli("analyze", str(MIXED), "--date", "2026-11-25", "--json").output))
    assert not any(r.group == "lint_config" for r in later.recommendations)
    assert not any(r.group == "eval_improvements" and "001-data_modeling/009-normalize_json" in r.evals
                   for r in later.recommendations)
    cited = [r.text for r in later.recommendations if r.text.startswith("Already done")]
    assert len(cited) == 2 and all(f"recorded in the report of run {EARLIER_RUN[:8]}, 2026-11-01" in t for t in cited)
    assert any("Downgraded `prefer-const` to warn" in t for t in cited)
    assert not any("2026-11-02:" in t or "(evals:" in t for t in cited)  # the quote is the action, not the whole entry
    assert any(r.group == "eval_improvements" and "000-fundamentals/002-basic_http_endpoint" in r.evals
               for r in later.recommendations)  # an eval nobody acted on is still recommended


def test_our_own_already_done_note_is_not_read_back_as_a_repeat(cli, tmp_path):
    assert cli("analyze", str(MIXED), "--date", "2026-11-01", "-q").exit_code == 0
    [report] = (tmp_path / "reports").rglob("*.md")
    cli("actions", str(report), "--add", "Downgraded `prefer-const` to warn", "--eval", "002-queries/014-select_distinct")
    assert cli("analyze", str(MIXED), "--date", "2026-11-02", "-q").exit_code == 0  # the same run, analysed again
    again = next(p for p in (tmp_path / "reports").rglob("*.md") if "2026-11-02" in p.name)
    assert "Already done" in again.read_text()
    findings = json.loads(cli("history", "--json").output)
    # The newer report of the same run supersedes the older one in history.
    assert [(f["repeat"], f["date"]) for f in findings if f["eval_path"] == "002-queries/014-select_distinct"] == [(False, "2026-11-02")]


def test_models_named_in_different_scripts_are_different_models(cli, tmp_path):
    """Names that an ASCII-only key emptied (`日本語`, `中文`) were one model: each repeated the other's failures."""
    def as_model(name: str, run_id: str, target: Path) -> Path:
        data = json.loads(earlier_run_of(MIXED, target, run_id).read_text())
        data["summary"]["run"]["model"] = name
        target.write_text(json.dumps(data))
        return target

    first = as_model("日本語", EARLIER_RUN, tmp_path / "ja.json")
    assert cli("analyze", str(first), "--date", "2026-11-01", "-q").exit_code == 0
    second = as_model("中文", MIXED_RUN, tmp_path / "zh.json")
    result = cli("analyze", str(second), "--date", "2026-11-25", "--json")
    failures = json.loads(result.stdout)["failures"]
    assert all(f["repeat_of"] is None for f in failures)  # another model's failures are not this model's repeats
    assert all(any(p["model"] == "日本語" for p in f["prior_findings"]) for f in failures)  # ... but are cross-model evidence
    assert ea.model_key("日本語") != ea.model_key("中文") and ea.model_key("Anthropic/Claude_Sonnet 4.5") == "claude-sonnet-4.5"


GAP_EARLIER_REPORT = HUMAN_EARLIER_REPORT.replace(
    "### 2. 007-aggregation (002-queries) — tests (83%)\n\n**Classification**: MODEL_FAULT",
    "### 2. 007-aggregation (002-queries) — tests (83%)\n\n**Classification**: KNOWN_GAP",
)


def test_history_against_the_failed_step_is_marked_for_review_naming_both(cli, tmp_path):
    """An earlier report called the failure a known gap; the failed tests point at the model. The verdict
    follows the report, but signals that disagree are a verdict to check: needs_review, confidence capped."""
    assert "**Classification**: KNOWN_GAP" in GAP_EARLIER_REPORT
    folder = tmp_path / "reports" / "anthropic" / "claude-sonnet-4-5"
    folder.mkdir(parents=True)
    (folder / "jn7eeeee_2026-10-01.md").write_text(GAP_EARLIER_REPORT)
    analysis = ea.analysis_from_json(json.loads(cli("analyze", str(MIXED), "--date", "2026-11-25", "--json").output))
    verdict = {f.eval_path: f for f in analysis.failures}["002-queries/007-aggregation"].verdict
    assert verdict.classification == "KNOWN_GAP"
    assert verdict.needs_review and verdict.review_reason == "the failed step itself points to MODEL_FAULT instead"
    assert verdict.confidence == 0.4
    agreeing = {f.eval_path: f for f in analysis.failures}["002-queries/014-select_distinct"].verdict
    assert agreeing.classification == "OVERLY_STRICT" and not agreeing.needs_review  # history and step agree
