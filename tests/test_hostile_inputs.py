"""Hostile database values, config files, URLs and report folders: a clear refusal or a report, never a crash."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import evalanalysis as ea
from evalanalysis import write_reports
from evalanalysis.cli import main
from tests import bundles
from tests.fakes.convex_server import EVAL_FUNCTION, FakeConvex, cli_env

DATE = "2026-03-04"
KEY = "prod:fake-deployment|0123abcd"
FAILURES = [
    bundles.failure(1, "000-fundamentals/001-basic_schema", "tsc", "convex/schema.ts(3,5): error TS2322: bad type"),
    bundles.failure(2, "002-queries/014-select_distinct", "eslint", "  3:7  error  'x' is never reassigned  prefer-const"),
]
EVAL_IDS = [entry["_id"] for entry, _ in FAILURES]


def run_data(**options) -> dict:
    """A fresh bundle of FAILURES: tests change it in place, and the failures' dicts are shared."""
    return copy.deepcopy(bundles.bundle(FAILURES, **options))


def files_under(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file() or p.is_symlink())


def analyze(cli, bundle: Path, *extra: str):
    return cli("analyze", str(bundle), "--date", DATE, *extra)


def write_bundle_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ 1. lone surrogates


def test_a_lone_surrogate_is_written_as_a_replacement_character_in_every_format(cli, tmp_path):
    data = run_data()
    data["summary"]["run"]["experiment"] = "x\ud800"
    data["summary"]["failedEvals"][0]["failureReason"] = "broke \udfff here"
    data["evals"][EVAL_IDS[0]]["outputFiles"] = {"convex/\udc80.ts": "const s = '\ud83d';\n"}
    path = bundles.write(tmp_path / "run.json", data)  # json.dumps writes them as \ud800 escapes, as JSON allows

    result = analyze(cli, path, "--format", "markdown,json,html")

    assert result.exit_code == 0, result.output
    folder = tmp_path / "reports" / "acme" / "test-model"
    for suffix in (".md", ".json", ".html"):
        text = (folder / f"jn7aaaaa_{DATE}{suffix}").read_text(encoding="utf-8")  # strict UTF-8
        assert "x\ufffd" in text, suffix
    report = ea.analysis_from_json(json.loads((folder / f"jn7aaaaa_{DATE}.json").read_text()))
    assert report.run.experiment == "x\ufffd"
    assert "experiment x\ufffd" in result.output


def test_a_snapshot_of_a_run_with_a_lone_surrogate_is_written(cli, tmp_path):
    data = run_data()
    data["evals"][EVAL_IDS[1]]["evalSourceFiles"]["TASK.txt"] = "task \ud800"
    path = bundles.write(tmp_path / "run.json", data)

    result = cli("snapshot", str(path), "-o", "snap.json")

    assert result.exit_code == 0, result.output
    saved = json.loads((tmp_path / "snap.json").read_text(encoding="utf-8"))
    assert saved["evals"][EVAL_IDS[1]]["evalSourceFiles"]["TASK.txt"] == "task \ufffd"


class _Reporter:
    def __init__(self, suffix: str, text: str = "report\n"):
        self.suffix, self.text = suffix, text

    def render(self, analysis):
        return self.text


def test_a_failing_write_leaves_no_empty_folder_and_no_partial_set(tmp_path):
    analysis = ea.analyze(str(bundles.write(tmp_path / "run.json", run_data())),
                          overrides={"analyze.history": False}, date=DATE)
    reports = tmp_path / "reports"
    reporters = {"markdown": _Reporter(".md"), "long": _Reporter("." + "x" * 300)}  # the file system refuses the name

    with pytest.raises(ea.EvalAnalysisError, match="cannot write report under"):
        write_reports(analysis, reporters, reports)

    assert not reports.exists()  # nothing was there before: no folder, no lone .md, is left


def test_a_failing_write_keeps_the_folders_that_were_there(tmp_path):
    analysis = ea.analyze(str(bundles.write(tmp_path / "run.json", run_data())),
                          overrides={"analyze.history": False}, date=DATE)
    earlier = tmp_path / "reports" / "acme" / "older.md"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("earlier\n")

    with pytest.raises(ea.EvalAnalysisError):
        write_reports(analysis, {"long": _Reporter("." + "x" * 300)}, tmp_path / "reports")

    assert files_under(tmp_path / "reports") == ["acme/older.md"]
    assert earlier.read_text() == "earlier\n"


# ------------------------------------------------------------------ 2. huge numbers


