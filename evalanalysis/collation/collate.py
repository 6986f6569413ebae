"""Collation: from per-failure verdicts to the run's summary, patterns, recommendations and net impact.

Deterministic: the same failures always give the same report. LLM synthesis
(when a classifier offers it) adds to this base; it never replaces it.
"""

from __future__ import annotations

from collections import Counter

from .facts import has_flag, plural, role_of
from ..model import (
    DEFAULT_TAXONOMY,
    FailureAnalysis,
    NetImpact,
    RecordedAction,
    RunAnalysis,
    RunSummary,
    Taxonomy,
    Usage,
    _rate,
)
from .patterns import find_patterns
from .recommend import cite_recorded_actions, recommend
from ..names import provider_folder

def collate(
    summary: RunSummary,
    failures: tuple[FailureAnalysis, ...],
    *,
    taxonomy: Taxonomy = DEFAULT_TAXONOMY,
    classifier: str,
    date: str,
    prior_actions: tuple[RecordedAction, ...] = (),
) -> RunAnalysis:
    """Build the `RunAnalysis` of a run from its analysed failures.

    `prior_actions` are earlier reports' "Actions taken" entries (newest first):
    a recommendation one of them already carried out is cited, not repeated.
    """
    failures = tuple(sorted(failures, key=lambda f: f.eval_path))
    by_step = Counter(f.failed_step or "unknown" for f in failures)
    counts_as_pass = sum(1 for f in failures if has_flag(taxonomy, f, "counts_as_pass"))
    return RunAnalysis(
        run=summary.run,
        date=date,
        total_evals=summary.total_evals,
        passed_count=summary.passed_count,
        failed_count=summary.failed_count,
        failures=failures,
        failures_by_step=dict(by_step.most_common()),
        patterns=tuple(find_patterns(failures, taxonomy, model=summary.run.model)),
        recommendations=tuple(cite_recorded_actions(recommend(failures, taxonomy), failures, prior_actions)),
        net_impact=net_impact(summary, failures, taxonomy),
        classifier=classifier,
        taxonomy=taxonomy,
        usage=sum((f.verdict.usage for f in failures if f.verdict and f.verdict.usage), start=Usage()),
        corrected_passed_count=summary.passed_count + counts_as_pass,
        warnings=tuple(count_warnings(summary) + provider_warnings(summary)),
    )


def provider_warnings(summary: RunSummary) -> list[str]:
    """A run whose provider the database left null: say so, and where its reports are filed instead."""
    if summary.run.provider and summary.run.provider.strip():
        return []
    return [f"the run records no provider (run.provider is null); its reports are filed under {provider_folder(summary.run)}/"]


def count_warnings(summary: RunSummary) -> list[str]:
    """What in the summary's counts disagrees with itself, for a reader who would otherwise trust the pass rate."""
    warnings = []
    listed = len(summary.failed_evals)
    if summary.failed_count != listed:
        warnings.append(
            f"the failure summary counts {summary.failed_count} failed evals but lists {listed}; "
            f"this report covers the {listed} listed"
        )
    if summary.passed_count + summary.failed_count > summary.total_evals:
        warnings.append(
            f"passedCount {summary.passed_count} plus failedCount {summary.failed_count} "
            f"is more than totalEvals {summary.total_evals}"
        )
    return warnings


def net_impact(summary: RunSummary, failures: tuple[FailureAnalysis, ...], taxonomy: Taxonomy = DEFAULT_TAXONOMY) -> NetImpact:
    """How many failures are the eval side's to act on, and what fixing them would do to the pass rate."""
    actionable = [f for f in failures if has_flag(taxonomy, f, "actionable")]
    model_faults = [f for f in failures if role_of(taxonomy, f) == "model_fault"]
    known = [f for f in failures if role_of(taxonomy, f) == "known_gap"]
    missing = [f for f in failures if not f.analysed]
    total = len(failures)
    parts = [f"{len(actionable)} of {total} failures are actionable on the eval side"]
    if actionable:
        by_class = Counter(f.classification for f in actionable)
        parts[0] += " (" + ", ".join(f"{c} {n}" for c, n in sorted(by_class.items())) + ")"
    parts.append(f"{plural(len(model_faults), 'genuine model fault')}")
    parts.append(f"{plural(len(known), 'known gap')}")
    if missing:
        parts.append(f"{len(missing)} not analysed")
    text = "; ".join(parts) + "."
    if actionable:
        text += (
            f" Fixing the actionable ones would raise the pass rate from "
            f"{_rate(summary.passed_count, summary.total_evals)} to "
            f"{_rate(summary.passed_count + len(actionable), summary.total_evals)}."
        )
    return NetImpact(len(actionable), len(model_faults), len(known), len(missing), text)
