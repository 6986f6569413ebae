"""Faults and conventions at the edges: interrupts, broken plugins, slow providers, injected instructions,
bad `--eval` arguments, and where progress is shown."""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from evalanalysis.cli.terminal import AnalysisProgress

from .fakes.llm_servers import FakeOpenAI, Fault, Reply

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
            assert (proc.returncode, messages.strip()) == (130, "interrupted"), (delay, err[-2000:])
            assert not (tmp_path / "out").exists()
