"""The data model: frozen attrs classes for what sources return and what analysis produces.

Two families live here. The *wire* classes (`RunSummary`, `EvalDetail` and their
parts) mirror the Convex payloads of SPEC section 4; `evalanalysis.converter`
structures them from camelCase JSON. The *analysis* classes (`Verdict`,
`FailureAnalysis`, `RunAnalysis`, ...) are what classifiers, collation and
reporters exchange; they (un)structure to snake_case JSON for reports.
"""

from __future__ import annotations

from typing import Mapping

from attrs import field, frozen

from .taxonomy import DEFAULT_TAXONOMY, Taxonomy

# --------------------------------------------------------------------------- wire


@frozen
class RunStatus:
    """A run's status: `kind` is pending, running, completed or failed."""

    kind: str
    duration_ms: float | None = None
    failure_reason: str | None = None


@frozen
class RunInfo:
    """The run a failure summary or debug info belongs to."""

    id: str
    model: str
    provider: str | None  # null in the database when the run's model has no provider recorded
    experiment: str | None = None
    status: RunStatus | None = None


@frozen
class FailedStep:
    """The first pipeline step that failed, with the grader's reason."""

    name: str
    failure_reason: str | None = None


@frozen
class FailedEval:
    """One entry of `failedEvals` in the failure summary."""

    id: str
    eval_path: str
    category: str
    name: str
    failure_reason: str | None = None
    failed_step: FailedStep | None = None


@frozen
class RunSummary:
    """`debugQueries:getFailedEvalsForRun`: the run and its failed evals."""

    run: RunInfo
    total_evals: int
    passed_count: int
    failed_count: int
    failed_evals: tuple[FailedEval, ...] = ()


@frozen
class StepStatus:
    """A step's status: `kind` is running, passed, failed or skipped."""

    kind: str
    failure_reason: str | None = None
    duration_ms: float | None = None


@frozen
class Step:
    """One pipeline step (filesystem, install, deploy, tsc, eslint, tests)."""

    name: str
    status: StepStatus


@frozen
class EvalStatus:
    """An eval's own status, as the debug info reports it."""

    kind: str
    failure_reason: str | None = None
    duration_ms: float | None = None


@frozen
class EvalInfo:
    """The eval part of `debug:getEvalDebugInfo`."""

    id: str
    eval_path: str
    category: str
    name: str
    status: EvalStatus | None = None
    task: str | None = None


@frozen
class DebugRunInfo:
    """The run part of `debug:getEvalDebugInfo` (it names the run id `runId` too)."""

    id: str
    model: str
    provider: str | None
    run_id: str | None = None
    experiment: str | None = None
    status: RunStatus | None = None


@frozen
class EvalDetail:
    """`debug:getEvalDebugInfo`: everything known about one failed eval.

    `output_files` are the model's files, `eval_source_files` the eval's own
    (`TASK.txt`, `answer/...`, grader tests, sometimes `GAPS.txt`). Either is
    `None` when the backend has none. Binary files hold `"<binary file>"`.
    """

    eval: EvalInfo
    run: DebugRunInfo | None = None
    steps: tuple[Step, ...] = ()
    output_files: Mapping[str, str] | None = None
    eval_source_files: Mapping[str, str] | None = None

    def step(self, name: str) -> Step | None:
        """The step called `name`, or None when the run never reached it."""
        return next((s for s in self.steps if s.name == name), None)

    def source_file(self, name: str) -> str | None:
        """An eval source file by exact path or by basename (e.g. `GAPS.txt`)."""
        files = self.eval_source_files or {}
        if name in files:
            return files[name]
        return next((text for path, text in files.items() if path.rsplit("/", 1)[-1] == name), None)


# ----------------------------------------------------------------------- analysis


# The class shown for a failure that could not be analysed (it has none): in tables, counts and colours.
NOT_ANALYSED = "NOT_ANALYSED"


@frozen
class Evidence:
    """One fact a verdict rests on.

    `kind` is e.g. `gaps` (a GAPS.txt entry), `prior_report`, `lint_rule`,
    `error_code`, `step_outcome`, `error_signature`, `infrastructure`.
    """

    kind: str
    detail: str
    source: str | None = None


@frozen
class Usage:
    """Token usage of LLM calls; zero for offline classifiers.

    `input_tokens` is all input sent, of which `cache_read_tokens` were read from
    the provider's prompt cache and `cache_write_tokens` written to it;
    `batched` counts the requests sent through a provider batch; `cost_usd` is
    what the requests cost at the configured prices (0 when none is known).
    """

    input_tokens: int = 0
    output_tokens: int = 0
    requests: int = 0
    cached: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    batched: int = 0
    cost_usd: float = 0.0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.requests + other.requests,
            self.cached + other.cached,
            self.cache_read_tokens + other.cache_read_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
            self.batched + other.batched,
            round(self.cost_usd + other.cost_usd, 6),
        )


