"""The synchronous entry points for scripts: `evalanalysis.analyze(...)` and `write_analysis(...)`.

Both compose through `Workspace`, as every CLI command does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ..config import Settings, load_config
from ..model import RunAnalysis
from ..plugins import PluginRegistry
from ..protocols import Classifier, History, Reporter, Source
from ..runref import RunRef, resolve_run
from .orchestrate import ProgressCallback
from .workspace import SIBLING_FORMATS, ReporterFailed, Workspace, close_after

__all__ = ["SIBLING_FORMATS", "ReporterFailed", "analyze", "close_after", "make_source", "write_analysis"]


def make_source(ref: RunRef, settings: Settings, registry: PluginRegistry | None = None, name: str | None = None) -> Source:
    """The source for `ref`, built by its plugin (see `Workspace.source`)."""
    return Workspace(settings, registry).source(ref, name)


def write_analysis(
    analysis: RunAnalysis,
    settings: Settings | None = None,
    *,
    registry: PluginRegistry | None = None,
    reporters: Mapping[str, Reporter] | None = None,
    replace: bool = False,
) -> list[Path]:
    """Write the reports of `analysis` and return their paths; nothing is written for a run without failures.

    The formats and the reports directory come from `settings` (default:
    `load_config()`); an existing report is never replaced (a second one gets `_2`).
    With `replace=True` the run's report of the same date is rewritten instead,
    its "Actions taken" entries kept, its JSON and HTML files rendered again.
    """
    if not analysis.failures:
        return []
    return Workspace(settings or load_config(), registry).write(analysis, reporters=reporters, replace=replace)


def analyze(
    run: str,
    *,
    settings: Settings | None = None,
    overrides: Mapping[str, Any] | None = None,
    registry: PluginRegistry | None = None,
    source: Source | None = None,
    classifier: Classifier | None = None,
    history: History | None = None,
    on_progress: ProgressCallback | None = None,
    date: str | None = None,
    write: bool = False,
    replace: bool = False,
) -> RunAnalysis:
    """Analyse a run (id, visualizer URL or bundle path) and return the `RunAnalysis`.

    Plugins are chosen by `settings` (default: `load_config(overrides=overrides)`,
    `overrides` being dotted keys such as `{"analyze.concurrency": 8}`); `source`
    and `classifier` objects may be passed directly instead. With `write=True` the
    configured report formats are written under the reports directory (with
    `replace=True` over the run's report of that date, see `write_analysis`); call
    `write_analysis(analysis, settings)` instead when you need the paths.
    """
    if settings is not None and overrides:
        raise TypeError("pass either settings or overrides, not both (load_config(overrides=...) merges them)")
    workspace = Workspace(settings or load_config(overrides=overrides), registry)
    ref = resolve_run(run)
    reporters = workspace.reporters() if write else None
    analysis = workspace.analyze(ref, classifier=classifier, source=source, history=history, on_progress=on_progress, date=date)
    if write:
        workspace.write(analysis, reporters=reporters, replace=replace)
    return analysis
