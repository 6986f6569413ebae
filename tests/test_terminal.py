"""What `analyze` shows: a progress bar and a table for a person at a terminal, plain lines for pipes."""

from __future__ import annotations

import contextlib
import io
import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from rich.console import Console

import evalanalysis as ea
from evalanalysis.cli import main
from evalanalysis.cli.terminal import AnalysisProgress, print_summary

ROOT = Path(__file__).resolve().parents[1]
MIXED = ROOT / "examples" / "runs" / "mixed-run.json"
BAR = "\u2501"  # the heavy horizontal line rich draws bars with
TERMINAL_ENV = ("TTY_COMPATIBLE", "TTY_INTERACTIVE", "FORCE_COLOR", "NO_COLOR", "COLUMNS", "LINES")


@pytest.fixture
def run(isolated, monkeypatch):
    """Invokes `evalanalysis` in an empty directory; `terminal=True` makes rich treat the streams as a terminal."""
    for name in TERMINAL_ENV:
        monkeypatch.delenv(name, raising=False)

    def invoke(*args: str, terminal: bool = False):
        env = {"TTY_COMPATIBLE": "1", "COLUMNS": "120"} if terminal else {}
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result

    return invoke


def test_without_a_terminal_there_is_no_bar_and_a_plain_summary(run):
    result = run("analyze", str(MIXED), "--date", "2026-11-25")
    assert result.stderr == ""
    assert BAR not in result.stdout and "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[1] == "Pass rate: 53/66 (80.3%); corrected: 57/66 (86.4%)"
    assert lines[-2:] == [
        "  reports/anthropic/claude-sonnet-4-5/jn7easv5_2026-11-25.md",
        "  reports/anthropic/claude-sonnet-4-5/jn7easv5_2026-11-25.json",
    ]


def test_a_terminal_gets_a_progress_bar_on_stderr_and_a_summary_table(run):
    result = run("analyze", str(MIXED), "--date", "2026-11-25", "--format", "markdown,html", terminal=True)
    assert BAR in result.stderr and "13/13" in result.stderr and "0:00:0" in result.stderr
    assert "Analysing 13 failures" in result.stderr
    assert BAR not in result.stdout
    out = result.stdout
    for text in ("Run analysis: claude-sonnet-4-5", "Pass rate", "53/66 (80.3%)", "Corrected pass rate", "57/66 (86.4%)",
                 "Failures by step", "MODEL_FAULT", "jn7easv5_2026-11-25.md", "jn7easv5_2026-11-25.html"):
        assert text in out, text
    assert "\u2502" in out  # table borders
    assert "LLM usage" not in out  # the rules classifier makes no requests


def test_quiet_prints_only_the_paths_even_in_a_terminal(run):
    result = run("analyze", str(MIXED), "--quiet", terminal=True)
    assert result.stderr == ""
    assert [Path(line).suffix for line in result.stdout.splitlines()] == [".md", ".json"]


def test_json_prints_only_json_even_in_a_terminal(run):
    result = run("analyze", str(MIXED), "--json", terminal=True)
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert len(data["failures"]) == 13 and len(data["reports"]) == 2


def test_the_bar_names_the_failure_being_worked_on():
    console = Console(file=io.StringIO(), force_terminal=True, width=140)
    with AnalysisProgress(console, enabled=True) as progress:
        progress(ea.Progress("run", 0, 3))
        progress(ea.Progress("fetching", 0, 3, "002-queries/004-range_condition"))
        progress(ea.Progress("classifying", 0, 3, "002-queries/004-range_condition"))
        progress(ea.Progress("fetching", 0, 3, "003-mutations/001-insert"))
        assert progress._current() == "fetching 003-mutations/001-insert (+1 more)"
        progress(ea.Progress("done", 1, 3, "003-mutations/001-insert"))
        assert progress._current() == "classifying 002-queries/004-range_condition"
        console.file.truncate(0)
        progress._bar.refresh()
        frame = console.file.getvalue()
        assert "1/3" in frame and "classifying 002-queries/004-range_condition" in frame


