"""A new process loads only what its work needs: a warm history lookup, `--help` and `history` stay light.

No timings here (benchmarks/startup.py and benchmarks/history.py measure them):
each case runs in a fresh interpreter and says which modules it ended up with.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from evalanalysis.cli import COMMANDS, main

FIXTURES = Path(__file__).parent / "data" / "reports"

# Libraries that only some paths need: the LLM SDKs and their HTTP client, the report
# renderers, the terminal UI, the markdown parser (the reader's), the plugin machinery.
HEAVY = ("anthropic", "openai", "httpx2", "httpx", "jinja2", "pygments", "rich", "markdown_it", "pluggy")

# Print which of `HEAVY` and of our own modules the code before it loaded.
REPORT = """
import json, sys
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} | {n for n in sys.modules if n.startswith("evalanalysis")})))
"""


def loaded(code: str, *args: str, cwd: Path) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + REPORT, *args], capture_output=True, text=True, check=True, cwd=cwd)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.fixture
def reports(isolated) -> Path:
    folder = isolated / "reports"
    shutil.copytree(FIXTURES, folder)
    return folder


LOOKUP = """
import sys
from evalanalysis.history import open_history
index = open_history(sys.argv[1], cache_dir=sys.argv[2])
print(index.parsed, len(index.prior_findings("anthropic", "claude-opus-4-6", "004-actions/005-storage_http_action")))
"""


def test_a_warm_history_lookup_loads_neither_the_reader_nor_any_heavy_library(reports, isolated):
    cache = isolated / "cache"
    cold = loaded(LOOKUP, str(reports), str(cache), cwd=isolated)
    assert "evalanalysis.history.reader" in cold and "markdown_it" in cold  # the cold build reads the reports

    out = subprocess.run([sys.executable, "-c", LOOKUP, str(reports), str(cache)], capture_output=True, text=True, check=True)
    parsed, found = out.stdout.split()
    assert parsed == "0" and int(found) > 0  # warm: answered from the cache

    warm = loaded(LOOKUP, str(reports), str(cache), cwd=isolated)
    assert not warm & {*HEAVY, "click", "cattrs", "platformdirs"}
    assert not warm & {"evalanalysis.history.reader", "evalanalysis.history.records", "evalanalysis.history.fields",
                        "evalanalysis.config", "evalanalysis.converter"}


def test_importing_the_package_and_history_loads_nothing_else(isolated):
    assert not {n for n in loaded("import evalanalysis", cwd=isolated) if n.startswith("evalanalysis.")}
    history = loaded("import evalanalysis.history", cwd=isolated)
    assert {n for n in history if n.startswith("evalanalysis.")} == {"evalanalysis.history"}
    assert "attrs" not in history


HELP = """
import sys
from evalanalysis.cli import COMMANDS, main
try:
    main(sys.argv[1:], prog_name="evalanalysis")
except SystemExit as exc:
    assert not exc.code, exc.code
"""


CLI_CORE = {"evalanalysis.cli", "evalanalysis.cli.common", "evalanalysis.errors", "evalanalysis.llm", "evalanalysis.llm.redaction"}


@pytest.mark.parametrize(
    "args, ours",
    [
        (["--help"], CLI_CORE),  # no command module at all
        (["history", "--help"], {*CLI_CORE, "evalanalysis.cli.history", "evalanalysis.cli.terminal", "evalanalysis.names"}),
    ],
)
def test_help_imports_no_other_command_and_no_heavy_library(isolated, args, ours):
    found = loaded(HELP, *args, cwd=isolated)
    assert not found & {*HEAVY, "attrs", "cattrs", "platformdirs"}
    assert {n for n in found if n.startswith("evalanalysis.")} <= ours


def test_history_command_loads_neither_the_reader_nor_the_analysis_libraries(reports, isolated):
    first = subprocess.run([sys.executable, "-c", HELP, "history", "--reports-dir", str(reports)], capture_output=True, text=True)
    assert first.returncode == 0 and "findings about" in first.stdout  # builds the cache
    found = loaded(HELP, "history", "--reports-dir", str(reports), cwd=isolated)
    assert not found & set(HEAVY)
    assert not found & {"evalanalysis.history.reader", "evalanalysis.cli.analyze", "evalanalysis.pipeline.orchestrate", "evalanalysis.plugins"}


def test_the_command_table_says_what_each_command_says():
    """`--help` shows the table's help for commands not yet imported: it must be each command's own."""
    import importlib

    real = {}
    for module in sorted({module for module, _ in COMMANDS.values()}):
        for command in importlib.import_module(f"evalanalysis.cli.{module}").COMMANDS:
            real[command.name] = (module, command)
    assert set(real) == set(COMMANDS)
    for name, (module, summary) in COMMANDS.items():
        assert real[name][0] == module
        stand_in = click.Command(name, help=summary)
        for limit in (10, 30, 45, 60, 80, 200):
            assert stand_in.get_short_help_str(limit) == real[name][1].get_short_help_str(limit), name
        assert not real[name][1].hidden and not real[name][1].deprecated


def test_help_lists_the_same_commands_before_and_after_they_are_loaded(isolated):
    code = """
import sys
from click.testing import CliRunner
from evalanalysis.cli import COMMANDS, main
runner = CliRunner()
before = runner.invoke(main, ["--help"], terminal_width=int(sys.argv[1])).output
assert not main.commands, sorted(main.commands)
for name in COMMANDS:
    main.get_command(None, name)
after = runner.invoke(main, ["--help"], terminal_width=int(sys.argv[1])).output
print(before == after)
print(before)
"""
    for width in ("60", "80", "200"):
        out = subprocess.run([sys.executable, "-c", code, width], capture_output=True, text=True, check=True, cwd=isolated).stdout
        assert out.startswith("True\n"), out
        assert all(f"  {name} " in out for name in COMMANDS)


def test_an_unknown_command_still_suggests_the_close_ones(cli):
    result = cli("histroy")
    assert result.exit_code == 2
    assert "No such command 'histroy'. Did you mean 'history'?" in result.output
    assert main.get_command(None, "nope") is None