def test_an_integer_over_4300_digits_in_a_bundle_is_bad_input(cli, tmp_path):
    text = json.dumps(run_data()).replace('"totalEvals": 20.0', '"totalEvals": ' + "9" * 5000)
    path = write_bundle_text(tmp_path / "run.json", text)

    result = analyze(cli, path)

    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: bundle {path} holds a number too long to read "
        "(Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits)"
    )
    assert not (tmp_path / "reports").exists()


def test_an_integer_over_4300_digits_in_the_config_is_bad_input(cli, tmp_path):
    (tmp_path / "evalanalysis.toml").write_text("[analyze]\nconcurrency = " + "9" * 5000 + "\n")

    result = cli("config")

    assert result.exit_code == 2
    assert result.output.startswith("error: evalanalysis.toml: holds a number too long to read")
    assert "set_int_max_str_digits" not in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("field, digits", [("totalEvals", 400), ("passedCount", 400), ("failedCount", 400)])
def test_an_absurd_count_is_refused_naming_its_path(cli, tmp_path, field, digits):
    data = run_data()
    text = json.dumps(data).replace(f'"{field}": {data["summary"][field]}', f'"{field}": 1' + "0" * (digits - 1))
    path = write_bundle_text(tmp_path / "run.json", text)

    result = analyze(cli, path)

    assert result.exit_code == 2
    assert f"expected an integer of at most 2**53, got a {digits}-digit number @ $.{field}" in result.output
    assert "unexpected" not in result.output


def test_an_absurd_duration_is_refused_naming_its_path(cli, tmp_path):
    data = run_data()
    text = json.dumps(data).replace('"durationMs": 1000.0', '"durationMs": 1' + "0" * 399)
    path = write_bundle_text(tmp_path / "run.json", text)

    result = analyze(cli, path)

    assert result.exit_code == 2
    assert "got a 400-digit number @ $.run.status.durationMs" in result.output


def test_pass_rates_of_huge_counts_are_computed_exactly():
    analysis = ea.RunAnalysis(
        run=ea.RunInfo("jn7x", "m", "p"), date=DATE, total_evals=4 * 10**400, passed_count=10**400,
        failed_count=0, failures=(), failures_by_step={}, patterns=(), recommendations=(),
        net_impact=ea.NetImpact(0, 0, 0, 0, ""), classifier="rules",
    )
    assert analysis.pass_rate.endswith("(25.0%)")


# ------------------------------------------------------------------ 3. deep nesting


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_a_deeply_nested_config_is_bad_input(cli, tmp_path):
    (tmp_path / "evalanalysis.toml").write_text(f"[plugins.mine]\nlevels = {deep(2000)}\n")

    result = cli("config")

    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: evalanalysis.toml: arrays or tables nested too deeply to be a configuration"
    )


def test_a_config_nested_deeper_than_any_setting_is_bad_input(cli, tmp_path):
    (tmp_path / "evalanalysis.toml").write_text(f"[plugins.mine]\nlevels = {deep(300)}\n")  # tomllib reads it

    result = cli("config", "--json")

    assert result.exit_code == 2
    assert "arrays or tables nested more than 64 levels deep" in result.output


def test_a_bundle_nested_deeper_than_any_payload_is_bad_input(cli, tmp_path):
    data = run_data()
    text = json.dumps(data).replace('"kind": "completed", "durationMs"', f'"kind": "completed", "extra": {deep(500)}, "durationMs"')
    path = write_bundle_text(tmp_path / "run.json", text)

    result = cli("snapshot", str(path), "-o", "snap.json")

    assert result.exit_code == 2
    assert result.output.strip() == f"error: bundle {path} is nested more than 64 levels deep; a run bundle never is"
    assert not (tmp_path / "snap.json").exists()


def convex_env(tmp_path: Path, url: str) -> dict[str, str | None]:
    return cli_env(tmp_path, url, KEY)


def run_cli(env, *args: str):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