def test_a_disabled_bar_writes_nothing():
    console = Console(file=io.StringIO(), force_terminal=True)
    with AnalysisProgress(console, enabled=False) as progress:
        progress(ea.Progress("run", 0, 1))
        progress(ea.Progress("done", 1, 1, "a/b"))
    assert console.file.getvalue() == ""


def test_usage_shows_in_the_table_when_an_llm_was_asked():
    analysis = ea.analyze(str(MIXED), settings=ea.Settings(), date="2026-11-25")
    analysis = attrs.evolve(analysis, usage=ea.Usage(1200, 340, 12, 2))
    console = Console(file=io.StringIO(), force_terminal=True, width=160)
    print_summary(analysis, [Path("r/x.md")], console)
    assert "12 requests, 1200 input / 340 output tokens (2 cached)" in console.file.getvalue()


def _run_in_pty(args: list[str], cwd: Path, *, pipe_stdout: bool) -> tuple[str, str]:
    """Run the CLI with stderr (and stdout unless piped) on a real pseudo-terminal."""
    env = {k: v for k, v in os.environ.items() if k not in TERMINAL_ENV and not k.startswith("EVALANALYSIS_")}
    env.update(TERM="xterm-256color", COLUMNS="120", XDG_CONFIG_HOME=str(cwd / "xdg"))
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from evalanalysis.cli import main; main()", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if pipe_stdout else follower,
        stderr=follower,
    )
    os.close(follower)
    screen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    piped = proc.stdout.read().decode() if pipe_stdout else ""
    assert proc.wait(timeout=30) == 0, screen.decode(errors="replace")
    os.close(leader)
    return screen.decode(errors="replace"), piped


def test_a_real_terminal_shows_the_bar_and_piping_stdout_keeps_it_on_stderr(tmp_path):
    screen, _ = _run_in_pty(["analyze", str(MIXED), "--reports-dir", "a"], tmp_path, pipe_stdout=False)
    assert BAR in screen and "13/13" in screen and "Corrected pass rate" in screen

    # `analyze RUN | tee log`: the person still watches stderr, the log gets plain text.
    screen, piped = _run_in_pty(["analyze", str(MIXED), "--reports-dir", "b"], tmp_path, pipe_stdout=True)
    assert BAR in screen and "13/13" in screen
    assert BAR not in piped and "\x1b[" not in piped
    assert "Pass rate: 53/66 (80.3%)" in piped


ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;SGk=\x07\x9b31m"


def test_terminal_escapes_from_the_database_are_shown_not_obeyed():
    """A run's model, provider, steps and eval paths come from the database: they must not drive the terminal."""
    analysis = ea.analyze(str(MIXED), settings=ea.Settings(), date="2026-11-25")
    first = attrs.evolve(analysis.failures[0], eval_path=f"a/b{ESCAPES}")
    analysis = attrs.evolve(
        analysis,
        run=attrs.evolve(analysis.run, model=f"m{ESCAPES}", provider=f"p{ESCAPES}"),
        failures=(first, *analysis.failures[1:]),
        failures_by_step={f"tests{ESCAPES}": 1},
    )
    table = Console(file=io.StringIO(), force_terminal=True, width=200)
    print_summary(analysis, [Path("r/x.md")], table)
    plain = io.StringIO()
    with contextlib.redirect_stdout(plain):
        print_summary(analysis, [Path("r/x.md")], Console(file=io.StringIO(), force_terminal=False))
    bar = Console(file=io.StringIO(), force_terminal=True, width=200)
    with AnalysisProgress(bar, enabled=True) as progress:
        progress(ea.Progress("run", 0, 1))
        progress(ea.Progress("fetching", 0, 1, first.eval_path))
        bar.file.truncate(0)
        progress._bar.refresh()
    for out in (table.file.getvalue(), plain.getvalue(), bar.file.getvalue()):
        assert "\x1b]" not in out and "\x1b[2J" not in out and "\x9b" not in out and "\x07" not in out
        assert "\\x1b]0;pwned" in out  # visible, so a reader sees something odd is there


