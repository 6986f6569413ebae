"""`evalanalysis cache info` and `cache clear`: counts, sizes and ages of the LLM result cache, and removal by age."""

from __future__ import annotations

import json
import os
import time

import pytest
from click.testing import CliRunner

import evalanalysis as ea
from evalanalysis import ResultCache
from evalanalysis.cli import main
from evalanalysis.llm.cache import cache_key

DAY = 86400


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env or {}, catch_exceptions=False)


@pytest.fixture
def cache_dir(isolated, monkeypatch):
    folder = isolated / "cache"
    monkeypatch.setenv("EVALANALYSIS_CACHE_DIR", str(folder))
    return folder


def fill(folder, ages_in_days: list[float]) -> list:
    """One LLM result per age, its file's mtime set that many days back; the paths, in order."""
    cache = ResultCache(folder)
    paths = []
    now = time.time()
    for n, age in enumerate(ages_in_days):
        key = cache_key(kind="verdict", provider="anthropic", model="m", taxonomy=ea.DEFAULT_TAXONOMY, system="s", user=f"u{n}")
        cache.put(key, "verdict", {"classification": "MODEL_FAULT", "n": n}, ea.Usage(10, 2, 1), provider="anthropic", model="m")
        path = cache.path(key)
        os.utime(path, (now - age * DAY, now - age * DAY))
        paths.append(path)
    return paths


def info() -> dict:
    result = run("cache", "info", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_info_counts_entries_sizes_and_ages(cache_dir):
    empty = info()
    assert empty["dir"] == str(cache_dir) and empty["llm"]["entries"] == 0 and empty["llm"]["oldest"] is None
    assert empty["history"] is None
    paths = fill(cache_dir, [40, 10, 0])
    (paths[0].parent / ".leftover.tmp").write_text("half an entry")  # not an entry
    data = info()
    assert data["llm"]["entries"] == 3
    assert data["llm"]["bytes"] == sum(p.stat().st_size for p in paths)
    oldest = time.time() - 40 * DAY
    assert abs(ea_time(data["llm"]["oldest"]) - oldest) < 5 and abs(ea_time(data["llm"]["newest"]) - time.time()) < 60
    text = run("cache", "info")
    assert text.exit_code == 0
    assert f"Cache directory: {cache_dir}" in text.output and "LLM results: 3 entries" in text.output
    assert "History cache: none" in text.output


def ea_time(iso: str) -> float:
    import datetime as dt

    return dt.datetime.fromisoformat(iso).timestamp()


def test_info_covers_the_history_cache_in_the_same_dir(cache_dir, isolated):
    reports = isolated / "reports" / "anthropic" / "m"
    reports.mkdir(parents=True)
    from evalanalysis import open_history

    (reports / "x.md").write_text("# not a real report\n")
    open_history(isolated / "reports", cache_dir=cache_dir)
    hist = info()["history"]
    assert hist is not None and hist["path"] == str(cache_dir / "history.sqlite3") and hist["bytes"] > 0
    assert isinstance(hist["reports"], int)
    assert "History cache: " in run("cache", "info").output


def test_clear_older_than_removes_only_old_entries(cache_dir):
    old, middle, new = fill(cache_dir, [40, 10, 0.1])
    result = run("cache", "clear", "--older-than", "30")
    assert result.exit_code == 0, result.output
    assert "Removed 1 LLM results older than 30 days" in result.output and "2 newer kept" in result.output
    assert not old.exists() and middle.exists() and new.exists()
    assert info()["llm"]["entries"] == 2
    result = run("cache", "clear", "--older-than", "0.5")
    assert "Removed 1 LLM results older than 0.5 days" in result.output
    assert not middle.exists() and new.exists()
    result = run("cache", "clear")
    assert result.exit_code == 0 and "Removed 1 LLM results" in result.output
    assert info()["llm"]["entries"] == 0
    assert not any((cache_dir / "llm").iterdir())  # the emptied folders went too
    assert "Removed 0 LLM results" in run("cache", "clear").output


@pytest.mark.parametrize("value", ["-1", "abc", "nan", "inf", ""])
def test_clear_refuses_a_bad_age_in_one_line(cache_dir, value):
    (kept,) = fill(cache_dir, [40])
    result = run("cache", "clear", f"--older-than={value}")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --older-than takes a number of days") and len(result.stderr.splitlines()) == 1
    assert kept.exists()


def test_a_cached_result_still_serves_after_clear_of_others(cache_dir):
    """What clear keeps is still a valid entry the classifiers read."""
    paths = fill(cache_dir, [5, 50])
    run("cache", "clear", "--older-than", "20")
    key = paths[0].stem
    assert ResultCache(cache_dir).get(key, "verdict")[0]["n"] == 0