DEEP_BODIES = {
    "too deep to parse": '{"status": "success", "value": {"eval": ' + deep(2000) + "}}",
    "parsed but absurd": '{"status": "success", "value": {"eval": {"x": ' + deep(500) + "}}}",
}


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_a_deeply_nested_convex_answer_costs_only_that_eval(tmp_path, workdir, body):
    run = bundles.write(tmp_path / "run.json", run_data())
    with FakeConvex([run], admin_key=KEY, faults={EVAL_IDS[0]: [f"body:{body}"]}) as fake:
        url = fake.url
        result = run_cli(convex_env(tmp_path, url), "analyze", bundles.RUN_ID, "--date", DATE, "--json")

    assert result.exit_code == 0, result.output
    failures = {f["eval_id"]: f for f in json.loads(result.stdout)["failures"]}
    assert failures[EVAL_IDS[0]]["classification"] is None
    assert failures[EVAL_IDS[0]]["not_analysed_reason"] == (
        f"debug info unavailable: Convex at {url} answered {EVAL_FUNCTION} "
        "with a body nested more than 64 levels deep; not read"
    )
    assert failures[EVAL_IDS[1]]["classification"] is not None


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_a_snapshot_stores_an_error_for_an_eval_whose_answer_is_nested_too_deeply(tmp_path, workdir, body):
    run = bundles.write(tmp_path / "run.json", run_data())
    with FakeConvex([run], admin_key=KEY, faults={EVAL_IDS[0]: [f"body:{body}"]}) as fake:
        url = fake.url
        result = run_cli(convex_env(tmp_path, url), "snapshot", bundles.RUN_ID, "-o", "snap.json")

    assert result.exit_code == 0, result.output
    assert "2 failed evals (1 without debug info)" in result.stdout
    saved = json.loads((workdir / "snap.json").read_text())
    assert saved["evals"][EVAL_IDS[0]] == {
        "error": f"Convex at {url} answered {EVAL_FUNCTION} with a body nested more than 64 levels deep; not read"
    }
    assert saved["evals"][EVAL_IDS[1]]["eval"]["_id"] == EVAL_IDS[1]


# ------------------------------------------------------------------ 4. TOML dates in plugin tables


def test_config_json_prints_toml_dates_and_times_as_iso_strings(cli, tmp_path):
    (tmp_path / "evalanalysis.toml").write_text(
        "[plugins.mine]\nsince = 2026-02-27\nat = 07:32:00\nstamp = 1979-05-27T07:32:00Z\nlocal = 1979-05-27T07:32:00\n"
    )

    result = cli("config", "--json")

    assert result.exit_code == 0, result.output
    rows = {row["key"]: row["value"] for row in json.loads(result.output)}
    assert rows["plugins.mine"] == {
        "since": "2026-02-27", "at": "07:32:00", "stamp": "1979-05-27T07:32:00+00:00", "local": "1979-05-27T07:32:00",
    }


# ------------------------------------------------------------------ 5. NUL in reports_dir


def test_a_nul_in_reports_dir_from_a_flag_is_refused_before_the_analysis(cli, tmp_path):
    path = bundles.write(tmp_path / "run.json", run_data())

    result = analyze(cli, path, "--reports-dir", "rep\0orts")

    assert result.exit_code == 2
    assert "Invalid value for '--reports-dir': 'rep\\x00orts' contains a NUL character, which no path may hold" in result.output
    assert not (tmp_path / "rep").exists()


def test_a_nul_in_reports_dir_from_the_api_is_refused(tmp_path):
    with pytest.raises(ea.ConfigError, match="^command line: analyze.reports_dir must not contain a NUL character$"):
        ea.load_config(overrides={"analyze.reports_dir": "rep\0orts"}, cwd=tmp_path, user_file=tmp_path / "none.toml", env={})


def test_a_nul_in_reports_dir_from_the_config_file_is_refused(cli, tmp_path):
    (tmp_path / "evalanalysis.toml").write_text('[analyze]\nreports_dir = "rep\\u0000orts"\n')
    path = bundles.write(tmp_path / "run.json", run_data())

    result = analyze(cli, path)

    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: evalanalysis.toml: analyze.reports_dir must not contain a NUL character"
    )


def test_a_nul_in_reports_dir_from_the_environment_is_refused(tmp_path):
    with pytest.raises(ea.ConfigError, match="environment EVALANALYSIS_REPORTS_DIR: analyze.reports_dir must not contain a NUL"):
        ea.load_config(env={"EVALANALYSIS_REPORTS_DIR": "a\0b"}, cwd=tmp_path, user_file=tmp_path / "none.toml")


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["actions", "rep\0ort.md", "--add", "Relaxed the rule"], "REPORT"),
        (["evaluate", "--labels", "lab\0els.json", "run.json"], "--labels"),
        (["analyze", "ru\0n.json"], None),
    ],
)
def test_a_nul_in_any_path_argument_is_a_usage_error_not_a_crash(cli, argv, name):
    result = cli(*argv)

    assert result.exit_code == 2, result.output
    assert "unexpected" not in result.output
    if name is not None:
        assert f"Invalid value for '{name}':" in result.output and "contains a NUL character" in result.output
    else:
        assert result.output.startswith("error: 'ru\\x00n.json' is not a run")


