"""Faults and conventions at the edges: interrupts, broken plugins, slow providers, injected instructions,
bad `--eval` arguments, and where progress is shown."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from rich.console import Console

from evalanalysis.cli.terminal import AnalysisProgress

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


def test_progress_shows_on_a_terminal_stderr_even_when_stdout_is_piped(tmp_path):
    master, slave = pty.openpty()
    seen = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                return
            if not chunk:
                return
            seen.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "evalanalysis", "analyze", str(MIXED), "--reports-dir", "out", "--date", "2026-11-25"],
            cwd=tmp_path, env=clean_env(tmp_path), stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL,
            timeout=120,
        )
    finally:
        os.close(slave)
        reader.join(timeout=10)
        os.close(master)
    assert proc.returncode == 0
    bar = seen.decode(errors="replace")
    assert "Analysing 13 failures" in bar and "13/13" in bar
    assert "Analysing" not in proc.stdout.decode()  # stdout keeps the plain summary
    assert "Reports:" in proc.stdout.decode()


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