@frozen
class Correction:
    """A maintainer's correction of a failure's class (`evalanalysis actions --reclassify`).

    `original` is the class the failure had before (the classifier's, or the
    previous correction's); `reason` is the maintainer's; `date` the day it was
    recorded. The corrected class itself is the verdict's (or finding's) class.
    """

    original: str
    reason: str
    date: str | None = None


@frozen
class Verdict:
    """A classifier's decision on one failure; `correction` is set when a maintainer has since
    corrected its class (`classification` is then the corrected one)."""

    classification: str
    reasoning: str
    confidence: float
    classifier: str
    error_summary: str | None = None
    model_snippet: str | None = None
    expected_snippet: str | None = None
    evidence: tuple[Evidence, ...] = ()
    tags: tuple[str, ...] = ()
    usage: Usage | None = None
    needs_review: bool = False
    review_reason: str | None = None
    correction: Correction | None = None
    decided_by: str | None = None  # which evidence decided the class, in words (e.g. "a GAPS.txt entry matching the error")


@frozen
class PriorFinding:
    """A finding about one eval in an earlier report.

    `classification` is the class normalised to the configured taxonomy (None when
    the report's class maps to none); `classification_raw` is the class as written.
    `repeat` says the earlier report itself called this failure a repeat; `note` is
    its repeat note or a one-line summary. `run_ids` lists every run the report
    covers (multi-run reports); `run_id` is the first. `correction` is set when a
    maintainer corrected the class in that report (`evalanalysis actions --reclassify`):
    `classification` is then the corrected class, a maintainer-given verdict.
    """

    report: str
    run_id: str | None
    date: str | None
    provider: str | None
    model: str | None
    eval_path: str
    classification: str | None
    classification_raw: str | None = None
    failed_step: str | None = None
    repeat: bool = False
    note: str | None = None
    actions: tuple[str, ...] = ()
    run_ids: tuple[str, ...] = ()
    correction: Correction | None = None
    error: str | None = None  # the error as the report quotes it (our reports: its telling line), if it does

    @property
    def corrected(self) -> bool:
        """True when a maintainer gave this class (a correction), not a classifier."""
        return self.correction is not None


@frozen
class RecordedAction:
    """One entry of an earlier report's "Actions taken" section.

    `evals` are the eval paths (or bare names, when the report gives no category)
    the entry mentions; an empty tuple means a change not tied to one eval.
    """

    text: str
    report: str
    run_id: str | None = None
    date: str | None = None
    evals: tuple[str, ...] = ()


@frozen
class FailureContext:
    """What a classifier gets for one failure.

    `prior_findings` are earlier reports' findings about the eval (this model's
    first, each group newest first); `actions` are the "Actions taken" entries of
    earlier reports that name this eval (newest first), so a classifier can tell
    a failure that repeats after a fix from one nobody touched; `date` is the
    analysis date (ISO), against which an earlier finding's age is measured.
    """

    failed: FailedEval
    detail: EvalDetail
    taxonomy: Taxonomy = DEFAULT_TAXONOMY
    prior_findings: tuple[PriorFinding, ...] = ()
    run: RunInfo | None = None
    actions: tuple[RecordedAction, ...] = ()
    date: str | None = None


@frozen
class FailureAnalysis:
    """The outcome for one failed eval.

    `classification` is the verdict's class, or None when the failure could not
    be analysed (`not_analysed_reason` says why; the rest of the run is unaffected).
    `repeat_of` is the earlier finding this failure repeats, if any.

    In a report over several runs of one model and experiment (`analyze RUN1 RUN2 ...`)
    the failure stands for every run the eval failed in: `runs_failed` of
    `runs_total` runs, `failed_in` their ids and `fingerprints` the error
    fingerprint key of each (in the same order), and `stability` is
    `deterministic` (failed in every run with one fingerprint) or `flaky`. The
    rest (error, class, verdict) is the latest of those runs'. A single-run
    report leaves the four None or empty.
    """

    eval_id: str
    eval_path: str
    category: str
    name: str
    failed_step: str | None
    error: str
    classification: str | None
    verdict: Verdict | None = None
    not_analysed_reason: str | None = None
    prior_findings: tuple[PriorFinding, ...] = ()
    repeat_of: PriorFinding | None = None
    runs_failed: int | None = None
    runs_total: int | None = None
    failed_in: tuple[str, ...] = ()
    fingerprints: tuple[str, ...] = ()
    stability: str | None = None

    @property
    def analysed(self) -> bool:
        return self.classification is not None

    @property
    def flaky(self) -> bool:
        """True when runs of a multi-run report disagree on this eval (see `stability`)."""
        return self.stability == FLAKY


# `FailureAnalysis.stability` in a report over several runs.
DETERMINISTIC = "deterministic"
FLAKY = "flaky"


@frozen
class Pattern:
    """A cross-cutting pattern: several failures sharing a cause or a trait."""

    kind: str
    title: str
    detail: str
    evals: tuple[str, ...] = ()
    source: str = "rules"


RECOMMENDATION_GROUPS: tuple[tuple[str, str], ...] = (
    ("eval_improvements", "Eval improvements"),
    ("lint_config", "Lint/config changes"),
    ("model_specific", "Model-specific notes"),
    ("no_action", "No action needed"),
)