LONG_PATH = "003-mutations/005-cascade_delete_nested_documents_with_a_long_name"


def test_at_80_columns_the_bar_keeps_its_count_beside_a_long_eval_path():
    console = Console(file=io.StringIO(), force_terminal=True, width=80, record=True)
    with AnalysisProgress(console, enabled=True) as progress:
        progress(ea.Progress("run", 0, 12))
        for n in range(4):
            progress(ea.Progress("classifying", 0, 12, f"{LONG_PATH}{n}"))
        progress(ea.Progress("done", 4, 12, f"{LONG_PATH}0"))
        console.export_text()  # clears the record
        progress._bar.refresh()
        [line] = [x for x in console.export_text().splitlines() if x.strip()][-1:]
    assert BAR in line and "4/12" in line and "0:00:0" in line and "classifying 003-" in line
    assert len(line.rstrip()) <= 80


def test_at_80_columns_report_paths_are_printed_whole():
    analysis = ea.analyze(str(MIXED), settings=ea.Settings(), date="2026-11-25")
    paths = [Path(f"reports/anthropic/claude-sonnet-4-5/jn7easv5_2026-11-25{s}") for s in (".md", ".json", ".html")]
    console = Console(file=io.StringIO(), force_terminal=True, width=80, record=True)
    print_summary(analysis, paths, console)
    text = console.export_text()
    lines = [line.strip() for line in text.splitlines()]
    for path in paths:
        assert str(path) in lines, lines
    assert "53/66 (80.3%)" in text


@pytest.mark.parametrize(("total", "label"), [(1, "Analysing 1 failure "), (0, "No failed evals")])
def test_the_bar_counts_failures_in_words_that_fit(total, label):
    console = Console(file=io.StringIO(), force_terminal=True, width=120, record=True)
    with AnalysisProgress(console, enabled=True) as progress:
        progress(ea.Progress("run", 0, total))
        console.export_text()
        progress._bar.refresh()
        assert label in console.export_text()


def test_after_the_last_failure_the_bar_says_patterns_are_being_found():
    """An LLM's synthesis of patterns can take a while after the last tick; the bar says what it waits for."""
    console = Console(file=io.StringIO(), force_terminal=True, width=120, record=True)
    with AnalysisProgress(console, enabled=True) as progress:
        progress(ea.Progress("run", 0, 1))
        progress(ea.Progress("classifying", 0, 1, "a/b"))
        progress(ea.Progress("done", 1, 1, "a/b"))
        console.export_text()
        progress._bar.refresh()
        assert "1/1" in (frame := console.export_text()) and "finding patterns across failures" in frame


def test_the_plain_summary_lists_which_failure_got_which_class(run):
    result = run("analyze", str(MIXED), "--date", "2026-11-25")
    lines = result.stdout.splitlines()
    start = lines.index("Failures by class:")
    assert lines[start + 1] == "  MODEL_FAULT (9)"
    assert lines[start + 2] == "      2. 000-fundamentals/006-database_crud  deploy  0.80"
    assert "    and 1 more (--all-failures lists every failure)" in lines
    assert "  OVERLY_STRICT (1)" in lines and "     11. 002-queries/014-select_distinct  eslint  0.85" in lines
    assert "  AMBIGUOUS_TASK (2)" in lines and "      1. 000-fundamentals/002-basic_http_endpoint  tests  0.80" in lines

    every = run("analyze", str(MIXED), "--date", "2026-11-25", "--all-failures", "--reports-dir", "all").stdout
    listed = [line for line in every.splitlines() if line.startswith("    ") and ". " in line]
    assert len(listed) == 13 and "more (--all-failures" not in every


def test_the_terminal_table_names_each_failure_and_its_class(run):
    out = run("analyze", str(MIXED), "--date", "2026-11-25", terminal=True).stdout
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)  # the class names are coloured
    assert "Failures by class" in out
    row = next(line for line in out.splitlines() if "002-queries/014-select_distinct" in line)
    assert "OVERLY_STRICT (1)" in row and "11" in row and "eslint" in row and "0.85" in row
    assert "and 1 more (--all-failures lists every failure)" in out


