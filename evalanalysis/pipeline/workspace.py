"""`Workspace`: the one composition root. Settings in; the registry, source, classifier, history and
reporters out, and the pure `analyze_run` driven with them.

`evalanalysis.analyze()`, every CLI command and `evaluate` build what they
need here, so there is one answer to "which object does this run use":

- the plugin registry (one plugin manager per workspace);
- the source, built by its plugin from the resolved run reference (a bundle
  path reaches the `bundle` source as the `run` argument of its factory, never
  through the settings);
- the classifier, with the offline fallback named by `classifier.fallback`
  built from the same registry and injected into a factory that takes one;
- the history: the reports directory's index is opened and asked about the
  run's failures in a worker thread, after the summary is fetched and before the
  failures fan out; `analyze_run` gets the answers as an in-memory snapshot;
- today's date, read here (or given), never in the core;
- the reporters, built before any work so that a bad format fails first.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Mapping, TypeVar

from attrs import evolve

from ..config import Settings, load_config
from ..errors import ConfigError, EvalAnalysisError, UsageError
from ..model import RunAnalysis, RunSummary, SincePrevious
from ..protocols import Classifier, DryRunEstimate, DryRunFactory, History, Reporter, Source, Synthesizer
from ..runref import RunRef

if TYPE_CHECKING:
    from ..plugins import PluginRegistry
    from .orchestrate import ProgressCallback

T = TypeVar("T")

# Formats whose file beside a replaced markdown report is rendered again, configured or not.
SIBLING_FORMATS = ("json", "html")


class Workspace:
    """What one set of settings composes: call `analyze`, `write`, `snapshot`, or take the parts."""

    def __init__(self, settings: Settings, registry: PluginRegistry | None = None, *, today: Callable[[], str] | None = None):
        self.settings = settings
        self._registry = registry
        self._today = today or (lambda: dt.date.today().isoformat())

    @property
    def registry(self) -> PluginRegistry:
        """The installed plugins, loaded at first use (`history` and `config` never need them)."""
        if self._registry is None:
            self._registry = self.plugins()
        return self._registry

    @staticmethod
    def plugins() -> PluginRegistry:
        """The installed plugins' registry, for commands that need no settings (`plugins`)."""
        from ..plugins import PluginRegistry, get_plugin_manager  # pluggy and the entry points: not for `history`

        return PluginRegistry(get_plugin_manager())

    @classmethod
    def load(cls, config_file: str | None = None, overrides: Mapping[str, Any] | None = None) -> Workspace:
        """The workspace of the config files (`config_file` instead of ./evalanalysis.toml) with
        `overrides` (dotted keys; None values are ignored) on top."""
        wanted = {k: v for k, v in (overrides or {}).items() if v is not None}
        return cls(load_config(config_file, overrides=wanted))

    # ----------------------------------------------------------------- the parts

    def source_name(self, ref: RunRef, name: str | None = None) -> str:
        """A bundle path selects the `bundle` source by itself; otherwise `name`, then config (default `convex`)."""
        if name:
            return name
        if ref.bundle is not None:
            return "bundle"
        return self.settings.analyze.source or "convex"

    def source(self, ref: RunRef, name: str | None = None) -> Source:
        """The source for `ref`, built by its plugin: `factory(settings, run)`, or `factory(settings)`
        for a factory that takes no run."""
        factory = self.registry.factory("source", self.source_name(ref, name))
        return factory(self.settings, ref) if _takes_run(factory) else factory(self.settings)

    def classifier(self, name: str | None = None) -> Classifier:
        """The classifier `name` (default `classifier.name`); a factory that takes a fallback gets one."""
        name = name or self.settings.classifier.name
        factory = self.registry.factory("classifier", name)
        if getattr(factory, "uses_fallback", False):
            return factory(self.settings, fallback=self.fallback(name))
        return factory(self.settings)

    def dry_run(self, name: str | None = None) -> Classifier:
        """A classifier that builds every prompt and calls no LLM (the `DryRunFactory` role)."""
        name = name or self.settings.classifier.name
        factory = self.registry.factory("classifier", name)
        if not isinstance(factory, DryRunFactory):
            raise UsageError(f"--dry-run estimates LLM prompts; the {name!r} classifier calls no LLM")
        return factory.dry_run_from_settings(self.settings, fallback=self.fallback(name))

    def fallback(self, own_name: str) -> Classifier:
        """The offline classifier named by `classifier.fallback` (default `rules`), built by its plugin."""
        name = self.settings.classifier.fallback
        if name == own_name:
            raise ConfigError(f"classifier.fallback is {name!r}, the classifier itself; choose an offline one such as rules")
        factory = self.registry.factory("classifier", name)
        # Checked before it is built: building an LLM classifier would ask for its key, and for its own fallback.
        if getattr(factory, "uses_fallback", False):
            raise ConfigError(f"classifier.fallback {name!r} is an LLM classifier; choose an offline one such as rules")
        fallback = factory(self.settings)
        if getattr(fallback, "uses_fallback", False):
            raise ConfigError(f"classifier.fallback {name!r} is an LLM classifier; choose an offline one such as rules")
        return fallback

    def reporters(self) -> dict[str, Reporter]:
        """The markdown reporter and those of `analyze.formats`.

        Markdown is always written (SPEC section 2): it is what later analyses read as history.
        """
        names = dict.fromkeys(["markdown", *self.settings.analyze.formats])
        return {name: self.registry.create("reporter", name, self.settings) for name in names}

    def history_index(self, reports_dir: str | Path | None = None) -> Any:
        """The index of the earlier reports under `reports_dir` (default `analyze.reports_dir`)."""
        from ..history import history_from_settings

        return history_from_settings(self.settings, reports_dir)

    def history_snapshot(self, summary: RunSummary, history: History | None = None) -> History | None:
        """What `history` (default: the reports directory, unless `analyze.history` is off) says about
        the failures of `summary`, read now and held in memory. Blocking: call it off the event loop."""
        from ..history.index import DeferredHistory
        from ..history.memory import HistorySnapshot

        if not summary.failed_evals:  # nothing to look up: no report is read and no cache is created
            return None
        if history is None:
            if not self.settings.analyze.history:
                return None
            history = DeferredHistory(self.history_index)
        paths = [f.eval_path for f in summary.failed_evals]
        return HistorySnapshot.take(history, summary.run.provider, summary.run.model, paths)

    # ------------------------------------------------------------------ the work

    def analyze(
        self,
        ref: RunRef,
        *,
        classifier: Classifier | None = None,
        source: Source | None = None,
        source_name: str | None = None,
        history: History | None = None,
        on_progress: ProgressCallback | None = None,
        date: str | None = None,
        adapt_source: Callable[[Source], Source] | None = None,
        history_for: Callable[[RunSummary], History] | None = None,
    ) -> RunAnalysis:
        """Analyse `ref` with the options the settings hold.

        Without `source`, the source `ref` calls for is built (and wrapped by
        `adapt_source`, e.g. to hide GAPS.txt) and closed afterwards; a source passed
        in belongs to the caller. `history` replaces the reports directory as what
        earlier findings are read from; `history_for(summary)` builds it once the
        run is known (e.g. only the reports written before it).
        """
        classifier = classifier if classifier is not None else self.classifier()
        owned = source is None
        if source is None:
            source = self.source(ref, source_name)
            source = adapt_source(source) if adapt_source is not None else source
        work = self._analyze(ref, source, classifier, history, history_for, on_progress, date or self._today())
        return asyncio.run(close_after(source if owned else None, work, classifier))

    async def _analyze(
        self, ref: RunRef, source: Source, classifier: Classifier, history: History | None,
        history_for: Callable[[RunSummary], History] | None, on_progress: ProgressCallback | None, date: str,
        summary: RunSummary | None = None, since_previous: bool = True, synthesize: bool | None = None,
    ) -> RunAnalysis:
        from .orchestrate import analyze_run, fetch_summary

        if summary is None:
            summary = await fetch_summary(source, ref.run_id)
        if history_for is not None:
            history = history_for(summary)
        reports = None  # the reports directory's index, opened once for the snapshot and the changes since the last report
        if history is None and self.settings.analyze.history:
            from ..history.index import DeferredHistory

            reports = DeferredHistory(self.history_index)
        snapshot = await asyncio.to_thread(self.history_snapshot, summary, history if reports is None else reports)
        batch_warnings: list[str] = []
        if self.settings.classifier.batch and not isinstance(classifier, DryRunEstimate) and summary.failed_evals:
            from .batching import KeptDetails, can_batch, send_batch

            if not can_batch(classifier) and self.settings.origins.get("classifier.batch") != "command line":
                # Set in a file or the environment for the LLM classifiers: another classifier just runs unbatched.
                name = getattr(classifier, "name", type(classifier).__name__)
                batch_warnings.append(f"classifier.batch is set, but the {name} classifier has no batch API: classified without one")
            else:
                source = KeptDetails(source)  # the real pass takes what the batch's pass fetched
                batch_warnings = await send_batch(
                    classifier, source=source, summary=summary, history=snapshot, taxonomy=self.settings.taxonomy,
                    date=date, concurrency=self.settings.analyze.concurrency, on_progress=on_progress,
                )
        analysis = await analyze_run(
            ref.run_id,
            source=source,
            classifier=classifier,
            summary=summary,
            history=snapshot,
            date=date,
            taxonomy=self.settings.taxonomy,
            concurrency=self.settings.analyze.concurrency,
            on_progress=on_progress,
            synthesize=self.settings.classifier.synthesis if synthesize is None else synthesize,
        )
        if batch_warnings:
            analysis = evolve(analysis, warnings=(*analysis.warnings, *batch_warnings))
        if since_previous and reports is not None and analysis.failures:
            # Only over the reports directory: a history handed in (evaluate's, a test's) is all this run may see.
            analysis = await asyncio.to_thread(lambda: self.with_since_previous(analysis, index=reports))
        return analysis

    def analyze_runs(
        self,
        refs: list[RunRef],
        *,
        classifier: Classifier | None = None,
        source_name: str | None = None,
        on_progress: ProgressCallback | None = None,
        date: str | None = None,
    ) -> RunAnalysis:
        """Analyse several runs of one model and experiment (oldest first) into one `RunAnalysis`
        (`collation/repeats.py`).

        Every run's summary is fetched first, and runs of different models or experiments (or one
        run given twice) are refused with `BadInput` before any failure is classified. Each run is
        then analysed as `analyze` does; for each flaky failure the model's files are fetched again
        from the runs it failed in, to see whether its own code is nondeterministic where the error
        points (`evidence/nondeterminism.py`). The merged analysis has no `since_previous`.
        """
        classifier = classifier if classifier is not None else self.classifier()
        sources = [self.source(ref, source_name) for ref in refs]
        day = date or self._today()

        async def work() -> RunAnalysis:
            from ..collation.repeats import check_same_subject, flaky_paths, merge_runs
            from .orchestrate import fetch_summary

            summaries = [await fetch_summary(source, ref.run_id) for ref, source in zip(refs, sources)]
            check_same_subject([s.run for s in summaries])
            analyses = [
                await self._analyze(ref, source, classifier, None, None, on_progress, day, summary=summary,
                                    since_previous=False, synthesize=False)
                for ref, source, summary in zip(refs, sources, summaries)
            ]
            model_side = await _model_side(flaky_paths(analyses), summaries, sources, analyses)
            prior_actions = ()
            if self.settings.analyze.history and any(a.failures for a in analyses):
                prior_actions = await asyncio.to_thread(self._recorded_actions)
            merged = merge_runs(analyses, model_side=model_side, prior_actions=prior_actions)
            if self.settings.classifier.synthesis and isinstance(classifier, Synthesizer) and merged.failures:
                try:  # once, over the merged failures (each run's own synthesis would be collated away)
                    merged = await classifier.synthesize(merged)
                except Exception as exc:  # the deterministic patterns stand on their own
                    from .orchestrate import _reason

                    merged = evolve(merged, warnings=(*merged.warnings, f"synthesis failed: {_reason(exc)}"))
            return merged

        return asyncio.run(close_after(None, work(), *sources, classifier))

    def _recorded_actions(self) -> tuple[Any, ...]:
        """The "Actions taken" entries of the reports directory (none when it cannot be read)."""
        try:
            return tuple(self.history_index().recorded_actions())
        except Exception:  # they only refine recommendations; the report stands without them
            return ()

    def with_since_previous(self, analysis: RunAnalysis, reports_dir: str | Path | None = None, *, index: Any = None) -> RunAnalysis:
        """`analysis` with `since_previous`: what changed since the newest earlier report of the same model
        and experiment under `reports_dir` (default `analyze.reports_dir`). Reads that report; blocking."""
        try:
            since = self.since_previous(analysis, reports_dir, index=index)
        except Exception as exc:  # the analysis stands without it; the report says why the line is missing
            text = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
            return evolve(analysis, warnings=(*analysis.warnings, f"previous report unreadable: {text}"))
        return analysis if since is None else evolve(analysis, since_previous=since)

    def since_previous(self, analysis: RunAnalysis, reports_dir: str | Path | None = None, *, index: Any = None) -> SincePrevious | None:
        """What changed since the previous report of `analysis`'s model and experiment (see `SincePrevious`),
        or None when the reports directory holds none. `index` is that directory's `ReportIndex` (or a
        `DeferredHistory` of it) when one is open already."""
        from ..collation.compare import STEP_ONLY, compare_runs, side_from_analysis, side_from_report
        from ..history.index import read_report

        index = self.history_index(reports_dir) if index is None else getattr(index, "index", index)  # a DeferredHistory's
        run = analysis.run
        rel = index.previous_report(run.model, run.experiment, run.id, analysis.date)
        if rel is None:
            return None
        record = read_report(index.reports_dir, rel)
        earlier = side_from_report(record, rel, self.settings.taxonomy)
        comparison = compare_runs(earlier, side_from_analysis(analysis, "this run", "run"))
        return SincePrevious(
            report=str(index.reports_dir / rel),
            run_id=record.run_id,
            date=record.date,
            new=tuple(c.eval_path for c in comparison.new),
            persisting=tuple(c.eval_path for c in comparison.persisting),
            error_changed=tuple(c.eval_path for c in comparison.error_changed),
            class_changed=tuple(c.eval_path for c in comparison.persisting if c.class_changed),
            resolved=tuple(c.eval_path for c in (*comparison.resolved, *comparison.not_in_b)),
            by_error=all(c.basis != STEP_ONLY for c in comparison.persisting),
        )

    def run_failures(
        self, ref: RunRef, *, classifier: Classifier | None = None, source_name: str | None = None, date: str | None = None,
    ) -> tuple[RunSummary, RunAnalysis | None]:
        """The failure summary of `ref` from its source and, with a `classifier`, the failures classified
        (no history, no synthesis: what `compare` needs of a run). Nothing is written."""
        from .orchestrate import analyze_run, fetch_summary

        source = self.source(ref, source_name)

        async def work() -> tuple[RunSummary, RunAnalysis | None]:
            summary = await fetch_summary(source, ref.run_id)
            if classifier is None:
                return summary, None
            analysis = await analyze_run(
                ref.run_id, source=source, classifier=classifier, summary=summary, date=date or self._today(),
                taxonomy=self.settings.taxonomy, concurrency=self.settings.analyze.concurrency, synthesize=False,
            )
            return summary, analysis

        return asyncio.run(close_after(source, work()))

    def write(self, analysis: RunAnalysis, *, reporters: Mapping[str, Reporter] | None = None, replace: bool = False) -> list[Path]:
        """Write the reports of `analysis` under `analyze.reports_dir` and return their paths (none for a
        run without failures). An existing report is never replaced (a second one gets `_2`); with
        `replace=True` the run's report of the same date is rewritten, its "Actions taken" kept."""
        from ..history.actions import replace_analysis
        from .reportfile import render_each, write_rendered

        if not analysis.failures:
            return []
        if reporters is None:
            reporters = self.reporters()
        reports_dir = self.settings.analyze.reports_dir
        candidates: dict[str, Reporter] = {}
        if replace:  # the formats beside the report replaced, configured or not, so none is left stale
            names = set(self.registry.names("reporter"))
            candidates = {
                name: self.registry.create("reporter", name, self.settings)
                for name in SIBLING_FORMATS
                if name in names and name not in reporters
            }
        rendered, failed = render_each(analysis, {**reporters, **candidates})
        if replace:
            working = {name: reporters[name] for name in reporters if name in rendered}  # again, with the kept actions
            siblings = {name: candidates[name] for name in candidates if name in rendered}
            replaced = replace_analysis(analysis, working, reports_dir, siblings)
            if replaced is not None:
                return _raise_failed(failed, replaced)
        own = [rendered[name] for name in reporters if name in rendered]
        paths = write_rendered(analysis, own, reports_dir) if own else []
        return _raise_failed(failed, paths)

    def snapshot(self, ref: RunRef, source_name: str | None = None) -> dict[str, Any]:
        """The bundle data of `ref` (its summary and every failed eval's debug info), from its source."""
        from .snapshot import snapshot_run

        source = self.source(ref, source_name)
        return asyncio.run(close_after(source, snapshot_run(source, ref.run_id, self.settings.analyze.concurrency)))


