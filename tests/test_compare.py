"""`evalanalysis compare A B`, experiment flips, and the "changes since the previous report" header line.

The bundles are built here from examples/runs/mixed-run.json, so each test knows
exactly which failures differ: one dropped, one added, one error changed only in
its positions and paths (the same failure), one changed in substance.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from rich.console import Console

import evalanalysis as ea
from evalanalysis.cli.compare import print_comparison
from evalanalysis.collation.compare import (
    FULL_ERROR,
    ONE_LINE_ERROR,
    STEP_ONLY,
    ComparedFailure,
    RunSide,
    compare_runs,
)
from evalanalysis.evidence import error_fingerprint

ROOT = Path(__file__).resolve().parents[1]
MIXED = ROOT / "examples" / "runs" / "mixed-run.json"
OPENROUTER = ROOT / "examples" / "runs" / "openrouter-run.json"
RUN_A = "jn7easv5ga22s4wb146n8jmszsm1wpjp"
RUN_B = "jn7bbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

DROPPED = "001-data_modeling/008-nullable_partial"
ADDED = "002-queries/099-added_eval"
SAME_FAILURE = "002-queries/014-select_distinct"  # positions and paths moved, same message
CHANGED = "001-data_modeling/006-literals"  # another error altogether
NEW_ERROR = "npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/convex-helperz - Not found\n"


def mixed() -> dict:
    return json.loads(MIXED.read_text())


def _entry(data: dict, path: str) -> dict:
    return next(e for e in data["summary"]["failedEvals"] if e["evalPath"] == path)


def run_b(experiment: str = "default") -> dict:
    """Run B: mixed-run with one failure dropped, one added, one error moved, one error changed."""
    data = copy.deepcopy(mixed())
    summary = data["summary"]
    summary["run"]["_id"] = RUN_B
    summary["run"]["experiment"] = experiment
    dropped = _entry(data, DROPPED)
    summary["failedEvals"].remove(dropped)
    del data["evals"][dropped["_id"]]

    moved = _entry(data, SAME_FAILURE)
    for key in ("failureReason",):
        moved["failedStep"][key] = moved["failedStep"][key].replace("11:9", "14:3").replace("convex/index.ts", "convex/queries.ts")
    changed = _entry(data, CHANGED)
    changed["failedStep"]["failureReason"] = NEW_ERROR

    template = _entry(data, "002-queries/012-index_and_filter")
    added = copy.deepcopy(template)
    added.update({"_id": "k57zzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "evalPath": ADDED, "name": "099-added_eval"})
    detail = copy.deepcopy(data["evals"][template["_id"]])
    detail["eval"].update({"_id": added["_id"], "evalPath": ADDED, "name": "099-added_eval"})
    summary["failedEvals"].append(added)
    data["evals"][added["_id"]] = detail
    return data


def write(path: Path, data: dict) -> str:
    path.write_text(json.dumps(data, indent=1))
    return str(path)


def paths(items: list[dict]) -> set[str]:
    return {item["eval_path"] for item in items}


@pytest.fixture
def bundles(tmp_path) -> tuple[str, str]:
    return str(MIXED), write(tmp_path / "b.json", run_b())


def all_paths() -> set[str]:
    return {e["evalPath"] for e in mixed()["summary"]["failedEvals"]}


# ---------------------------------------------------------------- two bundles


def test_compare_json_gives_the_exact_sets(cli, bundles):
    a, b = bundles
    result = cli("compare", a, b, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert paths(out["new"]) == {ADDED}
    assert paths(out["resolved"]) == {DROPPED}
    assert paths(out["persisting"]) == all_paths() - {DROPPED}
    assert out["not_in_b"] == []
    assert out["counts"] == {"new": 1, "persisting": 12, "changed": 1, "error_changed": 1, "class_changed": 0,
                             "resolved": 1, "not_in_b": 0}
    changed = {p["eval_path"] for p in out["persisting"] if p["changed"]}
    assert changed == {CHANGED}

    by_path = {p["eval_path"]: p for p in out["persisting"]}
    same = by_path[SAME_FAILURE]
    assert same["error_changed"] is False and same["basis"] == FULL_ERROR
    assert same["fingerprint_a"] == same["fingerprint_b"]
    original = _entry(mixed(), SAME_FAILURE)["failedStep"]["failureReason"]
    expected = error_fingerprint("eslint", original)
    assert same["fingerprint_a"] == {"key": expected.key, "text": expected.text}

    moved = by_path[CHANGED]
    assert moved["error_changed"] is True and moved["class_changed"] is False
    assert moved["fingerprint_b"]["key"] == error_fingerprint("install", NEW_ERROR).key != moved["fingerprint_a"]["key"]
    assert moved["category"] == "001-data_modeling" and moved["step_a"] == moved["step_b"] == "install"
    assert moved["class_a"] == moved["class_b"] == "KNOWN_GAP"  # classified by the rules engine, offline

    # A bundle lists only its failures: "resolved" cannot be confirmed, and the output says so.
    assert out["resolved"][0]["confirmed"] is False and out["resolved_confirmed"] is False
    assert any("lists only its failed evals" in note for note in out["notes"])
    assert out["a"]["run_id"] == RUN_A and out["b"]["run_id"] == RUN_B and out["b"]["kind"] == "bundle"
    assert out["a"]["lists_evals_run"] is False
    assert out["same_model"] is True and out["experiments"] is None


def test_no_classify_keeps_the_sets_and_drops_the_classes(cli, bundles):
    out = json.loads(cli("compare", *bundles, "--json", "--no-classify").output)
    assert paths(out["new"]) == {ADDED} and paths(out["resolved"]) == {DROPPED}
    assert all(p["class_a"] is None and p["class_b"] is None for p in out["persisting"])
    assert "A was not classified (--no-classify)" in out["notes"]


def test_markdown_output_and_file_hold_the_rows(cli, bundles, tmp_path):
    result = cli("compare", *bundles, "--format", "markdown")
    assert result.exit_code == 0
    text = result.output
    assert "## New in B (1)" in text and "## Persisting (12)" in text and "## Resolved (not failed in B; unconfirmed) (1)" in text
    new_row = next(line for line in text.splitlines() if ADDED in line)
    assert new_row.startswith("| new | `002-queries/099-added_eval` | 002-queries | filesystem | MODEL_FAULT |")
    changed_row = next(line for line in text.splitlines() if CHANGED in line)
    assert changed_row.startswith("| changed |") and "different error" in changed_row
    assert f"| resolved? | `{DROPPED}` |" in text

    target = tmp_path / "cmp.md"
    result = cli("compare", *bundles, "--markdown", str(target), "--json")
    assert result.exit_code == 0
    assert target.read_text() == text
    json.loads(result.output)  # --json stays JSON alone on stdout
    again = cli("compare", *bundles, "--markdown", str(target))
    assert again.exit_code == 2 and "already exists" in again.output
    assert target.read_text() == text


def test_terminal_output_holds_the_rows(cli, bundles):
    plain = cli("compare", *bundles)
    assert plain.exit_code == 0
    lines = plain.output.splitlines()
    assert any(line.split()[:2] == ["new", ADDED] for line in lines)
    assert any(line.split()[:2] == ["changed", CHANGED] for line in lines)
    assert any(line.split()[:2] == ["resolved?", DROPPED] for line in lines)
    assert "1 new in B, 12 persisting (1 changed), 1 resolved (unconfirmed)" in plain.output

    from evalanalysis.cli.compare import load_side, _Lazy
    from evalanalysis.pipeline.workspace import Workspace

    space = Workspace.load(None, {"analyze.history": False})
    comparison = compare_runs(load_side(bundles[0], "A", space, _Lazy(space, False)),
                              load_side(bundles[1], "B", space, _Lazy(space, False)))
    console = Console(force_terminal=True, width=220, record=True, color_system=None)
    print_comparison(comparison, console)
    shown = console.export_text()
    assert "Compare A → B: 1 new in B, 12 persisting (1 changed), 1 resolved (unconfirmed)" in shown
    rows = [line for line in shown.splitlines() if line.startswith("│")]
    cells = [[c.strip() for c in row.strip("│").split("│")] for row in rows]
    assert ["new", ADDED, "filesystem", "MODEL_FAULT"] == cells[0][:4]
    changed = next(c for c in cells if c[1] == CHANGED)
    assert changed[0] == "changed" and "→" in changed[4]


# ----------------------------------------------------------------- JSON reports


def _json_report(cli, bundle: str, reports: Path, date: str) -> Path:
    result = cli("analyze", bundle, "--format", "json", "--reports-dir", str(reports), "--date", date, "-q")
    assert result.exit_code == 0, result.output
    return Path(next(line for line in result.output.splitlines() if line.endswith(".json")))


def test_two_json_reports_compare_by_their_one_line_errors(cli, bundles, tmp_path):
    reports = tmp_path / "reports"
    a = _json_report(cli, bundles[0], reports, "2026-11-20")
    b = _json_report(cli, bundles[1], reports, "2026-11-21")
    out = json.loads(cli("compare", str(a), str(b), "--json").output)
    assert paths(out["new"]) == {ADDED} and paths(out["resolved"]) == {DROPPED}
    assert {p["eval_path"] for p in out["persisting"] if p["error_changed"]} == {CHANGED}
    assert {p["basis"] for p in out["persisting"]} == {ONE_LINE_ERROR}
    assert out["a"]["kind"] == out["b"]["kind"] == "json report"
    assert out["a"]["date"] == "2026-11-20" and out["b"]["date"] == "2026-11-21"
    # A report against the bundle it came from: nothing changed, whatever the bases.
    same = json.loads(cli("compare", str(b), bundles[1], "--json").output)
    assert same["new"] == [] and same["resolved"] == [] and same["counts"]["changed"] == 0


def test_runs_of_one_model_in_two_experiments_report_the_flips(cli, tmp_path):
    a = write(tmp_path / "default.json", mixed())
    b = write(tmp_path / "no_guidelines.json", run_b("no_guidelines"))
    out = json.loads(cli("compare", a, b, "--json").output)
    flips = out["experiments"]
    assert flips["a"] == "default" and flips["b"] == "no_guidelines"
    assert flips["guidelines_a"] is True and flips["guidelines_b"] is False
    assert flips["fail_to_pass"] == [DROPPED] and flips["pass_to_fail"] == [ADDED]
    assert flips["flips"] == [
        {"category": "001-data_modeling", "fail_to_pass": [DROPPED], "pass_to_fail": []},
        {"category": "002-queries", "fail_to_pass": [], "pass_to_fail": [ADDED]},
    ]
    assert sorted(flips["guideline_sensitive"]) == sorted([DROPPED, ADDED])
    assert flips["fail_to_pass_confirmed"] is False

    md = cli("compare", a, b, "--format", "markdown").output
    assert "## Experiments: default → no\\_guidelines" in md or "## Experiments: default → no_guidelines" in md
    assert "| 001-data_modeling | 001-data_modeling/008-nullable_partial | - |" in md
    assert "guideline-sensitive" in md
    plain = cli("compare", a, b).output
    assert f"  002-queries: pass→fail 1: {ADDED}" in plain

    # The same experiment twice: no flips section. Two models: said in the header, no flips.
    assert json.loads(cli("compare", a, str(MIXED), "--json").output)["experiments"] is None
    other = json.loads(cli("compare", a, str(OPENROUTER), "--json").output)
    assert other["same_model"] is False and other["experiments"] is None
    assert "the models differ: A is claude-sonnet-4-5, B is moonshotai/kimi-k2" in other["notes"]
    assert "note: the models differ" in cli("compare", a, str(OPENROUTER)).output


# --------------------------------------------------------------- the pure core


def _side(failures, ran=None, experiment="default", model="m") -> RunSide:
    return RunSide("x", "run", "r", model, "p", experiment, tuple(failures), ran=ran)


def test_resolved_is_confirmed_only_when_b_lists_the_evals_it_ran():
    f1 = ComparedFailure("c/one", "c", "tests", "expected 1 to be 2")
    f2 = ComparedFailure("c/two", "c", "tests", "expected 3 to be 4")
    a = _side([f1, f2])
    unknown = compare_runs(a, _side([]))
    assert [c.eval_path for c in unknown.resolved] == ["c/one", "c/two"] and not unknown.resolved_confirmed
    known = compare_runs(a, _side([], ran=frozenset({"c/one"})))
    assert [(c.eval_path, c.confirmed) for c in known.resolved] == [("c/one", True)]
    assert [c.eval_path for c in known.not_in_b] == ["c/two"]


def test_error_bases_and_class_changes():
    full = ComparedFailure("c/e", "c", "tests", "running 3 tests\nexpected 1 to be 2\n", "MODEL_FAULT", full_error=True)
    short = ComparedFailure("c/e", "c", "tests", "expected 1 to be 2", "OVERLY_STRICT")
    silent = ComparedFailure("c/e", "c", "tests", None, "MODEL_FAULT")
    mixed_sides = compare_runs(_side([full]), _side([short])).persisting[0]
    assert mixed_sides.basis == ONE_LINE_ERROR and not mixed_sides.error_changed and mixed_sides.class_changed
    by_step = compare_runs(_side([silent]), _side([full])).persisting[0]
    assert by_step.basis == STEP_ONLY and not by_step.changed
    moved = compare_runs(_side([silent]), _side([ComparedFailure("c/e", "c", "deploy", "boom", full_error=True)])).persisting[0]
    assert moved.error_changed  # another step is another failure, even by step alone


# ------------------------------------------------------ since the previous report


def _analyze(cli, bundle: str, reports: Path, date: str, *extra: str) -> list[Path]:
    result = cli("analyze", bundle, "--reports-dir", str(reports), "--date", date, "-q", *(extra or ("--format", "markdown")))
    assert result.exit_code == 0, result.output
    return [Path(p) for p in result.output.split()]


def test_a_new_report_says_what_changed_since_the_previous_one(cli, bundles, tmp_path):
    reports = tmp_path / "reports"
    first = _analyze(cli, bundles[0], reports, "2026-11-20", "--format", "markdown,json,html")
    assert "**Changes**" not in first[0].read_text()
    assert json.loads(first[1].read_text())["since_previous"] is None
    second = _analyze(cli, bundles[1], reports, "2026-11-21", "--format", "markdown,json,html")
    md, js, html = (p.read_text() for p in second)
    previous = reports / "anthropic" / "claude-sonnet-4-5" / "jn7easv5_2026-11-20.md"
    line = (f"Since run {RUN_A} (2026-11-20, {previous}): 1 new failure, 12 persisting (1 with a different error), "
            "1 no longer failing.")
    assert f"- **Changes**: {line}\n" in md
    since = json.loads(js)["since_previous"]
    assert since["report"] == str(previous) and since["run_id"] == RUN_A and since["date"] == "2026-11-20"
    assert since["new"] == [ADDED] and since["resolved"] == [DROPPED] and since["error_changed"] == [CHANGED]
    assert set(since["persisting"]) == all_paths() - {DROPPED} and since["by_error"] is True
    assert "<dt>Changes</dt><dd>" + line.replace("'", "&#39;") + "</dd>" in html
    # The history reader still reads the report with the new line: its run, and all 13 findings.
    record = ea.history.read_report(reports, "anthropic/claude-sonnet-4-5/jn7bbbbb_2026-11-21.md")
    assert record.run_ids == (RUN_B,) and len(record.findings) == 13 and record.experiment == "default"
    assert not record.warnings


def test_the_previous_report_is_of_the_same_experiment(cli, bundles, tmp_path):
    reports = tmp_path / "reports"
    _analyze(cli, bundles[0], reports, "2026-11-20")
    other = write(tmp_path / "ng.json", run_b("no_guidelines"))
    [md] = _analyze(cli, other, reports, "2026-11-21")
    assert "**Changes**" not in md.read_text()


def test_a_previous_report_without_error_text_is_compared_by_eval_and_step(cli, bundles, tmp_path):
    reports = tmp_path / "reports"
    [first] = _analyze(cli, bundles[0], reports, "2026-11-20")
    first.write_text("".join(line for line in first.read_text().splitlines(True) if not line.startswith("- **Error**")))
    [second] = _analyze(cli, bundles[1], reports, "2026-11-21")
    text = second.read_text()
    assert ("1 new failure, 12 persisting, 1 no longer failing (that report records no error text for some; "
            "those compared by eval and failed step only).") in text


def test_old_json_reports_still_load_and_new_ones_round_trip(cli, bundles, tmp_path):
    reports = tmp_path / "reports"
    _analyze(cli, bundles[0], reports, "2026-11-20", "--format", "json")
    [_, js] = _analyze(cli, bundles[1], reports, "2026-11-21", "--format", "json")
    data = json.loads(js.read_text())
    analysis = ea.analysis_from_json(data)
    assert analysis.since_previous.new == (ADDED,)
    assert ea.analysis_to_json(analysis) == data
    del data["since_previous"]  # a report written before the field existed
    assert ea.analysis_from_json(data).since_previous is None


# ------------------------------------------------------------------ bad inputs


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.json", "A: bundle {p} does not exist"),
    (lambda d: (d / "bad.json", (d / "bad.json").write_text("{not json"))[0], "A: {p} is not valid JSON"),
    (lambda d: (d / "list.json", (d / "list.json").write_text("[1, 2]"))[0],
     "A: {p} is neither a run bundle nor an evalanalysis JSON report"),
    (lambda d: (d / "rep.json", (d / "rep.json").write_text('{"schema": "evalanalysis.analysis/1", "run": 3}'))[0],
     "A: JSON report is malformed"),
    (lambda d: (d / "fmt.json", (d / "fmt.json").write_text('{"format": "other/1"}'))[0], "A: bundle {p} has format"),
])
def test_bad_inputs_are_one_line_and_exit_2(cli, tmp_path, make, message):
    path = make(tmp_path)
    result = cli("compare", str(path), str(MIXED))
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: " + message.format(p=path))
    assert len(result.output.strip().splitlines()) == 1


def test_a_bad_b_names_b_and_text_that_is_no_run_is_refused(cli, tmp_path):
    result = cli("compare", str(MIXED), "hello")
    assert result.exit_code == 2 and result.output.startswith("error: B: 'hello' is not a run")


def test_an_unknown_run_exits_1(cli, tmp_path):
    config = tmp_path / "evalanalysis.toml"
    config.write_text(f'[plugins.bundle]\npath = "{MIXED}"\n')
    result = cli("compare", str(MIXED), "jn7zzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "--source", "bundle", "--config", str(config))
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: B: run jn7zzzzzzzzzzzzzzzzzzzzzzzzzzzzz not found")


def test_markdown_reports_compare_too(cli, bundles, tmp_path):
    reports = tmp_path / "reports"
    [a] = _analyze(cli, bundles[0], reports, "2026-11-20")
    [b] = _analyze(cli, bundles[1], reports, "2026-11-21")
    out = json.loads(cli("compare", str(a), str(b), "--json").output)
    assert paths(out["new"]) == {ADDED} and paths(out["resolved"]) == {DROPPED}
    assert {p["eval_path"] for p in out["persisting"] if p["changed"]} == {CHANGED}
    assert out["a"]["kind"] == "markdown report" and out["a"]["run_id"] == RUN_A
    assert out["a"]["model"] == "claude-sonnet-4-5" and out["a"]["date"] == "2026-11-20"
    against_bundle = json.loads(cli("compare", str(b), bundles[1], "--json").output)
    assert against_bundle["counts"]["changed"] == 0 and against_bundle["new"] == against_bundle["resolved"] == []
    notes = tmp_path / "notes.md"
    notes.write_text("# Shopping list\n\n- milk\n")
    result = cli("compare", str(notes), bundles[1])
    assert result.exit_code == 2 and result.output.startswith(f"error: A: {notes} holds no findings")


def test_database_text_cannot_drive_the_terminal_or_the_markdown(cli, tmp_path):
    from . import bundles as tb

    hostile = "000-x/001-\x1b]0;pwned\x07<img src=x onerror=alert(1)>|[link](http:\\evil)"
    a = tb.write(tmp_path / "a.json", tb.bundle([tb.failure(1, "000-x/001-plain", "tests", "expected 1 to be 2")]))
    b = tb.write(tmp_path / "b.json", tb.bundle([tb.failure(2, hostile, "tests", "\x1b[2J<script>x</script>")],
                                               run_id="jn7ccccccccccccccccccccccccccccc"))
    plain = cli("compare", str(a), str(b)).output
    md = cli("compare", str(a), str(b), "--format", "markdown").output
    for text in (plain, md):
        assert "\x1b" not in text and "\x07" not in text
    import re

    outside_code = re.sub(r"(`+)(?!`).+?(?<!`)\1(?!`)", "", md)  # code spans show HTML and links as text
    assert "<img" not in outside_code and "<script>" not in outside_code and "](http" not in outside_code
    assert "&lt;script&gt;" in md
    row = next(line for line in md.splitlines() if line.startswith("| new |"))
    assert row.count(" | ") == 6  # the pipe in the eval path did not add a column


def test_the_terminal_summary_says_what_changed_since_the_previous_report(cli, bundles, tmp_path):
    reports = tmp_path / "reports"
    _analyze(cli, bundles[0], reports, "2026-11-20")
    result = cli("analyze", bundles[1], "--reports-dir", str(reports), "--date", "2026-11-21", "--format", "markdown")
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.output.splitlines() if line.startswith("Changes: ")]
    assert line.startswith(f"Changes: Since run {RUN_A} (2026-11-20, ")
    assert line.endswith("1 new failure, 12 persisting (1 with a different error), 1 no longer failing.")
