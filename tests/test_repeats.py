"""Repeat runs: `analyze RUN1 RUN2 RUN3` of one model and experiment writes one report over all of them.

The three bundles come from examples/runs/mixed-run.json with constructed differences
(tests/bundles.py): one eval fails alike in all three runs, one fails in two of three,
one fails in all three with a different error each time, and one fails in two of
three where the model's code calls Math.random.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

import evalanalysis as ea
from evalanalysis.collation.repeats import merge_runs
from evalanalysis.evidence.nondeterminism import nondeterminism_evidence
from evalanalysis.history import open_history, parse_report
from evalanalysis.pipeline.workspace import Workspace
from evalanalysis.runref import resolve_run

from . import bundles
from .bundles import (
    CHANGING_ERROR_EVAL,
    DETERMINISTIC_EVAL,
    RANDOM_CODE_EVAL,
    REPEAT_RUN_IDS,
    TWO_OF_THREE_EVAL,
    write_repeat_runs,
)

DATE = "2026-12-07"
FOLDER = Path("reports") / "anthropic" / "claude-sonnet-4-5"
STEM = "jn7aaaaa_2026-12-07_3runs"  # the first run's id prefix, and how many runs


def analyze(cli, paths, *more):
    return cli("analyze", *map(str, paths), "--reports-dir", "reports", "--date", DATE, "--format", "markdown,json,html", *more)


def by_path(data: dict) -> dict[str, dict]:
    return {f["eval_path"]: f for f in data["failures"]}


@pytest.fixture
def runs(isolated) -> list[Path]:
    return write_repeat_runs(isolated / "bundles")


def test_three_runs_make_one_report_with_counts_per_eval(cli, isolated, runs):
    result = analyze(cli, runs)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (isolated / FOLDER).iterdir()) == [f"{STEM}.html", f"{STEM}.json", f"{STEM}.md"]
    data = json.loads((isolated / FOLDER / f"{STEM}.json").read_text())
    failures = by_path(data)
    assert len(failures) == 13  # every eval that failed in any run, once
    assert [r["id"] for r in data["runs"]] == list(REPEAT_RUN_IDS)
    assert data["run"]["id"] == REPEAT_RUN_IDS[0]

    same = failures[DETERMINISTIC_EVAL]
    assert (same["runs_failed"], same["runs_total"], same["stability"]) == (3, 3, "deterministic")
    assert same["failed_in"] == list(REPEAT_RUN_IDS) and len(set(same["fingerprints"])) == 1
    assert "flaky" not in same["verdict"]["tags"] and same["verdict"]["needs_review"] is False

    two = failures[TWO_OF_THREE_EVAL]
    assert (two["runs_failed"], two["runs_total"], two["stability"]) == (2, 3, "flaky")
    assert two["failed_in"] == list(REPEAT_RUN_IDS[:2])
    assert "flaky" in two["verdict"]["tags"] and two["verdict"]["needs_review"] is True
    assert "failed in 2 of 3 runs" in two["verdict"]["review_reason"]
    assert "grader or harness" in two["verdict"]["review_reason"]

    changing = failures[CHANGING_ERROR_EVAL]
    assert (changing["runs_failed"], changing["runs_total"], changing["stability"]) == (3, 3, "flaky")
    assert len(set(changing["fingerprints"])) == 3
    assert changing["verdict"]["needs_review"] is True and "3 different errors" in changing["verdict"]["review_reason"]
    # The representative is the latest run's failure: its error is the third run's lint rule.
    assert "no-unsafe-return" in changing["error"]

    random = failures[RANDOM_CODE_EVAL]
    assert (random["runs_failed"], random["stability"]) == (2, "flaky")
    assert random["failed_in"] == [REPEAT_RUN_IDS[0], REPEAT_RUN_IDS[2]]
    assert {"flaky", "model_nondeterministic"} <= set(random["verdict"]["tags"])
    assert random["verdict"]["needs_review"] is False  # the variation is the model's, not the grader's
    assert any(e["kind"] == "nondeterminism" and e["source"].startswith("convex/public.ts:")
               for e in random["verdict"]["evidence"])

    rates = [53 / 66 * 100, 54 / 66 * 100, 54 / 66 * 100]
    spread = data["pass_rates"]
    assert spread["mean"] == pytest.approx(statistics.mean(rates), abs=1e-3)
    assert (spread["minimum"], spread["maximum"]) == (pytest.approx(min(rates), abs=1e-3), pytest.approx(max(rates), abs=1e-3))
    assert spread["stdev"] == pytest.approx(statistics.stdev(rates), abs=1e-3)
    assert [(r["passed_count"], r["total_evals"]) for r in data["runs"]] == [(53, 66), (54, 66), (54, 66)]
    assert (data["passed_count"], data["total_evals"]) == (161, 198)  # summed over the runs

    # The terminal says it too.
    assert "3 runs, pass rates 53/66 (80.3%), 54/66 (81.8%), 54/66 (81.8%); mean 81.3%" in result.output


def test_the_markdown_report_has_the_across_runs_table(cli, isolated, runs):
    assert analyze(cli, runs).exit_code == 0
    md = (isolated / FOLDER / f"{STEM}.md").read_text()
    head = md.split("\n## ", 1)[0]
    assert "- **Run IDs**: " + ", ".join(f"`{r}`" for r in REPEAT_RUN_IDS) + "\n" in head
    assert ("- **Pass rate**: 53/66 (80.3%), 54/66 (81.8%), 54/66 (81.8%) "
            "(mean 81.3%, min\u2013max 80.3\u201381.8%, sd 0.9 pp)\n") in head
    table = md.split("## Across runs", 1)[1].split("\n## ", 1)[0]
    assert "| Eval | Failed | Deterministic/flaky | Fingerprint(s) |" in table
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines() if line.startswith("| 0")}
    assert len(rows) == 13
    assert rows[DETERMINISTIC_EVAL].startswith(f"| {DETERMINISTIC_EVAL} | 3/3 | deterministic | `")
    assert rows[DETERMINISTIC_EVAL].endswith("\u00d73 |")
    assert f"| {TWO_OF_THREE_EVAL} | 2/3 | flaky (passed in 1) |" in rows[TWO_OF_THREE_EVAL]
    assert f"| {CHANGING_ERROR_EVAL} | 3/3 | flaky (3 different errors) |" in rows[CHANGING_ERROR_EVAL]
    assert rows[CHANGING_ERROR_EVAL].count("`") == 6  # three fingerprints
    assert "the model's code is nondeterministic" in rows[RANDOM_CODE_EVAL]
    section = md.split(f"{TWO_OF_THREE_EVAL} -- tests", 1)[1].split("\n---\n", 1)[0]
    assert f"- **Runs failed**: 2/3, flaky (passed in 1), in `{REPEAT_RUN_IDS[0]}`, `{REPEAT_RUN_IDS[1]}`\n" in section
    assert "- **Needs review**: flaky: failed in 2 of 3 runs" in section


def test_the_html_report_shows_the_runs_badge_and_pass_rates(cli, isolated, runs):
    assert analyze(cli, runs).exit_code == 0
    page = (isolated / FOLDER / f"{STEM}.html").read_text()
    assert page.count('<span class="review runs">failed 2/3, flaky</span>') == 4  # two evals: table row and section
    assert '<span class="review runs">failed 3/3, deterministic</span>' in page
    assert "<dt>Run IDs</dt><dd>" + ", ".join(f"<code>{r}</code>" for r in REPEAT_RUN_IDS) + "</dd>" in page
    assert "54/66 (81.8%) (mean 81.3%, min\u2013max 80.3\u201381.8%, sd 0.9 pp)</dd>" in page


def test_history_reads_the_report_back_with_every_run_id(cli, isolated, runs):
    assert analyze(cli, runs).exit_code == 0
    rel = f"{FOLDER.relative_to('reports')}/{STEM}.md"
    record = parse_report((isolated / FOLDER / f"{STEM}.md").read_text(), rel)
    assert record.run_ids == REPEAT_RUN_IDS
    assert (record.model, record.experiment, record.date) == ("claude-sonnet-4-5", "default", DATE)
    assert len(record.findings) == 13 and not any(f.repeat for f in record.findings)
    index = open_history(isolated / "reports")
    prior = index.prior_findings("anthropic", "claude-sonnet-4-5", TWO_OF_THREE_EVAL)
    assert [p.run_ids for p in prior] == [REPEAT_RUN_IDS]


def test_ids_that_are_not_convex_ids_read_back_too(cli, isolated):
    paths = []
    for i, run_id in enumerate(("run-one", "run-two")):
        data = bundles.repeat_run(i)
        data["summary"]["run"]["_id"] = run_id
        paths.append(bundles.write(isolated / f"b{i}.json", data))
    assert analyze(cli, paths).exit_code == 0
    md = next((isolated / "reports").rglob("*.md"))
    assert md.name == "run-one_2026-12-07_2runs.md"
    assert parse_report(md.read_text(), f"anthropic/claude-sonnet-4-5/{md.name}").run_ids == ("run-one", "run-two")


def test_a_second_report_of_the_same_runs_never_overwrites_the_first(cli, isolated, runs):
    assert analyze(cli, runs).exit_code == 0
    first = (isolated / FOLDER / f"{STEM}.md").read_text()
    assert analyze(cli, runs).exit_code == 0
    assert (isolated / FOLDER / f"{STEM}.md").read_text() == first
    assert (isolated / FOLDER / f"{STEM}_2.md").is_file()


def test_replacing_the_first_runs_own_report_leaves_the_multi_run_report_alone(cli, isolated, runs):
    single = ("analyze", str(runs[0]), "--reports-dir", "reports", "--date", DATE)
    assert cli(*single).exit_code == 0
    assert analyze(cli, runs).exit_code == 0
    multi = (isolated / FOLDER / f"{STEM}.md").read_text()
    assert cli(*single, "--replace").exit_code == 0
    assert (isolated / FOLDER / f"{STEM}.md").read_text() == multi
    assert sorted(p.name for p in (isolated / FOLDER).glob("*.md")) == [f"jn7aaaaa_{DATE}.md", f"{STEM}.md"]
    assert "- **Run ID**: `" in (isolated / FOLDER / f"jn7aaaaa_{DATE}.md").read_text()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"model": "gpt-5.2-codex"}, "runs of different models cannot share a report"),
        ({"experiment": "no_guidelines"}, "runs of different experiments cannot share a report"),
    ],
)
def test_runs_of_another_model_or_experiment_are_refused(cli, isolated, change, message):
    paths = write_repeat_runs(isolated / "bundles", **change)
    result = analyze(cli, paths)
    assert result.exit_code == 2
    assert message in result.output and REPEAT_RUN_IDS[2] in result.output
    assert "Traceback" not in result.output
    assert not (isolated / "reports").exists()


def test_the_refusal_comes_before_any_classification(isolated):
    paths = write_repeat_runs(isolated / "bundles", model="gpt-5.2-codex")

    class Counting:
        name = "counting"
        calls = 0

        async def classify(self, failure):
            Counting.calls += 1
            raise AssertionError("classified")

    space = Workspace(ea.load_config(overrides={"analyze.history": False}, cwd=isolated))
    with pytest.raises(ea.BadInput, match="different models"):
        space.analyze_runs([resolve_run(str(p)) for p in paths], classifier=Counting(), date=DATE)
    assert Counting.calls == 0


def test_the_same_run_twice_and_replace_are_refused(cli, isolated, runs):
    twice = analyze(cli, [runs[0], runs[1], runs[0]])
    assert twice.exit_code == 2 and f"run {REPEAT_RUN_IDS[0]} is given twice" in twice.output
    replace = analyze(cli, runs, "--replace")
    assert replace.exit_code == 2 and "--replace" in replace.output
    assert not (isolated / "reports").exists()


def test_single_run_reports_leave_the_repeat_fields_empty_and_old_reports_load(cli, isolated, runs):
    result = cli("analyze", str(runs[0]), "--reports-dir", "reports", "--date", DATE, "--json")
    data = json.loads(result.output)
    assert data["runs"] == [] and data["pass_rates"] is None
    assert {(f["runs_failed"], f["runs_total"], f["stability"]) for f in data["failures"]} == {(None, None, None)}
    assert {len(f["failed_in"]) for f in data["failures"]} == {0}
    # A report written before these fields existed still loads.
    old = json.loads((isolated / FOLDER / f"jn7aaaaa_{DATE}.json").read_text())
    del old["runs"], old["pass_rates"]
    for f in old["failures"]:
        for key in ("runs_failed", "runs_total", "failed_in", "fingerprints", "stability"):
            del f[key]
    loaded = ea.analysis_from_json(old)
    assert loaded.runs == () and loaded.failures[0].runs_total is None and loaded.run_ids == (REPEAT_RUN_IDS[0],)


def test_a_multi_run_json_report_loads_back_whole(cli, isolated, runs):
    assert analyze(cli, runs).exit_code == 0
    data = json.loads((isolated / FOLDER / f"{STEM}.json").read_text())
    loaded = ea.analysis_from_json(data)
    assert ea.analysis_to_json(loaded) == data
    assert loaded.run_ids == REPEAT_RUN_IDS and loaded.pass_rates is not None


def test_merge_runs_needs_runs_of_one_model(isolated, runs):
    settings = ea.load_config(overrides={"analyze.history": False}, cwd=isolated)
    one = ea.analyze(str(runs[0]), settings=settings, date=DATE)
    other = ea.analyze(str(bundles.write(isolated / "x.json", bundles.repeat_run(1, model="other-model"))),
                       settings=settings, date=DATE)
    with pytest.raises(ea.BadInput, match="different models"):
        merge_runs([one, other])
    merged = merge_runs([one, ea.analyze(str(runs[1]), settings=settings, date=DATE)])
    assert merged.pass_rates is not None and merged.pass_rates.stdev == pytest.approx(statistics.stdev(
        [53 / 66 * 100, 54 / 66 * 100]), abs=1e-3)


# ------------------------------------------------------------------------- nondeterminism evidence


def _detail(files: dict[str, str]) -> ea.EvalDetail:
    info = ea.EvalInfo(id="e1", eval_path="002-queries/001-x", category="002-queries", name="001-x")
    return ea.EvalDetail(eval=info, output_files=files)


CODE = """import { query } from "./_generated/server";

