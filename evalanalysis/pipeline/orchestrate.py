"""`analyze_run`: the pure async pipeline. Sources fetch, classifiers decide; nothing here opens a file,
a directory or a database, or reads the clock: the history and today's date are handed in."""

from __future__ import annotations

import asyncio
from typing import Callable

from attrs import evolve, frozen

from ..collation.collate import collate
from ..collation.matching import mentions_eval
from ..history.corrections import is_correction
from ..errors import EvalAnalysisError, PluginFailed, RunNotFound, Unavailable
from ..evidence.injection import find_injection, flag_injection
from ..model import (
    DEFAULT_TAXONOMY,
    EvalDetail,
    FailedEval,
    FailedStep,
    FailureAnalysis,
    FailureContext,
    PriorFinding,
    RecordedAction,
    RunAnalysis,
    RunSummary,
    Taxonomy,
    Usage,
    Verdict,
)
from ..history.corrections import carry_own_corrections
from ..names import model_key, same_run
from ..protocols import ActionLog, Classifier, History, Source, Synthesizer
from ..llm.redaction import redact
from ..evidence import one_line


@frozen
class Progress:
    """One progress event: `stage` is `run` (summary fetched), `fetching`, `classifying`, `done`, or
    `batch` (a provider batch polled: `done` of `total` requests processed)."""

    stage: str
    done: int
    total: int
    eval_path: str | None = None
    usage: Usage | None = None  # `done`: the usage of the failures classified so far; `batch`: none
    detail: str | None = None  # `batch`: the batch's id and state


ProgressCallback = Callable[[Progress], None]


