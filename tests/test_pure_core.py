"""`analyze_run` is pure: handed a source, a classifier, a history snapshot and today's date, it opens no
file, directory or database, connects nowhere and reads no clock, while history really is used."""

from __future__ import annotations

import asyncio
import datetime
import json
import sys
import threading
import time
from pathlib import Path

import pytest

import evalanalysis as ea

ROOT = Path(__file__).resolve().parent.parent
MIXED = ROOT / "examples" / "runs" / "mixed-run.json"
EARLIER_RUN = "jn7fffffffffffffffffffffffffffff"

# Audit events that mean I/O: files and directories, databases, the network, other processes.
IO_EVENTS = ("open", "os.scandir", "os.listdir", "os.mkdir", "os.rename", "os.remove", "os.chmod", "shutil.",
             "sqlite3.connect", "socket.connect", "socket.getaddrinfo", "subprocess.Popen", "os.system", "os.exec")

_recording: list[list[str]] = []


def _hook(event: str, args: tuple) -> None:
    if _recording and event.startswith(IO_EVENTS):
        where = "" if threading.current_thread() is threading.main_thread() else "[worker] "
        _recording[-1].append(f"{where}{event} {args[0] if args else ''}")


sys.addaudithook(_hook)  # audit hooks cannot be removed: this one records only inside `recording()`


class recording:
    def __enter__(self) -> list[str]:
        _recording.append([])
        return _recording[-1]

    def __exit__(self, *exc: object) -> None:
        _recording.pop()


class _NoClock(datetime.date):
    @classmethod
    def today(cls):  # type: ignore[override]
        raise AssertionError("the core read today's date")


class _NoDateTime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        raise AssertionError("the core read the clock")


def _no_wall_clock() -> float:
    raise AssertionError("the core read the clock")


@pytest.fixture
def earlier_reports(tmp_path: Path) -> Path:
    """A reports directory holding the report of an earlier run of the same model (same failures)."""
    data = json.loads(MIXED.read_text())
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps(data).replace(data["summary"]["run"]["_id"], EARLIER_RUN))
    reports = tmp_path / "reports"
    settings = ea.load_config(overrides={"analyze.reports_dir": str(reports), "cache.dir": str(tmp_path / "cache")})
    ea.analyze(str(earlier), settings=settings, date="2026-11-01", write=True)
    assert list(reports.rglob("*.md"))
    return reports


def test_analyze_run_does_no_io_and_reads_no_clock_yet_finds_repeats(earlier_reports, tmp_path, monkeypatch):
    settings = ea.load_config(overrides={"analyze.reports_dir": str(earlier_reports), "cache.dir": str(tmp_path / "cache")})
    workspace = ea.Workspace(settings)
    ref = ea.resolve_run(str(MIXED))
    source = workspace.source(ref)  # the bundle is read here, by the composition root
    classifier = workspace.classifier()
    summary = asyncio.run(ea.fetch_summary(source, ref.run_id))
    snapshot = workspace.history_snapshot(summary)  # the reports directory and its cache are read here

    def run():
        return asyncio.run(ea.analyze_run(ref.run_id, source=source, classifier=classifier, history=snapshot,
                                          summary=summary, date="2026-11-25", taxonomy=settings.taxonomy))

    run()  # once unobserved, so what is imported on first use is imported
    monkeypatch.setattr(datetime, "date", _NoClock)
    monkeypatch.setattr(datetime, "datetime", _NoDateTime)
    monkeypatch.setattr(time, "time", _no_wall_clock)
    with recording() as events:
        analysis = run()
    monkeypatch.undo()

    assert events == []
    assert analysis.date == "2026-11-25"
    assert len(analysis.failures) == 13
    assert all(f.repeat_of is not None and f.repeat_of.run_id == EARLIER_RUN for f in analysis.failures)
    assert all(f.repeat_of.report.startswith(str(earlier_reports)) for f in analysis.failures)