async def _model_side(
    paths: list[str], summaries: list[RunSummary], sources: list[Source], analyses: list[RunAnalysis],
) -> dict[str, tuple[Any, ...]]:
    """Eval path -> the nondeterminism of the model's code where the error points, in any run it failed in,
    for the flaky `paths` (a run whose debug info cannot be fetched again adds nothing)."""
    from ..evidence.nondeterminism import nondeterminism_evidence
    from .orchestrate import PLUGIN_ERRORS

    wanted = set(paths)
    found: dict[str, tuple[Any, ...]] = {}
    for summary, source, analysis in zip(summaries, sources, analyses):
        errors = {f.eval_path: f.error for f in analysis.failures}
        for failed in summary.failed_evals:
            if failed.eval_path not in wanted or failed.eval_path not in errors:
                continue
            try:
                detail = await source.fetch_eval(failed)
            except PLUGIN_ERRORS:
                continue
            raw = (failed.failed_step.failure_reason if failed.failed_step else None) or failed.failure_reason or ""
            evidence = nondeterminism_evidence(detail, f"{raw}\n{errors[failed.eval_path]}")
            if evidence:
                found[failed.eval_path] = tuple(dict.fromkeys((*found.get(failed.eval_path, ()), *evidence)))
    return found


async def close_after(source: Source | None, work: Awaitable[T], *more: Any) -> T:
    """Await `work`, then close `source` if it holds resources (an optional `aclose()`, e.g. an HTTP
    client), and each of `more` the same way (a classifier: the connections of this event loop)."""
    try:
        return await work
    finally:
        for holder in (source, *more):
            aclose = getattr(holder, "aclose", None)
            if aclose is not None:
                await aclose()


def _takes_run(factory: Callable[..., Any]) -> bool:
    """True when a source factory accepts the run reference after the settings."""
    try:
        parameters = list(inspect.signature(factory).parameters.values())
    except (TypeError, ValueError):  # a builtin or a callable without a signature: settings only
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


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