@frozen
class Recommendation:
    """One recommendation in one of the four seed groups (`RECOMMENDATION_GROUPS`)."""

    group: str
    text: str
    evals: tuple[str, ...] = ()
    source: str = "rules"


@frozen
class NetImpact:
    """How many failures the eval side should act on vs genuine model faults."""

    actionable: int
    model_faults: int
    known_gaps: int
    not_analysed: int
    summary: str


@frozen
class SincePrevious:
    """What changed since the previous report of the same model and experiment (`report`, about run
    `run_id` of `date`), by eval path: failures `new` in this run, `persisting` ones (of which
    `error_changed` failed with a different error fingerprint, or at another step, and
    `class_changed` got another class), and `resolved` ones, failed then and not failed now (a
    run's summary lists only its failures, so "not failed" is all this run can say of them).

    `by_error` is False when the earlier report records no error text for some
    persisting failure: those were compared by eval and failed step only.
    """

    report: str
    run_id: str | None
    date: str | None
    new: tuple[str, ...] = ()
    persisting: tuple[str, ...] = ()
    error_changed: tuple[str, ...] = ()
    class_changed: tuple[str, ...] = ()
    resolved: tuple[str, ...] = ()
    by_error: bool = True

    @property
    def summary(self) -> str:
        """One line for a report's header: `Since run X (date, report): 3 new failures, ...`."""
        when = ", ".join(part for part in (self.date, self.report) if part)
        changed = len(self.error_changed)
        what = "error" if self.by_error else "error or failed step"
        detail = [f"{changed} with a different {what}"] if changed else []
        if self.class_changed:
            detail.append(f"{len(self.class_changed)} classified differently")
        persisting = f"{len(self.persisting)} persisting" + (f" ({', '.join(detail)})" if detail else "")
        counts = f"{_plural(len(self.new), 'new failure')}, {persisting}, {len(self.resolved)} no longer failing"
        basis = "" if self.by_error else " (that report records no error text for some; those compared by eval and failed step only)"
        return f"Since run {self.run_id or '?'} ({when}): {counts}{basis}."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


@frozen
class RunCount:
    """One of the runs a multi-run report covers: its id, status and counts."""

    id: str
    total_evals: int
    passed_count: int
    failed_count: int
    status: RunStatus | None = None

    @property
    def pass_rate(self) -> str:
        return _rate(self.passed_count, self.total_evals)

    @property
    def pass_percent(self) -> float:
        return 100 * self.passed_count / self.total_evals if self.total_evals else 0.0


@frozen
class PassRateSpread:
    """The pass rates (percent) of the runs a multi-run report covers: their `mean`, `minimum`,
    `maximum` and sample standard deviation `stdev` (percentage points)."""

    mean: float
    minimum: float
    maximum: float
    stdev: float

    @property
    def summary(self) -> str:
        """`mean 80.3%, min-max 78.8-81.8%, sd 1.5 pp`."""
        return (f"mean {self.mean:.1f}%, min\u2013max {self.minimum:.1f}\u2013{self.maximum:.1f}%, "
                f"sd {self.stdev:.1f} pp")


@frozen
class RunAnalysis:
    """The whole analysis of one run, or of several runs of one model and experiment: what reporters
    render and JSON reports hold.

    A multi-run report lists its runs in `runs` (oldest first, as given; `run` is the first, whose id
    names the report file) with their pass rates' `pass_rates` spread; its counts are summed over the
    runs and each failure says in how many it failed. A single-run report has `runs` empty.
    """

    run: RunInfo
    date: str
    total_evals: int
    passed_count: int
    failed_count: int
    failures: tuple[FailureAnalysis, ...]
    failures_by_step: Mapping[str, int]
    patterns: tuple[Pattern, ...]
    recommendations: tuple[Recommendation, ...]
    net_impact: NetImpact
    classifier: str
    taxonomy: Taxonomy = DEFAULT_TAXONOMY
    usage: Usage = field(factory=Usage)
    corrected_passed_count: int | None = None
    actions_taken: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    since_previous: SincePrevious | None = None
    runs: tuple[RunCount, ...] = ()
    pass_rates: PassRateSpread | None = None
    schema: str = "evalanalysis.analysis/1"

    @property
    def run_ids(self) -> tuple[str, ...]:
        """Every run the analysis covers: the runs of a multi-run report, else the one run."""
        return tuple(r.id for r in self.runs) or (self.run.id,)

    @property
    def pass_rate(self) -> str:
        return _rate(self.passed_count, self.total_evals)

    @property
    def corrected_pass_rate(self) -> str | None:
        if self.corrected_passed_count is None:
            return None
        return _rate(self.corrected_passed_count, self.total_evals)


def _rate(passed: int, total: int) -> str:
    # int / int is exact for any size (100.0 * passed would overflow a float for a 400-digit count)
    pct = 100 * passed / total if total else 0.0
    return f"{passed}/{total} ({pct:.1f}%)"