export const create = mutation({
  handler: async (ctx) => {
    await ctx.db.insert("posts", { createdAt: Date.now() });
  },
});

export const pick = query({
  handler: async (ctx) => {
    const posts = await ctx.db.query("posts").collect();
    return posts[Math.floor(Math.random() * posts.length)];
  },
});
"""


def test_nondeterminism_is_read_only_where_the_error_points():
    detail = _detail({"convex/index.ts": CODE})
    by_line = nondeterminism_evidence(detail, "convex/index.ts:12:5 - error: expected 'a' to be 'b'")
    assert [(e.kind, e.source) for e in by_line] == [("nondeterminism", "convex/index.ts:12")]
    assert "Math.random()" in by_line[0].detail
    by_name = nondeterminism_evidence(detail, "AssertionError: pick returned another post")
    assert [e.source for e in by_name] == ["convex/index.ts:12"]
    # `create` calls Date.now(), but a failure of `create` about something else... is about `create`:
    assert [e.source for e in nondeterminism_evidence(detail, "create did not insert")] == ["convex/index.ts:5"]
    # An error that points at no code of the model's gives no evidence, whatever else the files hold.
    assert nondeterminism_evidence(detail, "expected 3 posts, got 2") == ()
    assert nondeterminism_evidence(_detail({"convex/index.ts": CODE.replace("Math.random()", "0")}),
                                   "pick returned another post") == ()


def test_an_llm_classifier_classifies_every_run_and_synthesises_once(cli, isolated, runs):
    result = analyze(cli, runs, "--classifier", "anthropic", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert counts["prompts"] == {"classification": 13 + 12 + 12, "synthesis": 1}
    assert not (isolated / "reports").exists()


def test_runs_without_failures_write_nothing_and_say_so(cli, isolated):
    paths = []
    for i in range(2):
        data = bundles.repeat_run(i)
        data["summary"].update(failedEvals=[], failedCount=0.0, passedCount=data["summary"]["totalEvals"])
        data["evals"] = {}
        paths.append(bundles.write(isolated / f"clean{i}.json", data))
    result = analyze(cli, paths)
    assert result.exit_code == 0
    assert "No failed evals listed in any of the 2 runs (66/66 (100.0%), 66/66 (100.0%) passed)" in result.output
    assert not (isolated / "reports").exists()
    as_json = json.loads(analyze(cli, paths, "--json").output)
    assert as_json == {"run_id": REPEAT_RUN_IDS[0], "all_passed": True, "reports": [], "run_ids": list(REPEAT_RUN_IDS[:2])}


def test_a_failure_not_analysed_in_the_latest_run_keeps_the_verdict_of_an_earlier_one(cli, isolated):
    data = [bundles.repeat_run(i) for i in range(2)]
    broken = next(f["_id"] for f in data[1]["summary"]["failedEvals"] if f["evalPath"] == DETERMINISTIC_EVAL)
    del data[1]["evals"][broken]  # the latest run's debug info is missing: that failure cannot be analysed there
    paths = [bundles.write(isolated / f"b{i}.json", d) for i, d in enumerate(data)]
    assert analyze(cli, paths).exit_code == 0
    failure = by_path(json.loads(next((isolated / "reports").rglob("*.json")).read_text()))[DETERMINISTIC_EVAL]
    assert failure["classification"] == "OVERLY_STRICT" and failure["runs_failed"] == 2


def test_repeat_runs_from_a_convex_deployment_give_the_bundles_report(tmp_path, isolated, runs):
    from click.testing import CliRunner

    from evalanalysis.cli import main
    from tests.fakes.convex_server import FakeConvex, cli_env

    key = "prod:fake-deployment|5ecret0admin0key0value"
    args = ("--date", DATE, "--format", "json")
    with FakeConvex(runs, admin_key=key) as fake:
        live = CliRunner().invoke(main, ["analyze", *REPEAT_RUN_IDS, "--reports-dir", "live", *args],
                                  env=cli_env(tmp_path, fake.url, key), catch_exceptions=False)
    assert live.exit_code == 0, live.output
    offline = CliRunner().invoke(main, ["analyze", *map(str, runs), "--reports-dir", "offline", *args],
                                 env=cli_env(tmp_path, None, key), catch_exceptions=False)
    assert offline.exit_code == 0, offline.output
    name = FOLDER.relative_to("reports") / f"{STEM}.json"
    assert (isolated / "live" / name).read_text() == (isolated / "offline" / name).read_text()
    assert by_path(json.loads((isolated / "live" / name).read_text()))[RANDOM_CODE_EVAL]["verdict"]["tags"][-1] == \
        "model_nondeterministic"
