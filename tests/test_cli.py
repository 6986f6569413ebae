"""The CLI end to end: reports on disk, summaries, exit codes, and nothing lost on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import evalanalysis as ea

from . import bundles

ROOT = Path(__file__).resolve().parents[1]
MIXED = ROOT / "examples" / "runs" / "mixed-run.json"
HEADINGS = [
    "# Run analysis: ",
    "## Failure summary",
    "## Classification table",
    "## Per-failure analysis",
    "## Cross-cutting patterns",
    "## Recommendations",
    "### Eval improvements",
    "### Lint/config changes",
    "### Model-specific notes",
    "### No action needed",
    "## Net impact",
    "## Actions taken",
]




def files_under(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file())


def test_analyze_the_mixed_example_writes_the_seed_report(cli, tmp_path):
    result = cli("analyze", str(MIXED), "--date", "2026-11-25")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "reports" / "anthropic" / "claude-sonnet-4-5"
    md = (folder / "jn7easv5_2026-11-25.md").read_text()
    for heading in HEADINGS:
        assert f"\n{heading}" in "\n" + md, heading
    metadata = md.split("\n## ", 1)[0]  # SPEC section 7: the list under the title
    for line in ("- **Run ID**: `jn7easv5ga22s4wb146n8jmszsm1wpjp`", "- **Model**: claude-sonnet-4-5",
                 "- **Provider**: anthropic", "- **Experiment**: default", "- **Date**: 2026-11-25",
                 "- **Pass rate**: 53/66 (80.3%)"):
        assert f"\n{line}\n" in metadata, line
    assert md.split("## Actions taken", 1)[1].strip() == "None"
    per_failure = md.split("## Per-failure analysis", 1)[1].split("\n## ", 1)[0].split("\n### ")[1:]
    assert len(per_failure) == 13
    for section in per_failure:  # one heading per failure with its class, step, error and reasoning
        for field in ("- **Classification**: ", "- **Failed step**: ", "- **Error**: ", "**Reasoning**: "):
            assert field in section, (field, section[:80])
    analysis = ea.analysis_from_json(json.loads((folder / "jn7easv5_2026-11-25.json").read_text()))
    assert analysis.run.id == "jn7easv5ga22s4wb146n8jmszsm1wpjp"
    assert len(analysis.failures) == 13 and all(f.analysed for f in analysis.failures)
    assert {f.failed_step for f in analysis.failures} == {"filesystem", "install", "deploy", "tsc", "eslint", "tests"}
    assert "Pass rate: 53/66 (80.3%)" in result.output
    assert "reports/anthropic/claude-sonnet-4-5/jn7easv5_2026-11-25.md" in result.output


def test_json_report_keeps_the_scripting_shape_and_markdown_is_always_written(cli, tmp_path):
    cli("analyze", str(MIXED), "--date", "2026-11-25", "--format", "json")
    data = json.loads((tmp_path / "reports/anthropic/claude-sonnet-4-5/jn7easv5_2026-11-25.json").read_text())
    assert data["schema"] == "evalanalysis.analysis/1"
    assert isinstance(data["failures"], list) and len(data["failures"]) == 13
    steps = {"filesystem", "install", "deploy", "tsc", "eslint", "tests"}
    for failure in data["failures"]:  # SPEC section 5: what scripts read sits at each entry's top level
        assert failure["eval_path"] == f"{failure['category']}/{failure['name']}"
        assert failure["failed_step"] in steps
        assert failure["classification"] in ea.DEFAULT_TAXONOMY.names
        assert failure["classification"] == failure["verdict"]["classification"]
        assert "evidence" in failure["verdict"] and "usage" in failure["verdict"] and "prior_findings" in failure
    assert (tmp_path / "reports/anthropic/claude-sonnet-4-5/jn7easv5_2026-11-25.md").exists()


def test_json_flag_prints_only_json(cli):
    result = cli("analyze", str(MIXED), "--date", "2026-11-25", "--json")
    data = json.loads(result.output)
    assert len(data["failures"]) == 13
    assert data["reports"][0].endswith("jn7easv5_2026-11-25.md")


def test_a_second_report_the_same_day_gets_a_suffix_and_the_first_is_kept(cli, tmp_path):
    cli("analyze", str(MIXED), "--date", "2026-11-25")
    folder = tmp_path / "reports/anthropic/claude-sonnet-4-5"
    first = (folder / "jn7easv5_2026-11-25.md").read_bytes()
    (folder / "jn7easv5_2026-11-25.md").write_bytes(first + b"\nhand-written note\n")
    result = cli("analyze", str(MIXED), "--date", "2026-11-25")
    assert result.exit_code == 0
    assert (folder / "jn7easv5_2026-11-25_2.md").read_bytes() == first
    assert (folder / "jn7easv5_2026-11-25.md").read_bytes().endswith(b"hand-written note\n")
    assert (folder / "jn7easv5_2026-11-25_2.json").exists()


def test_all_passed_writes_nothing(cli, tmp_path):
    result = cli("analyze", str(ROOT / "examples/runs/all-passed.json"))
    assert result.exit_code == 0
    assert "All 66 evals passed" in result.output
    assert files_under(tmp_path) == []


def test_database_names_cannot_escape_the_reports_dir(cli, tmp_path):
    data = bundles.bundle([bundles.failure(1, "a/b", "deploy", "x")], provider="../../..", model="../evil/../../m")
    bundles.write(tmp_path / "evil.json", data)
    result = cli("analyze", "evil.json", "--date", "2026-11-25", "--reports-dir", "out")
    assert result.exit_code == 0, result.output
    written = [p for p in files_under(tmp_path) if p.name != "evil.json"]
    assert written and all((tmp_path / "out") in p.parents for p in written)


def test_untrusted_text_cannot_break_out_of_markdown_blocks(cli, tmp_path):
    payload = "```\n# Injected heading\n<script>alert(1)</script>"
    data = bundles.bundle(
        [bundles.failure(1, "a/b", "tests", "Error: boom\n" + payload,
                         outputs={"convex/index.ts": "const a = 1;\n" + payload + "\n"},
                         sources={"answer/convex/index.ts": "const a = 2;\n"})]
    )
    bundles.write(tmp_path / "x.json", data)
    cli("analyze", "x.json", "--date", "2026-11-25", "--format", "markdown")
    md = next((tmp_path / "reports").rglob("*.md")).read_text()
    assert "````typescript" in md  # the fence grew past the payload's
    fence = None
    for line in md.splitlines():
        if fence is None and line.startswith("```"):
            fence = line[: len(line) - len(line.lstrip("`"))]
        elif fence is not None and line == fence:
            fence = None
        elif line.startswith("# Injected") or "<script>" in line:
            assert fence is not None, f"untrusted line outside a code block: {line!r}"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: "missing.json", "does not exist"),
        (lambda p: (p / "bad.json").write_text("{not json") and "bad.json", "is not valid JSON"),
        (lambda p: (p / "fmt.json").write_text('{"format": "other/2", "evals": {}}') and "fmt.json", "expected 'evalanalysis.bundle/1'"),
        (lambda p: "not-a-run-id", "is not a run"),
        (lambda p: "https://convex-evals.netlify.app/experiment/abc", "no /run/<runId>"),
    ],
)
def test_bad_input_is_one_or_two_lines_and_exit_2(cli, tmp_path, make, message):
    arg = make(tmp_path)
    before = files_under(tmp_path)
    result = cli("analyze", arg)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) <= 2
    assert files_under(tmp_path) == before


def test_a_malformed_payload_inside_a_bundle_names_the_field(cli, tmp_path):
    data = bundles.bundle([bundles.failure(1, "a/b", "deploy", "x")])
    data["summary"]["failedEvals"][0]["evalPath"] = 7
    bundles.write(tmp_path / "b.json", data)
    result = cli("analyze", "b.json")
    assert result.exit_code == 2
    assert "$.failedEvals[0].evalPath" in result.output


def test_unknown_classifier_lists_the_installed_ones(cli):
    result = cli("analyze", str(MIXED), "--classifier", "nope")
    assert result.exit_code == 2
    assert "unknown classifier 'nope'" in result.output and "rules" in result.output


def test_bad_config_key_names_file_and_key(cli, tmp_path):
    (tmp_path / "evalanalysis.toml").write_text("[analyze]\nreport_dir = 'x'\n")
    result = cli("analyze", str(MIXED))
    assert result.exit_code == 2
    assert "evalanalysis.toml" in result.output and "analyze.report_dir" in result.output
    assert not (tmp_path / "reports").exists()


def test_bad_date_is_usage_error(cli):
    result = cli("analyze", str(MIXED), "--date", "25/11/2026")
    assert result.exit_code == 2 and "expected YYYY-MM-DD" in result.output


def test_snapshot_of_a_bundle_analyses_the_same(cli, tmp_path):
    assert cli("snapshot", str(MIXED), "-o", "copy.json").exit_code == 0
    cli("analyze", str(MIXED), "--date", "2026-11-25", "--reports-dir", "a", "--format", "markdown")
    cli("analyze", "copy.json", "--date", "2026-11-25", "--reports-dir", "b", "--format", "markdown")
    a = next((tmp_path / "a").rglob("*.md")).read_text()
    b = next((tmp_path / "b").rglob("*.md")).read_text()
    assert a == b
    again = cli("snapshot", str(MIXED), "-o", "copy.json")
    assert again.exit_code == 2 and "already exists" in again.output


def test_plugins_and_config_commands(cli, tmp_path):
    plugins = json.loads(cli("plugins", "--json").output)
    assert {"role": "classifier", "name": "rules", "module": "evalanalysis_plugins.rules"} in plugins
    (tmp_path / "evalanalysis.toml").write_text("[analyze]\nconcurrency = 6\n")
    rows = {r["key"]: r for r in json.loads(cli("config", "--json").output)}
    assert rows["analyze.concurrency"]["value"] == 6
    assert rows["analyze.concurrency"]["origin"].endswith("evalanalysis.toml")
    assert rows["classifier.name"] == {"key": "classifier.name", "value": "rules", "origin": "default"}


def test_reports_get_the_usual_file_mode(cli, tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        cli("analyze", str(MIXED), "--date", "2026-11-25")
    finally:
        os.umask(old)
    for path in (tmp_path / "reports").rglob("*.*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def _bundle_with(change) -> dict:
    data = bundles.bundle([bundles.failure(1, "a/b", "deploy", "x"), bundles.failure(2, "a/c", "tsc", "error TS2339: y")])
    change(data)
    return data


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (lambda p: p.write_bytes(b""), "is not valid JSON"),
        (lambda p: p.write_text("null"), "must hold a JSON object"),
        (lambda p: p.write_bytes(b'{"format": "\xe9"}'), "is not UTF-8 text (byte 0xe9 at offset 12)"),
        (lambda p: p.write_bytes(b"\xff\xfe{}"), "is not UTF-8 text"),
        (lambda p: p.mkdir(), "is a directory, not a file"),
        (lambda p: p.write_text("[" * 100_000), "nested too deeply"),
        (lambda p: bundles.write(p, _bundle_with(lambda d: d.update(summary=None))), "'summary' must be an object"),
        (lambda p: bundles.write(p, _bundle_with(lambda d: d.pop("summary"))), "'summary' must be an object"),
        (lambda p: bundles.write(p, _bundle_with(lambda d: d["summary"].update(failedEvals={}))),
         "expected a list, got an object @ $.failedEvals"),
        (lambda p: bundles.write(p, _bundle_with(lambda d: d["summary"]["failedEvals"][0].update(failedStep="deploy"))),
         "expected an object, got a string @ $.failedEvals[0].failedStep"),
        (lambda p: bundles.write(p, _bundle_with(lambda d: d["summary"].update(passedCount=-3.0))), "@ $.passedCount"),
        (lambda p: bundles.write(p, _bundle_with(lambda d: d["summary"]["failedEvals"].append(d["summary"]["failedEvals"][0]))),
         "is listed twice"),
    ],
)
def test_a_malformed_bundle_is_one_line_and_exit_2(cli, tmp_path, write, message):
    write(tmp_path / "run.json")
    before = files_under(tmp_path)
    result = cli("analyze", "run.json")
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) <= 2
    assert files_under(tmp_path) == before


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d, eid: d["evals"].pop(eid), "has no debug info in run.json"),
        (lambda d, eid: d["evals"].update({eid: None}), "has no debug info in run.json"),
        (lambda d, eid: d["evals"].update({eid: ["x"]}), "expected an object, got a list"),
        (lambda d, eid: d["evals"][eid].update(steps="deploy failed"), "expected a list, got a string @ $.steps"),
        (lambda d, eid: d["evals"][eid]["eval"].pop("evalPath"), "required field missing @ $.eval.evalPath"),
        (lambda d, eid: d["evals"].update({eid: {"error": "Eval not found"}}), "Eval not found"),
        (lambda d, eid: d["evals"][eid]["eval"].update(_id="k57zzzzzzzzzzzzzzzzzzzzzzzzzzzzz"),
         "the source answered with eval k57zzzzzzzzzzzzzzzzzzzzzzzzzzzzz"),
    ],
)
def test_one_bad_debug_info_in_a_bundle_is_not_analysed_and_the_rest_is(cli, tmp_path, change, reason):
    data = _bundle_with(lambda d: None)
    first = data["summary"]["failedEvals"][0]["_id"]
    change(data, first)
    bundles.write(tmp_path / "run.json", data)
    result = cli("analyze", "run.json", "--json")
    assert result.exit_code == 0, result.output
    failures = {f["eval_id"]: f for f in json.loads(result.output)["failures"]}
    assert failures[first]["classification"] is None and reason in failures[first]["not_analysed_reason"]
    assert [f["classification"] is not None for i, f in failures.items() if i != first] == [True]


def test_counts_that_disagree_with_the_list_are_a_warning(cli, tmp_path):
    bundles.write(tmp_path / "run.json", _bundle_with(lambda d: d["summary"].update(failedCount=5.0)))
    result = cli("analyze", "run.json", "--format", "markdown")
    assert result.exit_code == 0
    warning = "the failure summary counts 5 failed evals but lists 2"
    assert f"warning: {warning}" in result.output
    assert f"- **Warning**: {warning}" in next((tmp_path / "reports").rglob("*.md")).read_text()


def test_a_run_with_no_failures_listed_is_not_called_all_passed(cli, tmp_path):
    data = bundles.bundle([], total=66)
    data["summary"].update(passedCount=20.0, run={**data["summary"]["run"], "status": {"kind": "running"}})
    bundles.write(tmp_path / "run.json", data)
    result = cli("analyze", "run.json")
    assert result.exit_code == 0
    assert "All" not in result.output
    assert "No failed evals listed for run" in result.output and "20/66" in result.output and "running" in result.output
    assert json.loads(cli("analyze", "run.json", "--json").output)["all_passed"] is False
    assert files_under(tmp_path) == [tmp_path / "run.json"]


@pytest.mark.parametrize("args", [["--debug", "analyze", "missing.json"], ["analyze", "missing.json", "--debug"]])
def test_debug_shows_the_traceback_wherever_it_is_given(isolated, args):
    from click.testing import CliRunner

    from evalanalysis.cli import main

    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2  # the error's own exit code, after the whole traceback
    assert "Traceback (most recent call last)" in result.output
    assert "evalanalysis.errors.BadInput:" in result.output and "does not exist" in result.output


def test_snapshot_of_a_bundle_is_the_bundle(cli, tmp_path):
    assert cli("snapshot", str(MIXED), "-o", "copy.json").exit_code == 0
    assert json.loads((tmp_path / "copy.json").read_text()) == json.loads(MIXED.read_text())


def test_untrusted_text_cannot_become_a_link_or_an_image(cli, tmp_path):
    from markdown_it import MarkdownIt

    hostile = "✘ [ERROR] ![pixel](http://tracker.example/p.png) [click](http://evil.example) \\`[x](http://evil.example)\\` <img src=x>"
    bundles.write(tmp_path / "x.json", bundles.bundle([bundles.failure(1, "a/b", "deploy", hostile)]))
    assert cli("analyze", "x.json", "--format", "markdown").exit_code == 0
    md = next((tmp_path / "reports").rglob("*.md")).read_text()
    assert "(http://evil.example)" in md  # the text is kept ...
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<img" not in html and "<a " not in html  # ... but nowhere rendered as an image or a link


def test_a_file_where_the_report_folder_goes_is_named(cli, tmp_path):
    (tmp_path / "out" / "anthropic").mkdir(parents=True)
    (tmp_path / "out" / "anthropic" / "claude-sonnet-4-5").write_text("not a folder")
    result = cli("analyze", str(MIXED), "--reports-dir", "out")
    assert result.exit_code == 1
    assert result.output.strip() == "error: cannot create the report folder out/anthropic/claude-sonnet-4-5: File exists"


def test_an_unexpected_error_is_one_line_without_debug(cli, monkeypatch):
    import evalanalysis as ea

    def explode(*args, **kwargs):
        raise RuntimeError("first line\nsecond line\nthird line")

    monkeypatch.setattr(ea.Workspace, "analyze", explode)
    result = cli("analyze", str(MIXED))
    assert result.exit_code == 1
    assert result.output == "error: unexpected RuntimeError: first line (rerun with --debug for details)\n"


def test_control_characters_from_the_database_never_reach_the_markdown(cli, tmp_path):
    evil = "m\x1b]0;TITLE\x07x"
    data = bundles.bundle(
        [bundles.failure(1, "a/b", "tests", "Error: \x1b[2J boom", outputs={"convex/index.ts": "const a = '\x1b[31m';\n"},
                         sources={"answer/convex/index.ts": "const a = 1;\n"})],
        model=evil,
    )
    bundles.write(tmp_path / "x.json", data)
    assert cli("analyze", "x.json", "--date", "2026-11-25").exit_code == 0
    md = next((tmp_path / "reports").rglob("*.md")).read_text()
    assert "\x1b" not in md and "\x07" not in md
    assert "- **Model**: `m\\x1b]0;TITLE\\x07x`" in md  # shown, as code (an odd model id is quoted whole)


def test_the_user_config_and_the_cache_live_where_platformdirs_puts_them(cli, tmp_path):
    user_file = tmp_path / "xdg-config" / "evalanalysis" / "config.toml"  # the `isolated` fixture's XDG_CONFIG_HOME
    user_file.parent.mkdir(parents=True)
    user_file.write_text('[analyze]\nconcurrency = 5\nreports_dir = "from-user"\n')
    (tmp_path / "evalanalysis.toml").write_text('[analyze]\nreports_dir = "from-project"\n')
    rows = {r["key"]: r for r in json.loads(cli("config", "--json").output)}
    assert (rows["analyze.concurrency"]["value"], rows["analyze.concurrency"]["origin"]) == (5, str(user_file))
    assert rows["analyze.reports_dir"]["value"] == "from-project"  # the project file outranks the user's
    assert ea.load_config().cache.path == tmp_path / "xdg-cache" / "evalanalysis"


def test_config_flag_and_source_flag_choose_file_and_plugin(cli, tmp_path):
    (tmp_path / "evalanalysis.toml").write_text('[analyze]\nreports_dir = "from-project"\n')
    (tmp_path / "other.toml").write_text(
        f'[analyze]\nreports_dir = "from-flag"\nformats = ["markdown"]\n\n[plugins.bundle]\npath = "{MIXED}"\n'
    )
    run_id = "jn7easv5ga22s4wb146n8jmszsm1wpjp"
    result = cli("analyze", run_id, "--source", "bundle", "--config", "other.toml", "--date", "2026-11-25", "-q")
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["from-flag/anthropic/claude-sonnet-4-5/jn7easv5_2026-11-25.md"]
    assert not (tmp_path / "from-project").exists()
    unknown = cli("analyze", run_id, "--source", "nope")
    assert unknown.exit_code == 2
    assert "unknown source 'nope'; installed sources: " in unknown.output and "bundle, convex" in unknown.output
    snapshot = cli("snapshot", run_id, "-o", "copy.json", "--source", "bundle", "--config", "other.toml")
    assert snapshot.exit_code == 0, snapshot.output
    assert json.loads((tmp_path / "copy.json").read_text()) == json.loads(MIXED.read_text())
    missing = cli("analyze", str(MIXED), "--config", "nowhere.toml")
    assert missing.exit_code == 2 and "config file nowhere.toml does not exist" in missing.output
