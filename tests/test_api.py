"""`evalanalysis.analyze` and `write_analysis` from a script: the analysis back, and the paths of what was written."""

from __future__ import annotations

from pathlib import Path

import pytest

import evalanalysis as ea

ROOT = Path(__file__).resolve().parents[1]
MIXED = ROOT / "examples" / "runs" / "mixed-run.json"
ALL_PASSED = ROOT / "examples" / "runs" / "all-passed.json"
DATE = "2026-11-25"


def test_a_script_gets_the_paths_it_wrote(isolated):
    settings = ea.load_config(overrides={"analyze.formats": ["markdown", "json"], "analyze.history": False})
    analysis = ea.analyze(str(MIXED), settings=settings, date=DATE)
    paths = ea.write_analysis(analysis, settings)
    folder = Path("reports/anthropic/claude-sonnet-4-5")
    assert paths == [folder / f"jn7easv5_{DATE}.md", folder / f"jn7easv5_{DATE}.json"]
    assert all(p.is_file() for p in paths)
    assert ea.write_analysis(analysis, settings) == [folder / f"jn7easv5_{DATE}_2.md", folder / f"jn7easv5_{DATE}_2.json"]


def test_write_true_writes_markdown_and_the_configured_formats_and_returns_the_analysis(isolated):
    analysis = ea.analyze(str(MIXED), overrides={"analyze.formats": ["json"], "analyze.reports_dir": "out"}, date=DATE, write=True)
    assert isinstance(analysis, ea.RunAnalysis) and analysis.failures
    assert sorted(p.name for p in Path("out").rglob("*") if p.is_file()) == [f"jn7easv5_{DATE}.json", f"jn7easv5_{DATE}.md"]


def test_a_run_without_failures_writes_nothing(isolated):
    analysis = ea.analyze(str(ALL_PASSED), write=True)
    assert ea.write_analysis(analysis) == []
    assert not Path("reports").exists()


def test_overrides_are_checked_and_do_not_mix_with_settings(isolated):
    with pytest.raises(ea.ConfigError, match="unknown setting 'concurrency'"):
        ea.analyze(str(MIXED), overrides={"concurrency": 2})
    with pytest.raises(TypeError, match="either settings or overrides"):
        ea.analyze(str(MIXED), settings=ea.Settings(), overrides={"analyze.concurrency": 2})
