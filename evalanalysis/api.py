"""The synchronous entry point for scripts: `evalanalysis.analyze(...)`."""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, TypeVar

import attrs

from .config import Settings, load_config
from .history import deferred_history
from .model import RunAnalysis
from .orchestrate import ProgressCallback, analyze_run
from .plugins import PluginRegistry, get_plugin_manager
from .protocols import Classifier, History, Source
from .reportfile import write_reports
from .runref import RunRef, resolve_run

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


def analyze(
    run: str,
    *,
    settings: Settings | None = None,
    registry: PluginRegistry | None = None,
    source: Source | None = None,
    classifier: Classifier | None = None,
    history: History | None = None,
    on_progress: ProgressCallback | None = None,
    date: str | None = None,
    write: bool = False,
    **overrides: Any,
) -> RunAnalysis:
    """Analyse a run (id, visualizer URL or bundle path) and return the `RunAnalysis`.

    Plugins are chosen by `settings` (default: `load_config()`); `source` and
    `classifier` objects may be passed directly instead. With `write=True` the
    configured report formats are written under the reports directory.
    Without `history`, earlier reports under the reports directory are read
    (unless `analyze.history` is off).
    """
    settings = settings or load_config(overrides=overrides)
    registry = registry or PluginRegistry(get_plugin_manager())
    ref = resolve_run(run)
    classifier = classifier or registry.create("classifier", settings.classifier.name, settings)
    owned = source is None  # a source passed in belongs to the caller, who closes it
    source = source or make_source(ref, settings, registry)
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
    analysis = asyncio.run(close_after(source, work) if owned else work)
    if write and analysis.failures:
        reporters = {name: registry.create("reporter", name, settings) for name in settings.analyze.formats}
        write_reports(analysis, reporters, settings.analyze.reports_dir)
    return analysis
