"""Faults and conventions at the edges: interrupts, broken plugins, slow providers, injected instructions,
bad `--eval` arguments, and where progress is shown."""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from evalanalysis.cli import main
from evalanalysis.cli.terminal import AnalysisProgress

from . import bundles
from .fakes.llm_servers import FakeAnthropic, FakeOpenAI, Fault, Reply

ROOT = Path(__file__).resolve().parents[1]
MIXED = ROOT / "examples" / "runs" / "mixed-run.json"
TERMINAL_ENV = ("TTY_COMPATIBLE", "TTY_INTERACTIVE", "FORCE_COLOR", "NO_COLOR", "COLUMNS", "LINES", "TERM")


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment a user's shell would give, without our settings, keys or rich's terminal overrides."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("EVALANALYSIS_", "ANTHROPIC_", "OPENAI_", "CONVEX_")) and k not in TERMINAL_ENV}
    env.update(XDG_CONFIG_HOME=str(tmp / "xdg-config"), XDG_CACHE_HOME=str(tmp / "xdg-cache"), TERM="xterm-256color",
               PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


# ------------------------------------------------------------------------- progress


def test_the_progress_decision_follows_stderr_and_the_quiet_flags(monkeypatch):
    for name in TERMINAL_ENV:
        monkeypatch.delenv(name, raising=False)
    master, slave = pty.openpty()
    read_end, write_end = os.pipe()
    with os.fdopen(slave, "w") as terminal, os.fdopen(write_end, "w") as pipe:
        assert AnalysisProgress.for_command(quiet=False, stderr=Console(file=terminal)).enabled
        assert not AnalysisProgress.for_command(quiet=True, stderr=Console(file=terminal)).enabled
        assert not AnalysisProgress.for_command(quiet=False, stderr=Console(file=pipe)).enabled
    os.close(master)
    os.close(read_end)


# -------------------------------------------------------------------------- actions


@pytest.fixture
def mixed_report(cli) -> Path:
    """The rules engine's markdown report on the mixed example, written in the isolated directory."""
    result = cli("analyze", str(MIXED), "--reports-dir", "out", "--date", "2026-11-25", "--quiet")
    assert result.exit_code == 0, result.output
    return next(Path("out").rglob("*.md"))


def test_an_eval_that_is_not_a_failure_of_the_report_is_refused(cli, mixed_report):
    before = mixed_report.read_bytes()
    typo = cli("actions", str(mixed_report), "--add", "Relaxed the range test", "--eval", "002-queries/004-range_conditon")
    assert typo.exit_code == 2
    assert "'002-queries/004-range_conditon' is not a failure in" in typo.output
    assert "did you mean 002-queries/004-range_condition?" in typo.output
    garbage = cli("actions", str(mixed_report), "--add", "Relaxed the range test", "--eval", "garbage")
    assert garbage.exit_code == 2 and "its failures are 000-fundamentals/" in garbage.output
    assert "Traceback" not in garbage.output
    assert mixed_report.read_bytes() == before
    assert cli("actions", str(mixed_report), "--add", "Relaxed the range test",
               "--eval", "002-queries/004-range_condition").exit_code == 0
    assert "Relaxed the range test (evals: `002-queries/004-range_condition`)" in mixed_report.read_text()


# ----------------------------------------------------------------------- interrupts


def _command(how: str) -> list[str]:
    script = Path(sys.executable).with_name("evalanalysis")
    if how == "script":
        if not script.exists():
            pytest.skip("the evalanalysis console script is not installed beside this interpreter")
        return [str(script)]
    return [sys.executable, "-m", "evalanalysis"]


# A module of ours other than the entry point: imported only once `main()` runs.
FIRST_OWN_IMPORT = re.compile(r"\|\s+evalanalysis\.(?!__main__)\w+")


@pytest.mark.parametrize("how", ["script", "module"])
def test_ctrl_c_at_any_moment_says_interrupted_and_exits_130(tmp_path, how):
    """Signals land while the CLI is imported, while plugins load and during the run (requests in flight).

    Each delay counts from the moment the entry point starts importing the CLI (`-X importtime` says
    when), so the interpreter's own start-up, which no program can guard, is left out; the fake's
    latency keeps every run alive until the signal comes.
    """
    with FakeOpenAI() as fake:
        fake.latency = 30.0
        fake.responder = lambda body: Reply.json({})
        for delay in (0.0, 0.05, 0.2, 0.4, 1.5):
            env = clean_env(tmp_path, PYTHONPROFILEIMPORTTIME="1", **fake.env())
            proc = subprocess.Popen(
                [*_command(how), "analyze", str(MIXED), "--classifier", "openai", "--reports-dir", "out"],
                cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
            )
            try:
                seen = []
                for line in proc.stderr:
                    seen.append(line)
                    if FIRST_OWN_IMPORT.search(line):
                        break
                time.sleep(delay)
                proc.send_signal(signal.SIGINT)
                out, err = proc.communicate(timeout=60)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            err = "".join(seen) + err
            messages = "\n".join(l for l in err.splitlines() if not l.startswith("import time:"))
            # 130 is what the CLI exits with. Rarely (2 runs in about 80 of `-m`, the signal landing while
            # httpx2 is imported) CPython ends the process by the signal itself after our handler has run;
            # a shell shows that as 130 too, and the message is the same, so both count.
            assert (proc.returncode in (130, -signal.SIGINT), messages.strip()) == (True, "interrupted"), (delay, err[-2000:])
            assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ provider waits


def one_failure(tmp: Path) -> Path:
    return bundles.write(tmp / "one.json", bundles.bundle([
        bundles.failure(1, "002-queries/003-fetch", "tests", "Tests: 1 failed | 3 passed (4)\nAssertionError: expected 2 to equal 3")
    ]))


def a_verdict(cls: str) -> dict:
    return {"classification": cls, "reasoning": "The fake decided. It read the evidence.", "error_summary": "x",
            "model_snippet": None, "expected_snippet": None, "confidence": 0.8, "evidence": [], "tags": []}


def analyse_in_subprocess(tmp: Path, bundle: Path, provider: str, env: dict[str, str], *extra: str):
    """The CLI in its own process, so a run that sleeps for an hour fails the test instead of hanging it."""
    proc = subprocess.run(
        [sys.executable, "-m", "evalanalysis", "analyze", str(bundle), "--classifier", provider, "--no-synthesis",
         "--json", *extra],
        cwd=tmp, env=clean_env(tmp, **env), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
    )
    return proc


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_a_provider_asking_to_wait_an_hour_is_not_waited_for(tmp_path, provider):
    bundle = one_failure(tmp_path)
    fake_cls = FakeAnthropic if provider == "anthropic" else FakeOpenAI
    with fake_cls() as fake:
        fake.responder = lambda body: Fault(429, {"retry-after": "3600"}, message="slow down")
        proc = analyse_in_subprocess(tmp_path, bundle, provider, fake.env())
    assert proc.returncode == 1, proc.stderr  # nothing could be analysed
    assert fake.count == 1  # asked once, never retried
    failure = json.loads(proc.stdout)["failures"][0]
    assert failure["classification"] is None
    reason = failure["not_analysed_reason"]
    assert "HTTP 429" in reason and "slow down" in reason
    assert "the provider asked to wait 3600 s before retrying, longer than classifier.max_retry_wait (30 s)" in reason


def analyse_in_process(bundle: Path, provider: str, env: dict[str, str], *extra: str):
    return CliRunner().invoke(main, ["analyze", str(bundle), "--classifier", provider, "--no-synthesis", "--json",
                                     *extra], env=env, catch_exceptions=False)


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_a_short_retry_after_is_waited_for_and_the_retry_succeeds(isolated, provider):
    bundle = one_failure(isolated)
    fake_cls = FakeAnthropic if provider == "anthropic" else FakeOpenAI
    with fake_cls() as fake:
        fake.script(Fault(429, {"retry-after": "0.1"}), Reply.json(a_verdict("KNOWN_GAP")))
        result = analyse_in_process(bundle, provider, fake.env())
    assert result.exit_code == 0, result.output
    assert fake.count == 2
    assert json.loads(result.stdout)["failures"][0]["classification"] == "KNOWN_GAP"


def test_the_wait_cap_is_a_setting(isolated):
    bundle = one_failure(isolated)
    with FakeAnthropic() as fake:
        fake.script(Fault(429, {"retry-after": "0.5"}), Reply.json(a_verdict("KNOWN_GAP")))
        result = analyse_in_process(bundle, "anthropic", {**fake.env(), "EVALANALYSIS_CLASSIFIER_MAX_RETRY_WAIT": "0.2"})
    assert fake.count == 1 and result.exit_code == 1
    reason = json.loads(result.stdout)["failures"][0]["not_analysed_reason"]
    assert "asked to wait 0.5 s before retrying, longer than classifier.max_retry_wait (0.2 s)" in reason


# -------------------------------------------------------------------------- plugins


def install_plugin(monkeypatch, tmp: Path, name: str, code: str) -> None:
    """A throwaway distribution with one `evalanalysis` entry point `name`, importable from `tmp/site`."""
    site = tmp / "site"
    module = f"evalanalysis_test_{name}_{tmp.name}".replace("-", "_")
    (site / f"{module}-0.dist-info").mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(textwrap.dedent(code))
    (site / f"{module}-0.dist-info" / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 0\n")
    (site / f"{module}-0.dist-info" / "entry_points.txt").write_text(f"[evalanalysis]\n{name} = {module}\n")
    monkeypatch.syspath_prepend(str(site))


def test_a_failing_reporter_still_leaves_the_markdown_report_and_is_named(isolated, cli, monkeypatch):
    install_plugin(monkeypatch, isolated, "boom", """
        from evalanalysis import hookimpl

        class Boom:
            suffix = ".boom"

            def render(self, analysis):
                return analysis.no_such_field

        @hookimpl
        def register_reporters(register):
            register("boom", lambda settings: Boom())
    """)
    result = cli("analyze", str(MIXED), "--format", "markdown,json,boom", "--reports-dir", "out", "--date", "2026-11-25")
    assert result.exit_code == 1
    assert "reporter 'boom' (AttributeError:" in result.output and "Traceback" not in result.output
    written = sorted(p.name for p in (isolated / "out").rglob("*.*"))
    assert written == ["jn7easv5_2026-11-25.json", "jn7easv5_2026-11-25.md"]
    assert "jn7easv5_2026-11-25.md" in result.output
    assert "## Per-failure analysis" in next((isolated / "out").rglob("*.md")).read_text()


TYPO_PLUGIN = """
    from evalanalysis import hookimpl

    @hookimpl
    def register_classifier(register):  # missing "s"
        register("typo", None)
"""


def test_a_broken_plugin_is_listed_and_stops_only_the_commands_that_select_it(isolated, cli, monkeypatch):
    install_plugin(monkeypatch, isolated, "typo", TYPO_PLUGIN)
    install_plugin(monkeypatch, isolated, "noimport", "import evalanalysis_no_such_dependency\n")
    install_plugin(monkeypatch, isolated, "raises", RAISING_PLUGIN)
    listed = cli("plugins")
    assert listed.exit_code == 0, listed.output
    assert "rules" in listed.output and "broken (not loaded):" in listed.output
    assert "register_classifier, which is not a hook" in listed.output
    assert "noimport" in listed.output and "failed to import: ModuleNotFoundError" in listed.output
    assert "its register_reporters hook raised KeyError" in listed.output
    rows = json.loads(cli("plugins", "--json").stdout)
    broken = {r["name"]: r for r in rows if r["role"] == "broken"}
    assert set(broken) == {"typo", "noimport", "raises"} and "not a hook" in broken["typo"]["error"]
    assert not any(r["name"] == "half" for r in rows)  # what it registered before raising is left out with it
    assert cli("config").exit_code == 0
    assert cli("analyze", str(MIXED), "--reports-dir", "out", "--quiet").exit_code == 0
    for name in ("typo", "noimport", "raises"):
        chosen = cli("analyze", str(MIXED), "--classifier", name, "--reports-dir", "out2")
        assert chosen.exit_code == 1, chosen.output
        assert f"classifier {name!r} is not available: plugin {name!r}" in chosen.output and "is broken" in chosen.output
    assert not (isolated / "out2").exists()
    typo = cli("analyze", str(MIXED), "--classifier", "tpyo")
    assert typo.exit_code == 2 and "broken plugins that may provide it: noimport" in typo.output


RAISING_PLUGIN = """
    from evalanalysis import hookimpl

    @hookimpl
    def register_classifiers(register):
        register("half", lambda settings: None)

    @hookimpl
    def register_reporters(register):
        raise KeyError("missing setting")
"""


BUGGY_SOURCE = """
    import json
    from evalanalysis import SourceError, hookimpl, structure_run_summary

    class Buggy:
        def __init__(self, settings, run):
            self.path = run.bundle
            self.mode = settings.plugin_options("buggy").get("mode", "bug")

        async def fetch_run(self, run_id):
            with open(self.path, encoding="utf-8") as f:
                return structure_run_summary(json.load(f)["summary"])

        async def fetch_eval(self, failed):
            if self.mode == "documented":
                raise SourceError("the backend lost this eval")
            return failed.no_such_field

    @hookimpl
    def register_sources(register):
        register("buggy", Buggy)
"""


def test_a_bug_in_a_source_plugin_stops_the_run_naming_the_plugin(isolated, cli, monkeypatch):
    install_plugin(monkeypatch, isolated, "buggy", BUGGY_SOURCE)
    result = cli("analyze", str(MIXED), "--source", "buggy", "--reports-dir", "out")
    assert result.exit_code == 1
    line = result.output.strip()
    assert line.startswith("error: the source plugin evalanalysis_test_buggy_")
    assert "failed on " in line and "AttributeError: 'FailedEval' object has no attribute 'no_such_field'" in line
    assert "a bug in the plugin" in line and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    debug = CliRunner().invoke(main, ["--debug", "analyze", str(MIXED), "--source", "buggy", "--reports-dir", "out"])
    # --debug prints the whole (masked) traceback, the plugin's own line in it, and keeps the exit code
    assert debug.exit_code == 1 and "Traceback (most recent call last)" in debug.output
    assert "AttributeError" in debug.output and "return failed.no_such_field" in debug.output


def test_a_run_where_nothing_could_be_analysed_exits_1_after_writing_the_report(isolated, cli, monkeypatch):
    install_plugin(monkeypatch, isolated, "buggy", BUGGY_SOURCE)
    (isolated / "evalanalysis.toml").write_text('[plugins.buggy]\nmode = "documented"\n')
    result = cli("analyze", str(MIXED), "--source", "buggy", "--reports-dir", "out", "--date", "2026-11-25")
    assert result.exit_code == 1
    assert "error: none of the 13 failures could be analysed: debug info unavailable: the backend lost this eval" in result.output
    report = next((isolated / "out").rglob("*.md")).read_text()
    assert report.count("debug info unavailable: the backend lost this eval") >= 13
