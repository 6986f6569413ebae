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


@frozen
class TaxonomyClass:
    """One class of the taxonomy.

    `role` ties a team's own class names to the concepts the built-in
    classifiers reason with: model_fault, overly_strict, ambiguous_task,
    known_gap or infrastructure. `counts_as_pass` feeds the corrected pass rate;
    `actionable` says the eval side, not the model, should change.
    """

    name: str
    description: str
    role: str = "model_fault"
    counts_as_pass: bool = False
    actionable: bool = False


@frozen
class Taxonomy:
    """The classes a failure can be given; configuration, not code."""

    classes: tuple[TaxonomyClass, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.classes)

    def get(self, name: str) -> TaxonomyClass | None:
        return next((c for c in self.classes if c.name == name), None)

    def for_role(self, role: str) -> TaxonomyClass:
        """The first class with `role`; infrastructure falls back to ambiguous_task,
        anything else to the first class."""
        for wanted in (role, "ambiguous_task" if role == "infrastructure" else role):
            for c in self.classes:
                if c.role == wanted:
                    return c
        return self.classes[0]

    def normalise(self, raw: str) -> str | None:
        """Map a class as written in a report to a taxonomy name, or None when it names no class.

        Accepts any case, spaces or hyphens for underscores, trailing qualifiers
        (`AMBIGUOUS_TASK (infrastructure)`, `MODEL_FAULT (not analyzed in detail)`),
        role names and common synonyms (`HARNESS_FAILURE`, `GRADER_BUG`, `TOO_STRICT`, ...).
        A class the taxonomy lacks maps through its role: an infrastructure class falls
        back to the ambiguous_task class; `AMBIGUOUS_TASK (infrastructure)` goes to an
        infrastructure class when the taxonomy has one.
        """
        import re

        text = raw.strip().strip("*_`").upper()
        head, _, qualifier = text.partition("(")
        head = re.sub(r"[\s\-]+", "_", head.strip().strip(":.,;"))
        first = re.split(r"[\s(/,:;]", text.replace("-", "_"), maxsplit=1)[0]
        for candidate in dict.fromkeys((head, first)):
            token = re.sub(r"[^A-Z0-9_]", "", candidate).strip("_")
            if not token:
                continue
            role = None
            if token in self.names:
                role = self.get(token).role  # type: ignore[union-attr]
                if not ("INFRA" in qualifier and role == "ambiguous_task"):
                    return token
            role = role or (token.lower() if token.lower() in CLASS_ROLES else CLASS_SYNONYMS.get(token))
            if role is None:
                continue
            if role == "ambiguous_task" and "INFRA" in qualifier:
                role = "infrastructure"
            for wanted in (role, "ambiguous_task") if role == "infrastructure" else (role,):
                found = next((c.name for c in self.classes if c.role == wanted), None)
                if found:
                    return found
        return None


CLASS_ROLES = ("model_fault", "overly_strict", "ambiguous_task", "known_gap", "infrastructure")
# Names other teams and older reports use for the seed's concepts (keys upper-case, underscores).
CLASS_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(("MODEL_ERROR", "MODEL_FAILURE", "MODEL_BUG", "MODEL_MISTAKE", "GENUINE_FAILURE"), "model_fault"),
    **dict.fromkeys(("TOO_STRICT", "STRICT", "OVERSTRICT", "LINT_TOO_STRICT", "EVAL_TOO_STRICT"), "overly_strict"),
    **dict.fromkeys(("AMBIGUOUS", "UNCLEAR_TASK", "AMBIGUOUS_SPEC", "TASK_AMBIGUOUS"), "ambiguous_task"),
    **dict.fromkeys(("GAP", "DOCUMENTED_GAP", "KNOWN_ISSUE", "KNOWN_LIMITATION"), "known_gap"),
    **dict.fromkeys(
        (
            "INFRA", "INFRA_FAILURE", "INFRASTRUCTURE_FAILURE", "HARNESS", "HARNESS_FAILURE", "HARNESS_BUG",
            "HARNESS_ERROR", "GRADER_FAILURE", "GRADER_BUG", "GRADER_ERROR", "TEST_FAILURE", "TEST_BUG",
            "FLAKY", "FLAKE", "ENVIRONMENT", "ENVIRONMENT_FAILURE",
        ),
        "infrastructure",
    ),
}


DEFAULT_TAXONOMY = Taxonomy(
    classes=(
        TaxonomyClass(
            "MODEL_FAULT",
            "The model genuinely got it wrong.",
            role="model_fault",
        ),
        TaxonomyClass(
            "OVERLY_STRICT",
            "The eval, lint or test demands more than the task asked "
            "(e.g. a stylistic lint rule fails code whose tests all pass).",
            role="overly_strict",
            counts_as_pass=True,
            actionable=True,
        ),
        TaxonomyClass(
            "AMBIGUOUS_TASK",
            "The task is unclear and the model's reading was reasonable "
            "(infrastructure faults of the grader are reported here with an `infrastructure` tag).",
            role="ambiguous_task",
            counts_as_pass=True,
            actionable=True,
        ),
        TaxonomyClass(
            "KNOWN_GAP",
            "A documented limitation of this eval that affects all models: in the eval's "
            "GAPS.txt, or established by prior reports.",
            role="known_gap",
            counts_as_pass=True,
        ),
    )
)


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
    """Token usage of LLM calls; zero for offline classifiers."""

    input_tokens: int = 0
    output_tokens: int = 0
    requests: int = 0
    cached: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.requests + other.requests,
            self.cached + other.cached,
        )


@frozen
class Verdict:
    """A classifier's decision on one failure."""

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


@frozen
class PriorFinding:
    """A finding about one eval in an earlier report.

    `classification` is the class normalised to the configured taxonomy (None when
    the report's class maps to none); `classification_raw` is the class as written.
    `repeat` says the earlier report itself called this failure a repeat; `note` is
    its repeat note or a one-line summary. `run_ids` lists every run the report
    covers (multi-run reports); `run_id` is the first.
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
    """What a classifier gets for one failure."""

    failed: FailedEval
    detail: EvalDetail
    taxonomy: Taxonomy = DEFAULT_TAXONOMY
    prior_findings: tuple[PriorFinding, ...] = ()
    run: RunInfo | None = None


@frozen
class FailureAnalysis:
    """The outcome for one failed eval.

    `classification` is the verdict's class, or None when the failure could not
    be analysed (`not_analysed_reason` says why; the rest of the run is unaffected).
    `repeat_of` is the earlier finding this failure repeats, if any.
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

    @property
    def analysed(self) -> bool:
        return self.classification is not None


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
class RunAnalysis:
    """The whole analysis of one run: what reporters render and JSON reports hold."""

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
    schema: str = "evalanalysis.analysis/1"

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