def test_the_audit_hook_sees_what_a_history_lookup_reads(earlier_reports, tmp_path):
    """The check above could not pass by seeing nothing: the same lookups through the index are caught."""
    settings = ea.load_config(overrides={"analyze.reports_dir": str(earlier_reports), "cache.dir": str(tmp_path / "other-cache")})
    workspace = ea.Workspace(settings)
    summary = asyncio.run(ea.fetch_summary(workspace.source(ea.resolve_run(str(MIXED))), None))
    with recording() as events:
        snapshot = workspace.history_snapshot(summary)
    assert any(e.startswith("os.scandir") for e in events)  # called directly: in this (the main) thread
    assert any(e.startswith("sqlite3.connect") for e in events)
    assert any(e.startswith("open") and e.endswith(".md") for e in events)
    assert snapshot.prior_findings("anthropic", "claude-sonnet-4-5", summary.failed_evals[0].eval_path)


def test_workspace_analysis_reads_history_off_the_event_loop(earlier_reports, tmp_path):
    """The composition root's own path: the same repeats, found through `evalanalysis.analyze`."""
    settings = ea.load_config(overrides={"analyze.reports_dir": str(earlier_reports), "cache.dir": str(tmp_path / "cache")})
    ea.analyze(str(MIXED), settings=settings, date="2026-11-20")  # warm: imports done, so only history is read below
    with recording() as events:
        analysis = ea.analyze(str(MIXED), settings=settings, date="2026-11-25")
    assert all(f.repeat_of is not None and f.repeat_of.run_id == EARLIER_RUN for f in analysis.failures)
    reads = [e for e in events if str(earlier_reports) in e or "sqlite3" in e]
    assert reads and all(e.startswith("[worker] ") for e in reads)


def test_unreadable_history_is_worded_the_same_through_the_snapshot(tmp_path):
    """The snapshot keeps what the history raised, so the warning is the one analyze_run gives directly."""

    class Broken:
        def prior_findings(self, provider, model, eval_path):
            raise OSError("reports/acme: permission denied")

    settings = ea.load_config(overrides={"cache.dir": str(tmp_path / "cache")})
    analysis = ea.analyze(str(MIXED), settings=settings, history=Broken(), date="2026-11-25")
    assert analysis.warnings[-1] == "prior reports unreadable: OSError: reports/acme: permission denied (and for 12 more evals)"
    assert all(f.analysed for f in analysis.failures)


def test_merging_repeat_runs_does_no_io_and_reads_no_clock(tmp_path, monkeypatch):
    """`collation.repeats.merge_runs`, the core of `analyze RUN1 RUN2 ...`, is pure as `analyze_run` is."""
    from evalanalysis.collation.repeats import merge_runs

    from .bundles import REPEAT_RUN_IDS, write_repeat_runs

    settings = ea.load_config(overrides={"analyze.history": False, "cache.dir": str(tmp_path / "cache")})
    analyses = [ea.analyze(str(p), settings=settings, date="2026-11-25") for p in write_repeat_runs(tmp_path / "runs")]
    merge_runs(analyses)  # once unobserved, so what is imported on first use is imported
    monkeypatch.setattr(datetime, "date", _NoClock)
    monkeypatch.setattr(datetime, "datetime", _NoDateTime)
    monkeypatch.setattr(time, "time", _no_wall_clock)
    with recording() as events:
        merged = merge_runs(analyses)
    monkeypatch.undo()
    assert events == []
    assert merged.run_ids == REPEAT_RUN_IDS and merged.date == "2026-11-25"
    assert sorted({f.runs_failed for f in merged.failures}) == [2, 3]


def test_the_site_index_and_page_are_built_without_io_or_clock(tmp_path, monkeypatch):
    """`evalanalysis site`: only `load_reports` (and writing the page) touch the disk; `build_index` and
    `render_site` are pure, while the same reports read through `load_reports` are seen reading."""
    from evalanalysis.site import build_index, load_reports, render_site

    from . import site_reports

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    reports = site_reports.gap_reports(tmp_path)
    with recording() as reads:
        loaded, warnings = load_reports(reports, cache_dir=tmp_path / "cache")
    assert any(e.startswith("open") and e.endswith(".json") for e in reads)
    render_site(build_index(loaded, warnings), "../reports/")  # once unobserved: imports on first use
    monkeypatch.setattr(datetime, "date", _NoClock)
    monkeypatch.setattr(datetime, "datetime", _NoDateTime)
    monkeypatch.setattr(time, "time", _no_wall_clock)
    with recording() as events:
        index = build_index(loaded, warnings)
        page = render_site(index, "../reports/")
    monkeypatch.undo()
    assert events == []
    assert len(index.candidates) == 1 and site_reports.GAP_EVAL in page