# ------------------------------------------------------------------ 6. Convex URLs


@pytest.mark.parametrize(
    "url, why",
    [
        ("http://127.0.0.1:99999", "cannot be read: Port out of range 0-65535"),
        ("http://[::1", "cannot be read: Invalid IPv6 URL"),
        ("http://host:port", "cannot be read: Port could not be cast to integer value as 'port'"),
        ("http://127.0.0.1:0", "has port 0; a port is 1 to 65535"),
        ("http://:3210", "names no host"),
        ("ftp://example.com", "must start with http:// or https://"),
        ("http://exa mple.com", "holds spaces or control characters"),
    ],
)
def test_an_unusable_convex_url_is_refused_before_any_request(tmp_path, workdir, url, why):
    with FakeConvex(admin_key=KEY) as fake:
        result = run_cli(convex_env(tmp_path, url), "analyze", bundles.RUN_ID)
        requests = list(fake.requests)

    assert result.exit_code == 2
    assert result.output == f"error: Convex URL {url!r} (CONVEX_URL) {why}\n"
    assert requests == []


# ------------------------------------------------------------------ 7. symlinks in the reports dir


@pytest.fixture
def run_bundle(tmp_path) -> Path:
    return bundles.write(tmp_path / "run.json", run_data())


@pytest.mark.parametrize("link", ["acme", "acme/test-model"])
def test_a_symlinked_folder_leading_outside_the_reports_dir_is_refused(cli, tmp_path, run_bundle, link):
    outside = tmp_path / "outside"
    outside.mkdir()
    reports = tmp_path / "reports"
    (reports / link).parent.mkdir(parents=True, exist_ok=True)
    (reports / link).symlink_to(outside, target_is_directory=True)
    (reports / "keep.md").write_text("earlier report\n")

    result = analyze(cli, run_bundle)

    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"error: not writing reports: reports/{link} is a symlink to {outside}, outside the reports directory "
        "reports; make it a real folder, or pass the --reports-dir you meant"
    )
    assert list(outside.iterdir()) == []
    assert (reports / "keep.md").read_text() == "earlier report\n"


def test_a_symlinked_report_file_is_left_alone_and_its_target_untouched(cli, tmp_path, run_bundle):
    outside = tmp_path / "outside.md"
    outside.write_text("not a report\n")
    folder = tmp_path / "reports" / "acme" / "test-model"
    folder.mkdir(parents=True)
    (folder / f"jn7aaaaa_{DATE}.json").symlink_to(outside)

    result = analyze(cli, run_bundle)

    assert result.exit_code == 0, result.output
    assert outside.read_text() == "not a report\n"
    assert files_under(folder) == [f"jn7aaaaa_{DATE}.json", f"jn7aaaaa_{DATE}_2.json", f"jn7aaaaa_{DATE}_2.md"]


def test_symlinks_that_stay_inside_the_reports_dir_are_followed(cli, tmp_path, run_bundle):
    real = tmp_path / "store"
    (real / "acme-real").mkdir(parents=True)
    (real / "acme").symlink_to(real / "acme-real", target_is_directory=True)
    (tmp_path / "reports").symlink_to(real, target_is_directory=True)  # the reports dir itself may be a link

    result = analyze(cli, run_bundle)

    assert result.exit_code == 0, result.output
    assert files_under(real / "acme-real") == [f"test-model/jn7aaaaa_{DATE}.json", f"test-model/jn7aaaaa_{DATE}.md"]


# ------------------------------------------------------------------ 8. names that sanitise to nothing


def folders_for(cli, tmp_path: Path, models: list[str]) -> list[str]:
    folders = []
    for n, model in enumerate(models):
        path = bundles.write(tmp_path / f"run{n}.json", run_data(model=model))
        result = analyze(cli, path, "--format", "markdown", "-q")
        assert result.exit_code == 0, result.output
        folders.append(str(Path(result.output.split()[0]).parent.relative_to("reports")))
    return folders