def _many(n: int) -> ea.RunAnalysis:
    """The mixed run's failures repeated to `n`, every seventh needing review."""
    base = ea.analyze(str(MIXED), settings=ea.Settings(), date="2026-11-25")
    failures = []
    for i in range(n):
        f = base.failures[i % len(base.failures)]
        verdict = attrs.evolve(f.verdict, needs_review=i % 7 == 3, review_reason="disagrees with history")
        failures.append(attrs.evolve(f, eval_path=f"{f.eval_path}_{i:02d}", verdict=verdict))
    return attrs.evolve(base, failures=tuple(failures))


def test_a_run_of_60_failures_stays_readable_and_review_marks_come_first():
    from evalanalysis.cli.terminal import PER_CLASS, render_summary

    analysis = _many(60)
    text = render_summary(analysis, [Path("r/x.md")])
    faults = [f for f in analysis.failures if f.classification == "MODEL_FAULT"]
    listed = [line for line in text.splitlines() if line.startswith("    ") and ". " in line and "more" not in line]
    classes = {f.classification for f in analysis.failures}
    assert len(listed) <= PER_CLASS * len(classes) < 60
    assert f"    and {len(faults) - PER_CLASS} more (--all-failures lists every failure)" in text.splitlines()
    fault_lines = text.split("  MODEL_FAULT")[1].split("\n  ")[0].splitlines()[1:]
    reviewed = sum(1 for f in faults if f.verdict.needs_review)
    assert 0 < reviewed < PER_CLASS
    assert all(line.endswith("needs review") for line in fault_lines[:reviewed])
    assert not any(line.endswith("needs review") for line in fault_lines[reviewed:PER_CLASS])
    every = render_summary(analysis, [], limit=None)
    assert len([line for line in every.splitlines() if line.startswith("    ") and ". " in line]) == 60
    assert "more (--all-failures" not in every

    console = Console(file=io.StringIO(), force_terminal=True, width=120, record=True)
    print_summary(analysis, [Path("r/x.md")], console)
    table = console.export_text()
    assert f"and {len(faults) - PER_CLASS} more" in table and "needs review" in table
    assert len(table.splitlines()) < 80


def test_a_failure_not_analysed_says_why_in_the_summary():
    from evalanalysis.cli.terminal import render_summary

    analysis = ea.analyze(str(MIXED), settings=ea.Settings(), date="2026-11-25")
    lost = attrs.evolve(analysis.failures[0], verdict=None, classification=None, not_analysed_reason="debug info missing")
    text = render_summary(attrs.evolve(analysis, failures=(lost, *analysis.failures[1:])), [])
    assert "  NOT_ANALYSED (1)" in text
    assert "      1. 000-fundamentals/002-basic_http_endpoint  tests  -  not analysed: debug info missing" in text


def test_the_bar_shows_a_batch_and_then_tokens_and_dollars_so_far():
    console = Console(file=io.StringIO(), force_terminal=True, width=200)
    price = ea.Price(3.0, 15.0, 3.75, 0.3, 0.5)
    with AnalysisProgress(console, enabled=True, price=price) as progress:
        progress(ea.Progress("batch", 4, 13, detail="batch msgbatch_01: in_progress"))
        console.file.truncate(0)
        progress._bar.refresh()
        frame = console.file.getvalue()
        assert "Provider batch" in frame and "4/13" in frame and "batch msgbatch_01: in_progress" in frame
        progress(ea.Progress("run", 0, 13))
        used = ea.Usage(12_345, 678, 3, cache_read_tokens=9_000, cost_usd=0.0123)
        progress(ea.Progress("done", 3, 13, "002-queries/004-range_condition", usage=used))
        console.file.truncate(0)
        progress._bar.refresh()
        frame = console.file.getvalue()
        assert "3/13" in frame and "12,345 in / 678 out tok (9,000 cache read) $0.0123" in frame