async def analyze_run(
    run_id: str | None,
    *,
    source: Source,
    classifier: Classifier,
    date: str,
    history: History | None = None,
    taxonomy: Taxonomy = DEFAULT_TAXONOMY,
    concurrency: int = 4,
    on_progress: ProgressCallback | None = None,
    synthesize: bool = True,
    summary: RunSummary | None = None,
) -> RunAnalysis:
    """Analyse every failed eval of a run and collate the result, dated `date` (ISO, `YYYY-MM-DD`).

    `run_id` None asks a single-run source (a bundle) for its run; a `summary`
    already fetched (with `fetch_summary`) is used as it is. `history` is asked
    for each failure's prior findings: pass an in-memory one (a `HistorySnapshot`,
    as `Workspace` does) to keep this function free of I/O. At most
    `concurrency` failures are fetched and classified at a time; a failure whose
    fetch or classification raises is kept, marked not analysed with the
    reason when it is one of our errors or an `OSError` (see `PLUGIN_ERRORS`).
    Raises `RunNotFound` when the source has no such run, lets `Unavailable`
    from any fetch or classification abort the run, and raises `PluginFailed`
    (the plugin's exception as its cause) for anything else a plugin raises.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if summary is None:
        summary = await fetch_summary(source, run_id)
    report = on_progress or (lambda _event: None)
    total = len(summary.failed_evals)
    report(Progress("run", 0, total))
    done = 0
    spent = Usage()
    gate = asyncio.Semaphore(concurrency)
    history_errors: list[str] = []
    actions = _recorded_actions(history) if summary.failed_evals else ()

    async def analyse(failed: FailedEval) -> FailureAnalysis:
        nonlocal done, spent
        async with gate:
            result = await _analyse_one(failed, summary, source, classifier, history, taxonomy, report, done, total,
                                        history_errors, actions, date)
            done += 1
            if result.verdict is not None and result.verdict.usage is not None:
                spent = spent + result.verdict.usage
            report(Progress("done", done, total, failed.eval_path, usage=spent))
            return result

    failures = await _all_or_none([analyse(f) for f in summary.failed_evals])
    # A maintainer's corrections of this run's failures, recorded in its earlier report, still stand.
    failures, carried = carry_own_corrections(list(failures), summary.run.id, date)
    analysis = collate(
        summary,
        tuple(failures),
        taxonomy=taxonomy,
        classifier=getattr(classifier, "name", type(classifier).__name__),
        date=date,
        prior_actions=actions if failures else (),
    )
    if carried:
        analysis = evolve(analysis, actions_taken=tuple(dict.fromkeys([*analysis.actions_taken, *carried])))
    if history_errors:  # the failures were still analysed, only without what earlier reports say
        more = f" (and for {len(history_errors) - 1} more evals)" if len(history_errors) > 1 else ""
        analysis = evolve(analysis, warnings=(*analysis.warnings, f"prior reports unreadable: {history_errors[0]}{more}"))
    if synthesize and isinstance(classifier, Synthesizer) and analysis.failures:
        try:
            analysis = await classifier.synthesize(analysis)  # type: ignore[attr-defined]
        except Exception as exc:  # the deterministic patterns stand on their own
            analysis = evolve(analysis, warnings=(*analysis.warnings, f"synthesis failed: {_reason(exc)}"))
    return analysis


async def fetch_summary(source: Source, run_id: str | None) -> RunSummary:
    """The run's failure summary from `source`; `RunNotFound` when it has no such run, `PluginFailed`
    when the source raises something it does not document."""
    try:
        summary = await source.fetch_run(run_id)
    except (EvalAnalysisError, OSError):
        raise
    except Exception as exc:
        raise plugin_failed("source", source, None, exc) from exc
    if summary is None:
        raise RunNotFound(f"run {run_id} not found at {getattr(source, 'location', 'the source')}")
    return summary


async def _all_or_none(work: list) -> list:
    """The results of `work` run concurrently; if one raises, the others are cancelled and
    awaited before the error goes on, so no request is left half-open behind it."""
    tasks = [asyncio.ensure_future(w) for w in work]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def _analyse_one(
    failed: FailedEval,
    summary: RunSummary,
    source: Source,
    classifier: Classifier,
    history: History | None,
    taxonomy: Taxonomy,
    report: ProgressCallback,
    done: int,
    total: int,
    history_errors: list[str],
    actions: tuple[RecordedAction, ...] = (),
    date: str | None = None,
) -> FailureAnalysis:
    step = failed.failed_step.name if failed.failed_step else None
    error_text = (failed.failed_step.failure_reason if failed.failed_step else None) or failed.failure_reason
    base = FailureAnalysis(
        eval_id=failed.id,
        eval_path=failed.eval_path,
        category=failed.category,
        name=failed.name,
        failed_step=step,
        error=one_line(error_text),
        classification=None,
    )
    priors: tuple[PriorFinding, ...] = ()
    if history is not None:
        try:
            found = history.prior_findings(summary.run.provider, summary.run.model, failed.eval_path)
            # The run's own earlier report is not a prior run: it would make every failure a "repeat".
            # A maintainer's correction in it is kept: it is the verdict a re-analysis of the run should hear.
            priors = tuple(p for p in found if not _same_run(p, summary.run.id) or p.corrected)
        except Exception as exc:
            history_errors.append(_reason(exc))
    base = evolve(base, prior_findings=priors, repeat_of=_repeat_of(priors, summary))

    report(Progress("fetching", done, total, failed.eval_path))
    try:
        detail = await source.fetch_eval(failed)
    except Unavailable:
        raise
    except PLUGIN_ERRORS as exc:
        return evolve(base, not_analysed_reason=f"debug info unavailable: {_reason(exc)}")
    except Exception as exc:
        raise plugin_failed("source", source, failed, exc) from exc
    if detail.eval.id != failed.id:  # a mixed-up bundle or backend: another eval's files would give a confident wrong verdict
        return evolve(base, not_analysed_reason=f"debug info unavailable: the source answered with eval {detail.eval.id[:80]}")
    if failed.failed_step is None and (step_failed := _first_failed_step(detail)) is not None:
        # The summary may leave failedStep null; the debug info's steps still say which one failed.
        failed = evolve(failed, failed_step=step_failed)
        base = evolve(base, failed_step=step_failed.name, error=one_line(step_failed.failure_reason or failed.failure_reason))

    report(Progress("classifying", done, total, failed.eval_path))
    # A maintainer's correction of a class (`actions --reclassify`) changed nothing in the eval: no fix.
    about = tuple(a for a in actions if mentions_eval(a, failed.eval_path) and not is_correction(a.text))
    context = FailureContext(failed=failed, detail=detail, taxonomy=taxonomy, prior_findings=priors, run=summary.run,
                             actions=about, date=date)
    try:
        verdict = await classifier.classify(context)
    except Unavailable:
        raise
    except PLUGIN_ERRORS as exc:
        return evolve(base, not_analysed_reason=f"classification failed: {_reason(exc)}")
    except Exception as exc:
        raise plugin_failed("classifier", classifier, failed, exc) from exc
    try:
        _check_verdict(verdict, taxonomy)
    except (TypeError, ValueError) as exc:
        return evolve(base, not_analysed_reason=f"classification failed: {_reason(exc)}")
    # Whatever the classifier, a verdict on evidence that tries to steer the grader is not taken on trust.
    verdict = flag_injection(verdict, find_injection(context))
    # The detail (possibly megabytes of files) is dropped here; only the verdict is kept.
    return evolve(base, classification=verdict.classification, verdict=verdict, not_analysed_reason=None)


# What a source's `fetch_eval` or a classifier's `classify` may raise to mark one failure not analysed: our
# documented errors (`SourceError`, `ClassifierError`, ...) and I/O trouble (a timeout, a lost connection,
# an unreadable file). Anything else is a bug in the plugin, and every other failure would likely meet it too.
PLUGIN_ERRORS = (EvalAnalysisError, OSError)


def plugin_failed(role: str, plugin: object, failed: FailedEval | None, exc: BaseException) -> PluginFailed:
    """The error that stops a run when a plugin raised something it does not document."""
    kind = type(plugin)
    name = getattr(plugin, "name", None)
    where = f"{kind.__module__}.{kind.__qualname__}"
    which = f"{name!r} ({where})" if isinstance(name, str) else where
    return PluginFailed(
        f"the {role} plugin {which} failed" + (f" on {failed.eval_path}" if failed else "") + f": {_reason(exc)}; "
        "this is a bug in the plugin (rerun with --debug for its traceback)"
    )


def _first_failed_step(detail: EvalDetail) -> FailedStep | None:
    step = next((s for s in detail.steps if s.status.kind == "failed"), None)
    return None if step is None else FailedStep(step.name, step.status.failure_reason)


def _same_run(prior: PriorFinding, run_id: str) -> bool:
    return any(same_run(r, run_id) for r in (prior.run_id, *prior.run_ids))


def _repeat_of(priors: tuple[PriorFinding, ...], summary: RunSummary) -> PriorFinding | None:
    """The newest earlier finding of this eval failing for this model (priors are newest first).

    Models match by `model_key`, so `qwen/qwen3.5-plus` and `qwen3.5-plus` are
    one model. A classified finding is preferred over one whose class was not
    read, so the repeat can cite the earlier class.
    """
    key = model_key(summary.run.model)
    mine = [p for p in priors if model_key(p.model) == key and not _same_run(p, summary.run.id)]
    return next((p for p in mine if p.classification is not None), mine[0] if mine else None)


def _recorded_actions(history: History | None) -> tuple[RecordedAction, ...]:
    if not isinstance(history, ActionLog):
        return ()
    try:
        return tuple(history.recorded_actions())
    except Exception:  # recorded actions only refine recommendations; without them the report still stands
        return ()


def _check_verdict(verdict: Verdict, taxonomy: Taxonomy) -> None:
    if not isinstance(verdict, Verdict):
        raise TypeError(f"classifier returned {type(verdict).__name__}, not a Verdict")
    if verdict.classification not in taxonomy.names:
        raise ValueError(f"class {verdict.classification!r} is not one of {', '.join(taxonomy.names)}")
    if not 0 <= verdict.confidence <= 1:  # NaN fails this too
        raise ValueError(f"confidence {verdict.confidence} is not between 0 and 1")


def _reason(exc: BaseException) -> str:
    text = redact(str(exc)).strip()  # masked before the first line is cut out of it
    text = text.splitlines()[0] if text else ""
    if isinstance(exc, EvalAnalysisError):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