def test_models_whose_names_sanitise_to_nothing_keep_their_own_folders(cli, tmp_path):
    folders = folders_for(cli, tmp_path, ["///", "..", "日本語", "中文", "日本語", "moonshotai/kimi-k2", "a b", "a-b"])

    assert folders[5:] == ["acme/moonshotai-kimi-k2", f"acme/a-b-{hashlib.sha256(b'a b').hexdigest()[:8]}", "acme/a-b"]
    assert folders[2] == folders[4]  # the same name always gets the same folder
    assert len(set(folders)) == 7
    for folder in folders[:4]:
        assert folder.startswith("acme/unknown-") and len(folder.rsplit("-", 1)[1]) == 8


def test_history_finds_earlier_reports_of_a_model_in_its_hashed_folder(cli, tmp_path):
    first = bundles.write(tmp_path / "first.json", run_data(model="日本語"))
    second = bundles.write(tmp_path / "second.json",
                           run_data(model="日本語", run_id="jn7bbbbbbbbbbbbbbbbbbbbbbbbbbbbb"))
    assert cli("analyze", str(first), "--date", "2026-03-01").exit_code == 0

    result = cli("analyze", str(second), "--date", "2026-03-02", "--json")

    assert result.exit_code == 0, result.output
    for failure in json.loads(result.output)["failures"]:
        assert failure["repeat_of"]["run_id"] == bundles.RUN_ID and failure["repeat_of"]["model"] == "日本語"


# ------------------------------------------------------------------ 9. a null provider


def null_provider_bundle(tmp_path: Path, model: str, name: str = "run.json", run_id: str = bundles.RUN_ID) -> Path:
    data = run_data(model=model, run_id=run_id)
    data["summary"]["run"]["provider"] = None
    data["evals"][EVAL_IDS[0]]["run"] = None  # debug info's run may be null
    data["evals"][EVAL_IDS[1]]["run"].update(provider=None, model=model)
    return bundles.write(tmp_path / name, data)


@pytest.mark.parametrize("model, folder", [("anthropic/claude-x", "anthropic/anthropic-claude-x"),
                                           ("unknown-model", "unknown-provider/unknown-model")])
def test_a_run_without_a_provider_is_analysed_and_filed_sensibly(cli, tmp_path, model, folder):
    path = null_provider_bundle(tmp_path, model)

    result = analyze(cli, path, "--format", "markdown,json,html")

    assert result.exit_code == 0, result.output
    warning = f"the run records no provider (run.provider is null); its reports are filed under {folder.split('/')[0]}/"
    assert f"warning: {warning}" in result.output
    assert "(provider unknown)" in result.output
    base = tmp_path / "reports" / folder / f"jn7aaaaa_{DATE}"
    md = base.with_suffix(".md").read_text()
    assert "- **Provider**: unknown\n" in md and f"- **Warning**: {warning}" in md
    assert "None" not in md.split("\n## ", 1)[0]
    assert json.loads(base.with_suffix(".json").read_text())["run"]["provider"] is None
    html = base.with_suffix(".html").read_text()
    assert "<dt>Provider</dt><dd>unknown</dd>" in html and "<dd>None</dd>" not in html
    analysis = ea.analysis_from_json(json.loads(base.with_suffix(".json").read_text()))
    assert analysis.run.provider is None and all(f.analysed for f in analysis.failures)


def test_history_reads_reports_of_runs_without_a_provider(cli, tmp_path):
    first = null_provider_bundle(tmp_path, "anthropic/claude-x", "first.json")
    second = null_provider_bundle(tmp_path, "anthropic/claude-x", "second.json", run_id="jn7bbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
    assert cli("analyze", str(first), "--date", "2026-03-01").exit_code == 0

    result = cli("analyze", str(second), "--date", "2026-03-02", "--json")
    listed = cli("history", "anthropic/claude-x", "--json")

    assert result.exit_code == 0, result.output
    assert {f["repeat_of"]["run_id"] for f in json.loads(result.output)["failures"]} == {bundles.RUN_ID}
    assert listed.exit_code == 0, listed.output
    assert {(f["model"], f["provider"]) for f in json.loads(listed.output)} == {("anthropic/claude-x", "unknown")}


# ------------------------------------------------------------------ 10. snapshot to stdout


def test_snapshot_to_dash_writes_the_bundle_to_stdout(tmp_path, run_bundle, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["snapshot", str(run_bundle), "-o", "-"], catch_exceptions=False)

    assert result.exit_code == 0, result.stderr
    assert not (tmp_path / "-").exists()
    saved = json.loads(result.stdout)
    assert saved == json.loads(run_bundle.read_text())
    assert result.stderr == f"wrote the bundle to stdout: run {bundles.RUN_ID}, 2 failed evals\n"
