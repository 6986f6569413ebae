"""The `convex` source, through the CLI, against the loopback fake deployment: same reports as offline, every fault."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from evalanalysis import ConfigError, load_config
from evalanalysis.cli import main
from evalanalysis_plugins.convex import ConvexOptions, ConvexSource
from tests import bundles
from tests.fakes.convex_server import EVAL_FUNCTION, RUN_FUNCTION, FakeConvex
from tests.fakes.convex_server import cli_env as convex_cli_env

KEY = "prod:fake-deployment|5ecret0admin0key0value"
SECRET = "5ecret0admin0key0value"
RUN_ID = bundles.RUN_ID
URL = f"https://convex-evals.netlify.app/experiment/exp123/run/{RUN_ID}/002-queries/014-select_distinct?tab=files#tsc"
DATE = "2026-11-25"
FAILURES = [
    bundles.failure(1, "000-fundamentals/001-basic_schema", "tsc", "convex/schema.ts(3,5): error TS2322: bad type"),
    bundles.failure(2, "002-queries/014-select_distinct", "eslint", "  3:7  error  'x' is never reassigned  prefer-const"),
    bundles.failure(3, "004-actions/000-fetch", "tests", "1 test failed: expected 3 rows, got 2"),
    bundles.failure(4, "000-fundamentals/003-crons", "deploy", "Could not resolve convex/crons"),
    bundles.failure(5, "001-data_modeling/002-indexes", "tests", "2 tests failed",
                    sources={"GAPS.txt": "The tests assume a fixed index order."}),
    bundles.failure(6, "003-mutations/001-insert", "tsc", "error TS2345: Argument of type 'string' is not assignable"),
]
EVAL_IDS = [entry["_id"] for entry, _ in FAILURES]


@pytest.fixture
def run_bundle(tmp_path) -> Path:
    return bundles.write(tmp_path / "run.json", bundles.bundle(FAILURES, total=40))


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def cli_env(tmp_path: Path, url: str | None, **extra: str | None) -> dict[str, str | None]:
    return convex_cli_env(tmp_path, url, KEY, **extra)


def run_cli(env, *args: str):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def files_under(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_no_key(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text and KEY not in text


def report_json(root: Path) -> dict:
    return json.loads((root / "acme" / "test-model" / f"jn7aaaaa_{DATE}.json").read_text())


def test_visualizer_url_gives_the_same_report_as_the_bundle(tmp_path, workdir, run_bundle):
    with FakeConvex([run_bundle], admin_key=KEY, latency=0.1) as fake:
        url = fake.url
        live = run_cli(cli_env(tmp_path, fake.url), "analyze", URL, "--date", DATE, "--reports-dir", "live",
                       "--concurrency", "3", "--format", "markdown,json")
        requests = list(fake.requests)
    offline = run_cli(cli_env(tmp_path, None), "analyze", str(run_bundle), "--date", DATE, "--reports-dir", "offline",
                      "--format", "markdown,json")
    assert live.exit_code == 0, live.output
    assert offline.exit_code == 0, offline.output
    live_files, offline_files = files_under(workdir / "live"), files_under(workdir / "offline")
    assert list(live_files) == [f"acme/test-model/jn7aaaaa_{DATE}.json", f"acme/test-model/jn7aaaaa_{DATE}.md"]
    assert live_files == offline_files
    assert "Pass rate: 34/40" in live.stdout
    assert [r.function for r in requests].count(RUN_FUNCTION) == 1
    assert sorted(r.args["evalId"] for r in requests if r.function == EVAL_FUNCTION) == sorted(EVAL_IDS)
    assert requests[0].function == RUN_FUNCTION and requests[0].args == {"runId": RUN_ID}
    assert {r.auth for r in requests} == {"admin"}
    assert {r.authorization for r in requests} == {f"Convex {KEY}"}
    assert fake.max_in_flight == 3
    assert_no_key(live.output, *live_files.values())


def test_snapshot_then_offline_analysis_matches_the_live_report(tmp_path, workdir, run_bundle):
    with FakeConvex([run_bundle], admin_key=KEY) as fake:
        url = fake.url
        env = cli_env(tmp_path, fake.url)
        snap = run_cli(env, "snapshot", URL, "-o", "snap.json", "--concurrency", "2")
        live = run_cli(env, "analyze", RUN_ID, "--date", DATE, "--reports-dir", "live")
        assert fake.calls == {RUN_FUNCTION: 2, EVAL_FUNCTION: 2 * len(FAILURES)}
    assert snap.exit_code == 0, snap.output
    assert f"wrote snap.json: run {RUN_ID}, 6 failed evals" in snap.stdout
    bundle_text = (workdir / "snap.json").read_text()
    bundle = json.loads(bundle_text)
    assert bundle["format"] == "evalanalysis.bundle/1"
    assert sorted(bundle["evals"]) == sorted(EVAL_IDS)
    assert bundle["evals"][EVAL_IDS[4]]["evalSourceFiles"]["GAPS.txt"] == "The tests assume a fixed index order."
    offline = run_cli(cli_env(tmp_path, None), "analyze", "snap.json", "--date", DATE, "--reports-dir", "offline")
    assert offline.exit_code == 0, offline.output
    assert files_under(workdir / "live") == files_under(workdir / "offline")
    assert_no_key(snap.output, live.output, bundle_text)


def test_snapshot_keeps_within_its_concurrency(tmp_path, workdir, run_bundle):
    with FakeConvex([run_bundle], admin_key=KEY, latency=0.1) as fake:
        url = fake.url
        result = run_cli(cli_env(tmp_path, fake.url), "snapshot", RUN_ID, "-o", "snap.json", "--concurrency", "2")
    assert result.exit_code == 0, result.output
    assert fake.max_in_flight == 2
    assert fake.calls == {RUN_FUNCTION: 1, EVAL_FUNCTION: len(FAILURES)}


def test_transient_faults_are_retried_and_the_report_is_unchanged(tmp_path, workdir, run_bundle):
    faults = {
        RUN_FUNCTION: ["http:503", "drop"],
        EVAL_IDS[0]: ["http:500"],
        EVAL_IDS[1]: ["http:429:retry-after=0.05", "http:502"],
    }
    with FakeConvex([run_bundle], admin_key=KEY, faults=faults) as fake:
        url = fake.url
        live = run_cli(cli_env(tmp_path, fake.url), "analyze", URL, "--date", DATE, "--reports-dir", "live")
        calls = dict(fake.calls)
        outcomes = [r.outcome for r in fake.requests if r.function == RUN_FUNCTION]
    offline = run_cli(cli_env(tmp_path, None), "analyze", str(run_bundle), "--date", DATE, "--reports-dir", "offline")
    assert live.exit_code == 0, live.output
    assert files_under(workdir / "live") == files_under(workdir / "offline")
    assert outcomes == ["http-error", "drop", "success"]
    assert calls == {RUN_FUNCTION: 3, EVAL_FUNCTION: len(FAILURES) + 3}


def test_one_eval_failing_after_retries_is_marked_not_analysed(tmp_path, workdir, run_bundle):
    faults = {EVAL_IDS[2]: ["http:500", "http:500"], EVAL_IDS[3]: ["error:Uncaught Error: out of memory\n  at handler"]}
    with FakeConvex([run_bundle], admin_key=KEY, faults=faults) as fake:
        url = fake.url
        env = cli_env(tmp_path, fake.url, EVALANALYSIS_CONVEX_MAX_RETRIES="1")
        result = run_cli(env, "analyze", RUN_ID, "--date", DATE, "--reports-dir", "live")
        assert fake.calls[EVAL_FUNCTION] == len(FAILURES) + 1
    assert result.exit_code == 0, result.output
    failures = {f["eval_path"]: f for f in report_json(workdir / "live")["failures"]}
    assert len(failures) == 6
    retried = failures["004-actions/000-fetch"]
    assert retried["classification"] is None
    assert retried["not_analysed_reason"] == (
        f"debug info unavailable: Convex at {url} answered {EVAL_FUNCTION} with HTTP 500 "
        "(InternalServerError: Your request couldn't be completed. Try again later.) (2 attempts)"
    )
    crashed = failures["000-fundamentals/003-crons"]
    assert crashed["not_analysed_reason"] == (
        f"debug info unavailable: Convex function {EVAL_FUNCTION} failed at {url}: Uncaught Error: out of memory"
    )
    analysed = [f for f in failures.values() if f["classification"] is not None]
    assert len(analysed) == 4
    report = (workdir / "live" / "acme" / "test-model" / f"jn7aaaaa_{DATE}.md").read_text()
    assert "004-actions/000-fetch" in report and "HTTP 500" in report


def test_eval_the_deployment_does_not_know_is_not_analysed(tmp_path, workdir):
    data = bundles.bundle(FAILURES[:3])
    del data["evals"][EVAL_IDS[1]]
    with FakeConvex([data], admin_key=KEY) as fake:
        url = fake.url
        result = run_cli(cli_env(tmp_path, fake.url), "analyze", RUN_ID, "--date", DATE, "--reports-dir", "live")
        snap = run_cli(cli_env(tmp_path, fake.url), "snapshot", RUN_ID, "-o", "snap.json")
    assert result.exit_code == 0, result.output
    failures = {f["eval_path"]: f for f in report_json(workdir / "live")["failures"]}
    assert failures["002-queries/014-select_distinct"]["not_analysed_reason"] == "debug info unavailable: Eval not found"
    assert failures["000-fundamentals/001-basic_schema"]["classification"] is not None
    assert snap.exit_code == 0 and "3 failed evals (1 without debug info)" in snap.stdout
    assert json.loads((workdir / "snap.json").read_text())["evals"][EVAL_IDS[1]] == {"error": "Eval not found"}


@pytest.mark.parametrize("variable", ["CONVEX_DEPLOY_KEY", "CONVEX_SELF_HOSTED_ADMIN_KEY"])
def test_wrong_key_names_the_variable_to_fix(tmp_path, workdir, run_bundle, variable):
    wrong = "prod:fake-deployment|not0the0right0key"
    with FakeConvex([run_bundle], admin_key=KEY) as fake:
        url = fake.url
        env = {**cli_env(tmp_path, fake.url, CONVEX_DEPLOY_KEY=None), variable: wrong}
        result = run_cli(env, "analyze", URL)
        assert fake.calls == {RUN_FUNCTION: 1}  # refused keys are not retried
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: Convex at {url} refused the admin key (401 BadAdminKey); "
        f"set {variable} to a valid admin or deploy key for this deployment\n"
    )
    assert "not0the0right0key" not in result.output
    assert not (workdir / "reports").exists()


def test_non_admin_key_is_refused_with_403(tmp_path, workdir, run_bundle):
    preview = "preview:team:project|preview0key0secret"
    with FakeConvex([run_bundle], admin_key=KEY, non_admin_keys=[preview]) as fake:
        url = fake.url
        result = run_cli(cli_env(tmp_path, fake.url, CONVEX_DEPLOY_KEY=preview), "snapshot", RUN_ID, "-o", "s.json")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: Convex at {url} refused the key as not an admin key (403 BadDeployKey); "
        "set CONVEX_DEPLOY_KEY to an admin or production deploy key, not a preview or project key\n"
    )
    assert "preview0key0secret" not in result.output
    assert not (workdir / "s.json").exists()


def test_unknown_run(tmp_path, workdir, run_bundle):
    unknown = "jn7zzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
    with FakeConvex([run_bundle], admin_key=KEY) as fake:
        url = fake.url
        result = run_cli(cli_env(tmp_path, fake.url), "analyze", f"https://convex-evals.netlify.app/run/{unknown}")
        snap = run_cli(cli_env(tmp_path, fake.url), "snapshot", unknown, "-o", "s.json")
    assert result.exit_code == 1 and snap.exit_code == 1
    assert result.stderr == f"error: run {unknown} not found at {url}\n"
    assert snap.stderr == result.stderr


def test_deployment_without_the_summary_function(tmp_path, workdir, run_bundle):
    with FakeConvex([run_bundle], admin_key=KEY, missing=[RUN_FUNCTION]) as fake:
        url = fake.url
        result = run_cli(cli_env(tmp_path, fake.url), "analyze", URL)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: Convex function {RUN_FUNCTION} failed at {url}: Could not find function for '{RUN_FUNCTION}'. "
        "Did you forget to run `npx convex dev` or `npx convex deploy`?\n"
    )


def test_deployment_without_the_debug_function_stops_the_run(tmp_path, workdir, run_bundle):
    with FakeConvex([run_bundle], admin_key=KEY, missing=[EVAL_FUNCTION]) as fake:
        url = fake.url
        result = run_cli(cli_env(tmp_path, fake.url), "analyze", URL, "--date", DATE, "--reports-dir", "live")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"error: Convex function {EVAL_FUNCTION} failed at {url}: Could not find function for '{EVAL_FUNCTION}'. "
        "Did you forget to run `npx convex dev` or `npx convex deploy`?\n"
    )
    assert not (workdir / "live").exists()


def test_configured_function_names_are_called(tmp_path, workdir, run_bundle):
    with FakeConvex([run_bundle], admin_key=KEY, run_function="evals:failedForRun", eval_function="evals:debugInfo") as fake:
        url = fake.url
        env = cli_env(tmp_path, fake.url, EVALANALYSIS_CONVEX_FAILED_EVALS_FUNCTION="evals:failedForRun",
                      EVALANALYSIS_CONVEX_EVAL_DEBUG_FUNCTION="evals:debugInfo")
        result = run_cli(env, "analyze", RUN_ID, "--date", DATE, "--reports-dir", "live")
        assert fake.calls == {"evals:failedForRun": 1, "evals:debugInfo": len(FAILURES)}
    assert result.exit_code == 0, result.output


def test_unreachable_host_names_the_url(tmp_path, workdir):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    result = run_cli(cli_env(tmp_path, url, EVALANALYSIS_CONVEX_MAX_RETRIES="1"), "analyze", URL)
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot reach Convex at {url}: connection refused (2 attempts)\n"


def test_timeout_on_the_summary_call_names_the_url(tmp_path, workdir, run_bundle):
    with FakeConvex([run_bundle], admin_key=KEY, faults={RUN_FUNCTION: ["hang", "hang"]}, hang_seconds=5) as fake:
        url = fake.url
        env = cli_env(tmp_path, fake.url, EVALANALYSIS_CONVEX_TIMEOUT="0.3", EVALANALYSIS_CONVEX_MAX_RETRIES="1")
        result = run_cli(env, "analyze", URL)
    assert fake.calls == {RUN_FUNCTION: 2}  # a hanging request is logged once the fake releases it
    assert result.exit_code == 1
    assert result.stderr == f"error: Convex at {url} did not answer {RUN_FUNCTION} within 0.3 s (2 attempts)\n"


def test_missing_key_names_the_variables(tmp_path, workdir):
    result = run_cli(cli_env(tmp_path, "http://127.0.0.1:9", CONVEX_DEPLOY_KEY=None), "analyze", URL)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: no Convex admin key: set CONVEX_DEPLOY_KEY (or CONVEX_SELF_HOSTED_ADMIN_KEY) to an admin or "
        "production deploy key, or analyse a bundle file instead\n"
    )


def test_self_hosted_variables_work_together(tmp_path, workdir, run_bundle):
    self_hosted = "self-hosted-instance|0abc0secret0def"
    with FakeConvex([run_bundle], admin_key=self_hosted) as fake:
        url = fake.url
        env = cli_env(tmp_path, None, CONVEX_DEPLOY_KEY=None, CONVEX_SELF_HOSTED_URL=fake.url,
                      CONVEX_SELF_HOSTED_ADMIN_KEY=self_hosted)
        result = run_cli(env, "analyze", RUN_ID, "--date", DATE, "--reports-dir", "live")
        assert {r.auth for r in fake.requests} == {"admin"}
    assert result.exit_code == 0, result.output
    assert "0abc0secret0def" not in result.output + "".join(files_under(workdir / "live").values())


def test_bad_run_reference_is_a_usage_error(tmp_path, workdir):
    result = run_cli(cli_env(tmp_path, "http://127.0.0.1:9"), "analyze", "https://convex-evals.netlify.app/run/nope")
    assert result.exit_code == 2
    assert "'nope' after /run/ is not a Convex run id" in result.stderr


def _settings(tmp_path, **env):
    return load_config(env=env, cwd=tmp_path, user_file=tmp_path / "none.toml", note=lambda _: None)


def test_prod_key_without_url_derives_the_cloud_url_and_says_so_once(tmp_path):
    notes: list[str] = []
    env = {"CONVEX_DEPLOY_KEY": "prod:happy-otter-123|" + SECRET}
    source = ConvexSource.from_settings(_settings(tmp_path), env=env, note=notes.append)
    assert source.url == "https://happy-otter-123.convex.cloud"
    assert notes == [
        "no CONVEX_URL set; guessed https://happy-otter-123.convex.cloud from the deployment name in "
        "CONVEX_DEPLOY_KEY (set CONVEX_URL if the deployment lives elsewhere)"
    ]
    assert SECRET not in repr(source)


@pytest.mark.parametrize("table", ["plugins.convex", "convex"])  # the old [convex] table still works
def test_url_from_config_beats_the_environment(tmp_path, table):
    (tmp_path / "evalanalysis.toml").write_text(f'[{table}]\nurl = "https://mine.example.com/"\n')
    notes: list[str] = []
    env = {"CONVEX_DEPLOY_KEY": KEY, "CONVEX_URL": "https://other.convex.cloud"}
    source = ConvexSource.from_settings(_settings(tmp_path), env=env, note=notes.append)
    assert source.url == "https://mine.example.com" and notes == []


def test_dev_key_is_accepted_with_a_note(tmp_path):
    notes: list[str] = []
    env = {"CONVEX_DEPLOY_KEY": "dev:quiet-fox-42|" + SECRET, "CONVEX_URL": "https://quiet-fox-42.convex.cloud"}
    source = ConvexSource.from_settings(_settings(tmp_path), env=env, note=notes.append)
    assert source.url == "https://quiet-fox-42.convex.cloud"
    assert notes == [
        "CONVEX_DEPLOY_KEY is a dev deployment key: runs are read from development deployment quiet-fox-42, "
        "not production"
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CONVEX_DEPLOY_KEY": "preview:team:proj|" + SECRET},
         "no Convex URL: set CONVEX_URL (or CONVEX_SELF_HOSTED_URL, or plugins.convex.url in the config); "
         "the key in CONVEX_DEPLOY_KEY does not name a deployment to derive it from"),
        ({"CONVEX_DEPLOY_KEY": KEY, "CONVEX_URL": "ftp://x"},
         "Convex URL 'ftp://x' (CONVEX_URL) must start with http:// or https://"),
        ({"CONVEX_DEPLOY_KEY": "prod:x|bad key", "CONVEX_URL": "https://x.convex.cloud"},
         "CONVEX_DEPLOY_KEY holds spaces or characters that cannot go in an HTTP header; check its value"),
    ],
)
def test_settings_mistakes_are_usage_errors(tmp_path, env, message):
    from evalanalysis import UsageError

    with pytest.raises(UsageError) as caught:
        ConvexSource.from_settings(_settings(tmp_path), env=env, note=lambda _: None)
    assert str(caught.value) == message
    assert caught.value.exit_code == 2


def test_the_options_come_from_the_plugin_table(tmp_path):
    (tmp_path / "evalanalysis.toml").write_text(
        '[plugins.convex]\nfailed_evals_function = "evals:failed"\neval_debug_function = "evals:debug"\n'
        "timeout = 5\nmax_retries = 0\nretry_backoff = 0.0\n"
    )
    env = {"CONVEX_DEPLOY_KEY": KEY, "CONVEX_URL": "https://x.example.com"}
    source = ConvexSource.from_settings(_settings(tmp_path, EVALANALYSIS_CONVEX_MAX_RETRIES="2"), env=env, note=lambda _: None)
    assert (source.failed_evals_function, source.eval_debug_function) == ("evals:failed", "evals:debug")
    assert (source.timeout, source.max_retries, source.retry_backoff) == (5.0, 2, 0.0)
    assert isinstance(source.timeout, float) and isinstance(source.max_retries, int)
    assert ConvexOptions.from_settings(_settings(tmp_path / "none")) == ConvexOptions()


@pytest.mark.parametrize(
    ("toml", "env", "message"),
    [
        ("[plugins.convex]\ntimeout = inf\n", {}, "{file}: bad value for plugins.convex.timeout: expected a finite number, got inf"),
        ("[convex]\ntimeout = inf\n", {}, "{file}: bad value for plugins.convex.timeout: expected a finite number, got inf"),
        ('[plugins.convex]\nurl = 3\n', {}, "{file}: bad value for plugins.convex.url: expected a string, got a number"),
        ("[plugins.convex]\nmax_retries = 1.5\n", {}, "{file}: bad value for plugins.convex.max_retries: expected an integer, got 1.5"),
        ("[plugins.convex]\ntimeout = 0\n", {}, "{file}: plugins.convex.timeout must be positive"),
        ("[convex]\nmax_retries = -1\n", {}, "{file}: plugins.convex.max_retries must be 0 or more"),
        ("[plugins.convex]\nretry_backoff = -0.5\n", {}, "{file}: plugins.convex.retry_backoff must be 0 or more"),
        ("[plugins.convex]\ntimout = 5\n", {},
         "{file}: unknown key plugins.convex.timout; known keys: eval_debug_function, failed_evals_function, "
         "max_retries, retry_backoff, timeout, url"),
        ("", {"EVALANALYSIS_CONVEX_TIMEOUT": "soon"}, "environment EVALANALYSIS_CONVEX_TIMEOUT='soon': expected a number"),
        ("", {"EVALANALYSIS_CONVEX_MAX_RETRIES": "1e3"},
         "environment EVALANALYSIS_CONVEX_MAX_RETRIES='1e3': expected an integer"),
        ("", {"EVALANALYSIS_CONVEX_TIMEOUT": "-1"}, "environment EVALANALYSIS_CONVEX_TIMEOUT: plugins.convex.timeout must be positive"),
    ],
)
def test_the_plugin_checks_its_own_options(tmp_path, toml, env, message):
    """The core passes the table on unchecked (test_config); the source refuses it when built, before the key is read."""
    path = tmp_path / "evalanalysis.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as caught:
        ConvexSource.from_settings(_settings(tmp_path, **env), env={}, note=lambda _: None)
    assert str(caught.value) == message.format(file=path)
    assert caught.value.exit_code == 2


def test_a_bad_option_stops_the_cli_with_exit_2_before_any_request(tmp_path, workdir):
    (workdir / "evalanalysis.toml").write_text("[convex]\ntimeout = -1\n")
    with FakeConvex(admin_key=KEY) as fake:
        result = run_cli(cli_env(tmp_path, fake.url), "analyze", RUN_ID)
        assert fake.requests == []
    assert result.exit_code == 2
    assert result.stderr == (
        "note: [convex] in evalanalysis.toml is deprecated; use [plugins.convex]\n"
        "error: evalanalysis.toml: plugins.convex.timeout must be positive\n"
    )


def test_python_api_reads_a_run_from_convex(tmp_path, monkeypatch, run_bundle):
    import evalanalysis

    with FakeConvex([run_bundle], admin_key=KEY) as fake:
        monkeypatch.setenv("CONVEX_URL", fake.url)
        monkeypatch.setenv("CONVEX_DEPLOY_KEY", KEY)
        analysis = evalanalysis.analyze(URL, settings=_settings(tmp_path), date=DATE)
    assert analysis.run.id == RUN_ID and analysis.pass_rate.startswith("34/40")
    assert sorted(f.eval_id for f in analysis.failures) == sorted(EVAL_IDS)
    assert all(f.classification is not None for f in analysis.failures)


EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "runs"


@pytest.mark.parametrize("example", ["mixed-run.json", "openrouter-run.json", "large-output.json", "all-passed.json"])
def test_example_runs_served_by_the_fake_match_offline(tmp_path, workdir, example):
    bundle = EXAMPLES / example
    run_id = json.loads(bundle.read_text())["summary"]["run"]["_id"]
    with FakeConvex([bundle], admin_key=KEY) as fake:
        live = run_cli(cli_env(tmp_path, fake.url), "analyze", f"https://convex-evals.netlify.app/experiment/e/run/{run_id}",
                       "--date", DATE, "--reports-dir", "live", "--format", "markdown,json")
        failed = len(fake.runs[run_id]["failedEvals"])
        assert fake.calls == ({RUN_FUNCTION: 1, EVAL_FUNCTION: failed} if failed else {RUN_FUNCTION: 1})
    offline = run_cli(cli_env(tmp_path, None), "analyze", str(bundle), "--date", DATE, "--reports-dir", "offline",
                      "--format", "markdown,json")
    assert live.exit_code == offline.exit_code == 0, live.output + offline.output
    assert live.stdout.replace("live/", "offline/") == offline.stdout
    if failed:
        assert files_under(workdir / "live") and files_under(workdir / "live") == files_under(workdir / "offline")
    else:
        assert f"All 66 evals passed in run {run_id}; no report written." in live.stdout
        assert not (workdir / "live").exists()


@pytest.mark.parametrize("example", ["mixed-run.json", "large-output.json", "all-passed.json"])
def test_a_snapshot_from_convex_is_the_bundle_the_run_came_from(tmp_path, workdir, example):
    bundle = EXAMPLES / example
    original = json.loads(bundle.read_text())
    with FakeConvex([bundle], admin_key=KEY) as fake:
        result = run_cli(cli_env(tmp_path, fake.url), "snapshot", original["summary"]["run"]["_id"], "-o", "snap.json")
    assert result.exit_code == 0, result.output
    assert json.loads((workdir / "snap.json").read_text()) == original


def test_a_snapshot_keeps_fields_the_data_model_does_not_know(tmp_path, workdir):
    data = bundles.bundle(FAILURES[:1], total=10)
    data["summary"]["failedEvals"][0]["attempt"] = 2.0
    data["evals"][EVAL_IDS[0]]["outputTokens"] = 1234.0
    with FakeConvex([data], admin_key=KEY) as fake:
        result = run_cli(cli_env(tmp_path, fake.url), "snapshot", RUN_ID, "-o", "snap.json")
    assert result.exit_code == 0, result.output
    assert json.loads((workdir / "snap.json").read_text()) == data


def test_a_key_quoted_in_an_eval_error_stays_out_of_the_snapshot():
    import asyncio

    from evalanalysis.pipeline.snapshot import snapshot_run

    summary = bundles.bundle(FAILURES[:1])["summary"]

    async def call(function, args):
        return summary if function == RUN_FUNCTION else {"error": f"Eval not readable with key {KEY}"}

    source = ConvexSource("http://127.0.0.1:9", KEY)
    source.call = call
    bundle = asyncio.run(snapshot_run(source, RUN_ID))
    assert bundle["evals"] == {EVAL_IDS[0]: {"error": "Eval not readable with key [Convex key]"}}


@pytest.mark.parametrize("fault", ["http:401", "http:503", "error:bad key " + KEY, "drop"])
def test_debug_tracebacks_never_show_the_key(tmp_path, workdir, run_bundle, fault):
    import traceback

    with FakeConvex([run_bundle], admin_key=KEY, faults={"*": [fault]}) as fake:
        env = cli_env(tmp_path, fake.url, EVALANALYSIS_CONVEX_MAX_RETRIES="0")
        result = CliRunner().invoke(main, ["--debug", "analyze", RUN_ID], env=env)
    assert result.exit_code == 1
    shown = "".join(traceback.format_exception(*result.exc_info)) + result.output
    assert "Traceback (most recent call last)" in result.output  # printed by --debug, masked
    assert_no_key(shown)


SECRET_PART = KEY.split("|", 1)[1]


@pytest.mark.parametrize(
    "echo",
    [SECRET_PART, SECRET_PART[2:14], f"token={SECRET_PART[:9]}"],
    ids=["secret part", "a piece of it", "its start"],
)
def test_a_server_that_echoes_the_secret_part_of_the_key_leaks_none_of_it(tmp_path, workdir, run_bundle, echo):
    """Only the part after `|` is secret; a backend quoting it (or a piece) must not put it anywhere."""
    first, second = (f["_id"] for f in json.loads(run_bundle.read_text())["summary"]["failedEvals"][:2])
    faults = {first: [f"error:eval not readable with {echo}"], second: [f"error:Uncaught Error: key {echo}\n  at x"]}
    with FakeConvex([run_bundle], admin_key=KEY, faults=faults) as fake:
        env = cli_env(tmp_path, fake.url, EVALANALYSIS_CONVEX_MAX_RETRIES="0")
        analysed = run_cli(env, "analyze", RUN_ID, "--json", "--format", "markdown,json,html")
        fake.add_faults(first, f"error:eval not readable with {echo}")
        fake.add_faults(RUN_FUNCTION, f"error:no such run for {echo}")
        refused = run_cli(env, "snapshot", RUN_ID, "-o", "snap.json")
        snapped = run_cli(env, "snapshot", RUN_ID, "-o", "snap2.json")
    assert (analysed.exit_code, refused.exit_code, snapped.exit_code) == (0, 1, 0), analysed.output
    reasons = {f["eval_id"]: f["not_analysed_reason"] for f in json.loads(analysed.output)["failures"]}
    assert "[Convex key]" in reasons[first] and "[Convex key]" in reasons[second]
    assert "[Convex key]" in refused.output
    assert "[Convex key]" in json.loads((workdir / "snap2.json").read_text())["evals"][first]["error"]
    files = [p for p in workdir.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".md", ".json", ".html"}
    for text in (analysed.output, refused.output, snapped.output, *(p.read_text() for p in files)):
        pieces = [SECRET_PART[i : i + 8] for i in range(len(SECRET_PART) - 7) if SECRET_PART[i : i + 8] in text]
        assert not pieces, pieces


def test_ids_are_checked_before_any_call(tmp_path, workdir):
    """The real backend answers a malformed id with an ArgumentValidationError: such an id is never sent."""
    import asyncio

    import evalanalysis as ea

    data = bundles.bundle(FAILURES[:2], total=10)
    data["summary"]["failedEvals"][0]["_id"] = "not-an-eval-id"
    with FakeConvex([data], admin_key=KEY) as fake:
        with pytest.raises(ea.BadInput, match="'nope' is not a Convex run id"):
            asyncio.run(ConvexSource(fake.url, KEY).fetch_run("nope"))
        assert fake.calls == {}
        result = run_cli(cli_env(tmp_path, fake.url), "analyze", RUN_ID, "--json")
        debug_calls = [r.args for r in fake.requests if r.function == EVAL_FUNCTION]
    assert result.exit_code == 0, result.output
    assert debug_calls == [{"evalId": EVAL_IDS[1]}]
    failures = {f["eval_id"]: f for f in json.loads(result.output)["failures"]}
    assert failures["not-an-eval-id"]["not_analysed_reason"] == (
        "debug info unavailable: eval id 'not-an-eval-id' is not a Convex id; not fetched"
    )
    assert failures[EVAL_IDS[1]]["classification"] is not None


def test_todays_shape_null_provider_model_slug_and_statuses_with_usage(tmp_path, workdir):
    """Today's backend: `provider` null, `model` the slug of the `models` table, a newer experiment, and
    statuses that carry token usage, cost, durations and storage ids. All accepted, analysed and kept."""
    failures = [
        bundles.failure(1, "000-fundamentals/001-basic_schema", "tsc", "convex/schema.ts(3,5): error TS2322: bad type"),
        bundles.failure(2, "002-queries/014-select_distinct", "eslint", "  3:7  error  'x' is never reassigned  prefer-const"),
        bundles.failure(3, "004-actions/000-fetch", "tests", "1 test failed: expected 3 rows, got 2"),
    ]
    data = bundles.bundle(failures, total=40)
    run = data["summary"]["run"]
    run.update(provider=None, model="moonshotai/kimi-k2.5", experiment="agents_md")
    run["status"] = {"kind": "completed", "durationMs": 9.0e5, "usage": {"inputTokens": 1.2e6, "raw": {"cost": 3.25}}}
    for debug in data["evals"].values():
        debug["eval"]["status"].update(
            usage={"promptTokens": 12000.0, "completionTokens": 3400.0, "totalTokens": 15400.0, "raw": {"cost": 0.0431}},
            generationDurationMs=5123.0, outputStorageId="kg2aaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        )
        debug["run"].update(provider=None, model="moonshotai/kimi-k2.5", experiment="agents_md")
    path = bundles.write(tmp_path / "today.json", data)
    with FakeConvex([path], admin_key=KEY) as fake:
        env = cli_env(tmp_path, fake.url)
        live = run_cli(env, "analyze", RUN_ID, "--date", DATE, "--reports-dir", "live", "--format", "markdown,json")
        snap = run_cli(env, "snapshot", RUN_ID, "-o", "snap.json")
    assert live.exit_code == 0 and snap.exit_code == 0, live.output + snap.output
    report = json.loads((workdir / "live" / "moonshotai" / "moonshotai-kimi-k2.5" / f"jn7aaaaa_{DATE}.json").read_text())
    assert report["run"]["provider"] is None and report["run"]["experiment"] == "agents_md"
    assert len(report["failures"]) == 3 and all(f["classification"] for f in report["failures"])
    kept = json.loads((workdir / "snap.json").read_text())
    assert kept["summary"]["run"]["status"]["usage"] == {"inputTokens": 1.2e6, "raw": {"cost": 3.25}}
    status = kept["evals"][failures[0][0]["_id"]]["eval"]["status"]
    assert status["usage"]["raw"] == {"cost": 0.0431} and status["generationDurationMs"] == 5123.0
    assert status["outputStorageId"] == "kg2aaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    offline = run_cli(cli_env(tmp_path, None), "analyze", "snap.json", "--date", DATE, "--reports-dir", "offline",
                      "--format", "markdown,json")
    assert offline.exit_code == 0 and files_under(workdir / "live") == files_under(workdir / "offline")
