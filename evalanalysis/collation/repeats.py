"""Repeat runs: several runs of one model and experiment, each analysed on its own, merged into one analysis.

Pure: `merge_runs` reads no file and no clock. Failures are keyed by eval path.
Each eval that failed in any run appears once, with the verdict of the latest run
it failed in (runs are given oldest first; where it could not be analysed there,
the latest run where it could) and:

- `runs_failed` of `runs_total`, `failed_in` (run ids) and `fingerprints` (the
  `error_fingerprint` key of each of those runs' failure, same order);
- `stability`: `deterministic` when it failed in every run with one
  fingerprint, else `flaky` (some runs passed it, or the errors differ).

A flaky failure is an eval-side suspect (a nondeterministic grader or harness):
its verdict gets the `flaky` tag and `needs_review`, with a review reason saying
so. Its class stays the latest run's verdict: flakiness is a suspicion for a
maintainer to confirm, not a finding that outranks the classifier's reading of
the error. The exception is a failure where the model's own code is
nondeterministic where the error points (`evidence/nondeterminism.py`): then the
variation is the model's, the verdict gets the `model_nondeterministic` tag and
the evidence, and no review flag for flakiness.
"""

from __future__ import annotations

import statistics
from typing import Mapping, Sequence

from attrs import evolve

from ..errors import BadInput
from ..evidence.fingerprint import error_fingerprint
from ..model import (
    DETERMINISTIC,
    FLAKY,
    Evidence,
    FailureAnalysis,
    PassRateSpread,
    RecordedAction,
    RunAnalysis,
    RunCount,
    RunInfo,
    RunSummary,
    Usage,
)
from ..names import model_key, same_run
from .collate import collate, net_impact
from .facts import has_flag

FLAKY_TAG = "flaky"
MODEL_NONDETERMINISTIC_TAG = "model_nondeterministic"


def check_same_subject(runs: Sequence[RunInfo]) -> None:
    """Refuse (`BadInput`) runs that are not repeats of one model and experiment, or a run given twice."""
    first = runs[0]
    for run in runs[1:]:
        if model_key(run.model) != model_key(first.model):
            raise BadInput(
                f"runs of different models cannot share a report: {first.id} is {first.model!r}, "
                f"{run.id} is {run.model!r}; analyse them one by one, or compare them with `evalanalysis compare`"
            )
        if (run.experiment or "default") != (first.experiment or "default"):
            raise BadInput(
                f"runs of different experiments cannot share a report: {first.id} is experiment "
                f"{first.experiment or 'default'!r}, {run.id} is {run.experiment or 'default'!r}; analyse them one by one"
            )
    seen: list[str] = []
    for run in runs:
        if any(same_run(run.id, other) for other in seen):
            raise BadInput(f"run {run.id} is given twice; a multi-run report covers distinct runs")
        seen.append(run.id)


def occurrences(analyses: Sequence[RunAnalysis]) -> dict[str, list[tuple[str, FailureAnalysis]]]:
    """Eval path -> (run id, failure) for every run it failed in, oldest run first."""
    found: dict[str, list[tuple[str, FailureAnalysis]]] = {}
    for analysis in analyses:
        for failure in analysis.failures:
            found.setdefault(failure.eval_path, []).append((analysis.run.id, failure))
    return found


def stability_of(failed: Sequence[FailureAnalysis], runs_total: int) -> str:
    """`deterministic` when the eval failed in all `runs_total` runs with one error fingerprint, else `flaky`."""
    keys = {error_fingerprint(f.failed_step, f.error).key for f in failed}
    return DETERMINISTIC if len(failed) == runs_total and len(keys) == 1 else FLAKY


def flaky_paths(analyses: Sequence[RunAnalysis]) -> list[str]:
    """The eval paths whose failure is flaky across `analyses` (what `merge_runs` would mark flaky)."""
    return [path for path, seen in occurrences(analyses).items()
            if stability_of([f for _, f in seen], len(analyses)) == FLAKY]


def pass_rate_spread(runs: Sequence[RunCount]) -> PassRateSpread:
    """Mean, min, max and sample standard deviation of the runs' pass rates (percent; sd 0 for one run)."""
    rates = [r.pass_percent for r in runs]
    return PassRateSpread(
        mean=round(statistics.fmean(rates), 4),
        minimum=round(min(rates), 4),
        maximum=round(max(rates), 4),
        stdev=round(statistics.stdev(rates), 4) if len(rates) > 1 else 0.0,
    )


