"""The synchronous entry point for scripts: `evalanalysis.analyze(...)`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Awaitable, Mapping, TypeVar

import attrs

from ..config import Settings, load_config
from ..errors import EvalAnalysisError
from ..history import deferred_history
from ..history.actions import replace_analysis
from ..model import RunAnalysis
from .orchestrate import ProgressCallback, analyze_run
from ..plugins import PluginRegistry, get_plugin_manager
from ..protocols import Classifier, History, Reporter, Source
from .reportfile import render_each, write_rendered
from ..runref import RunRef, resolve_run

T = TypeVar("T")


def with_bundle(settings: Settings, ref: RunRef) -> Settings:
    """Settings whose `bundle` source reads the bundle `ref` names."""
    if ref.bundle is None:
        return settings
    plugins = {**settings.plugins, "bundle": {**settings.plugin_options("bundle"), "path": str(ref.bundle)}}
    return attrs.evolve(settings, plugins=plugins)


def source_name_for(ref: RunRef, settings: Settings) -> str:
    """A bundle path selects the `bundle` source by itself; otherwise config decides (default `convex`)."""
    if ref.bundle is not None:
        return "bundle"
    return settings.analyze.source or "convex"


def make_source(ref: RunRef, settings: Settings, registry: PluginRegistry, name: str | None = None) -> Source:
    """The source for `ref`, built by its plugin."""
    return registry.create("source", name or source_name_for(ref, settings), with_bundle(settings, ref))


async def close_after(source: Source, work: Awaitable[T]) -> T:
    """Await `work`, then close `source` if it holds resources (an optional `aclose()`, e.g. an HTTP client)."""
    try:
        return await work
    finally:
        aclose = getattr(source, "aclose", None)
        if aclose is not None:
            await aclose()


def make_history(settings: Settings) -> History | None:
    """The index of earlier reports under `analyze.reports_dir` (opened at the first lookup), or None
    when `analyze.history` is off."""
    if not settings.analyze.history:
        return None
    return deferred_history(settings)


def make_reporters(settings: Settings, registry: PluginRegistry) -> dict[str, Reporter]:
    """The markdown reporter and those of `analyze.formats`, built before any work so a bad format fails first.

    Markdown is always written (SPEC section 2): it is what later analyses read as history.
    """
    names = dict.fromkeys(["markdown", *settings.analyze.formats])
    return {name: registry.create("reporter", name, settings) for name in names}


def run_analysis(
    ref: RunRef,
    settings: Settings,
    registry: PluginRegistry,
    *,
    classifier: Classifier,
    source: Source | None = None,
    source_name: str | None = None,
    history: History | None = None,
    on_progress: ProgressCallback | None = None,
    date: str | None = None,
) -> RunAnalysis:
    """Run `analyze_run` on `ref` with the options `settings` hold (the one place `analyze` and the CLI build it).

    Without `source`, the source `ref` calls for is built and closed afterwards; a
    source passed in belongs to the caller, who closes it. Without `history`,
    earlier reports are read unless `analyze.history` is off.
    """
    owned = source is None
    source = source or make_source(ref, settings, registry, source_name)
    work = analyze_run(
        ref.run_id,
        source=source,
        classifier=classifier,
        history=history if history is not None else make_history(settings),
        taxonomy=settings.taxonomy,
        concurrency=settings.analyze.concurrency,
        on_progress=on_progress,
        date=date,
        synthesize=settings.classifier.synthesis,
    )
    return asyncio.run(close_after(source, work) if owned else work)


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
    settings = settings or load_config()
    registry = registry or PluginRegistry(get_plugin_manager())
    if reporters is None:
        reporters = make_reporters(settings, registry)
    candidates: dict[str, Reporter] = {}
    if replace:  # the formats beside the report replaced, configured or not, so none is left stale
        names = set(registry.names("reporter"))
        candidates = {
            name: registry.create("reporter", name, settings)
            for name in SIBLING_FORMATS
            if name in names and name not in reporters
        }
    rendered, failed = render_each(analysis, {**reporters, **candidates})
    if replace:
        working = {name: reporters[name] for name in reporters if name in rendered}  # again, with the kept actions
        siblings = {name: candidates[name] for name in candidates if name in rendered}
        replaced = replace_analysis(analysis, working, settings.analyze.reports_dir, siblings)
        if replaced is not None:
            return _raise_failed(failed, replaced)
    own = [rendered[name] for name in reporters if name in rendered]
    paths = write_rendered(analysis, own, settings.analyze.reports_dir) if own else []
    return _raise_failed(failed, paths)


def _raise_failed(failed: list[tuple[str, Exception]], paths: list[Path]) -> list[Path]:
    if failed:
        raise ReporterFailed(failed, paths) from failed[0][1]
    return paths


class ReporterFailed(EvalAnalysisError):
    """Some reporters raised; the others' files were written (`paths`). Exit 1."""

    def __init__(self, failed: list[tuple[str, Exception]], paths: list[Path]):
        names = ", ".join(f"{name!r} ({_first_line(exc)})" for name, exc in failed)
        wrote = f"written: {', '.join(map(str, paths))}" if paths else "no report was written"
        super().__init__(f"reporter {names} failed; {wrote}")
        self.failed, self.paths = failed, paths


def _first_line(exc: Exception) -> str:
    text = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# Formats whose file beside a replaced markdown report is rendered again, configured or not.
SIBLING_FORMATS = ("json", "html")


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
    settings = settings or load_config(overrides=overrides)
    registry = registry or PluginRegistry(get_plugin_manager())
    ref = resolve_run(run)
    reporters = make_reporters(settings, registry) if write else None
    classifier = classifier or registry.create("classifier", settings.classifier.name, settings)
    analysis = run_analysis(
        ref, settings, registry, classifier=classifier, source=source, history=history, on_progress=on_progress, date=date
    )
    if write:
        write_analysis(analysis, settings, registry=registry, reporters=reporters, replace=replace)
    return analysis
