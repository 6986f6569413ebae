"""Fixtures shared by the CLI tests: an isolated working directory and the CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from evalanalysis.cli import main

# Settings and secrets a developer's shell may hold; no test may see them.
INHERITED = ("EVALANALYSIS_", "ANTHROPIC_", "OPENAI_", "CONVEX_")


RESOLVED = ("anthropic", "openai", "httpx2", "click", "pluggy", "attrs", "cattrs", "rich", "jinja2", "playwright")


def pytest_report_header(config) -> str:
    """Users (and CI) get whatever pip resolves today: the run says which versions it tested."""
    from importlib.metadata import PackageNotFoundError, version

    def found(name: str) -> str:
        try:
            return f"{name} {version(name)}"
        except PackageNotFoundError:
            return f"{name} (not installed)"

    return "resolved: " + ", ".join(found(name) for name in RESOLVED)


@pytest.fixture(autouse=True, scope="session")
def _prompt_log_kept_out_of_home(tmp_path_factory):
    """Every LLM test logs its prompts: into a directory of the test run, never the developer's data dir."""
    saved = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    yield
    if saved is None:
        os.environ.pop("XDG_DATA_HOME", None)
    else:
        os.environ["XDG_DATA_HOME"] = saved


@pytest.fixture(autouse=True)
def _registered_secrets_forgotten():
    """A key a classifier registers is masked for the rest of its process; a test is such a process,
    so what one test registered (a fake's key) masks nothing in the next, whatever order they run in."""
    from evalanalysis.llm import redaction

    with redaction._lock:
        saved = dict(redaction._registered)
    yield
    with redaction._lock:
        redaction._registered.clear()
        redaction._registered.update(saved)


@pytest.fixture
def isolated(tmp_path, monkeypatch) -> Path:
    """`tmp_path` as the working directory, with no user config and no inherited settings or keys."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    for name in list(os.environ):
        if name.startswith(INHERITED):
            monkeypatch.delenv(name)
    return tmp_path


@pytest.fixture
def cli(isolated):
    """Runs the CLI in-process in the isolated directory: `cli("analyze", ...)`."""
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), catch_exceptions=False)