def merge_runs(
    analyses: Sequence[RunAnalysis],
    *,
    model_side: Mapping[str, tuple[Evidence, ...]] | None = None,
    prior_actions: tuple[RecordedAction, ...] = (),
) -> RunAnalysis:
    """One `RunAnalysis` for several runs of one model and experiment (oldest first), each analysed alone.

    `model_side` maps an eval path to the nondeterminism the model's code shows where
    its error points (see `evidence.nondeterminism`); such a flaky failure is the
    model's, not an eval-side suspect. Patterns, recommendations and the net impact are
    collated again over the merged failures (the net impact counts a failure once per
    run it occurred in); `prior_actions` are cited as in a single run's report.
    """
    if len(analyses) < 2:
        raise ValueError("merge_runs needs at least two runs")
    check_same_subject([a.run for a in analyses])
    model_side = model_side or {}
    total = len(analyses)
    failures = tuple(
        _merged_failure(seen, total, model_side.get(path, ())) for path, seen in occurrences(analyses).items()
    )
    first, latest = analyses[0], analyses[-1]
    runs = tuple(RunCount(a.run.id, a.total_evals, a.passed_count, a.failed_count, a.run.status) for a in analyses)
    pooled = RunSummary(
        run=first.run,
        total_evals=sum(r.total_evals for r in runs),
        passed_count=sum(r.passed_count for r in runs),
        failed_count=sum(r.failed_count for r in runs),
    )
    merged = collate(pooled, failures, taxonomy=latest.taxonomy, classifier=latest.classifier, date=latest.date,
                     prior_actions=prior_actions)
    per_run = tuple(evolve(f, runs_failed=None) for f in merged.failures for _ in range(f.runs_failed or 1))
    impact = net_impact(pooled, per_run, latest.taxonomy)
    impact = evolve(impact, summary=f"Over {total} runs, each failure counted once per run it occurred in: {impact.summary}")
    counts_as_pass = sum(f.runs_failed or 1 for f in merged.failures if has_flag(latest.taxonomy, f, "counts_as_pass"))
    return evolve(
        merged,
        net_impact=impact,
        corrected_passed_count=pooled.passed_count + counts_as_pass,
        usage=sum((a.usage for a in analyses), start=Usage()),
        warnings=_warnings(analyses),
        runs=runs,
        pass_rates=pass_rate_spread(runs),
        since_previous=None,
    )


def _merged_failure(seen: list[tuple[str, FailureAnalysis]], total: int, model_side: tuple[Evidence, ...]) -> FailureAnalysis:
    failed = [f for _, f in seen]
    # The latest run's verdict; one that could not be analysed there gives way to the latest that could.
    latest = next((f for f in reversed(failed) if f.analysed), failed[-1])
    keys = tuple(error_fingerprint(f.failed_step, f.error).key for f in failed)
    stability = stability_of(failed, total)
    merged = evolve(latest, runs_failed=len(seen), runs_total=total, failed_in=tuple(r for r, _ in seen),
                    fingerprints=keys, stability=stability)
    if stability != FLAKY or latest.verdict is None:
        return merged
    v = latest.verdict
    why = (f"failed in {len(seen)} of {total} runs" if len(seen) < total
           else f"failed in all {total} runs with {len(set(keys))} different errors")
    if model_side:
        where = ", ".join(e.source or e.detail for e in model_side)
        verdict = evolve(v, tags=_tagged(v.tags, FLAKY_TAG, MODEL_NONDETERMINISTIC_TAG),
                         evidence=(*v.evidence, *model_side),
                         reasoning=f"{v.reasoning} Flaky across runs ({why}), and the model's code is nondeterministic "
                                   f"where the error points ({where}): the variation is the model's.")
    else:
        reason = (f"flaky: {why}, and the model's code shows no randomness or clock where the error points; "
                  "suspect a nondeterministic grader or harness")
        review = f"{v.review_reason}; {reason}" if v.needs_review and v.review_reason else reason
        verdict = evolve(v, tags=_tagged(v.tags, FLAKY_TAG), needs_review=True, review_reason=review)
    return evolve(merged, verdict=verdict)


def _tagged(tags: tuple[str, ...], *more: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*tags, *more)))


def _warnings(analyses: Sequence[RunAnalysis]) -> tuple[str, ...]:
    """Each run's warnings, prefixed with its run id (repeated text once)."""
    return tuple(dict.fromkeys(f"run {a.run.id}: {w}" for a in analyses for w in a.warnings))
