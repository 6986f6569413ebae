"""The roles plugins play. Any object with these methods fits; no base class needed."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from .model import EvalDetail, FailedEval, FailureContext, PriorFinding, RecordedAction, RunAnalysis, RunSummary, Verdict


@runtime_checkable
class Source(Protocol):
    """Where runs come from (a Convex deployment, a bundle file, ...)."""

    async def fetch_run(self, run_id: str | None) -> RunSummary | None:
        """The run's failure summary, or None when the source has no such run."""

    async def fetch_eval(self, failed: FailedEval) -> EvalDetail:
        """Everything known about one failed eval; raises on trouble (the entry is then not analysed)."""


@runtime_checkable
class PayloadSource(Protocol):
    """Optional second role of a source: the backend's JSON as it came, so `snapshot` saves it unchanged.

    Without it, `snapshot` writes the parsed objects back out, which loses fields
    the data model does not know.
    """

    async def fetch_run_payload(self, run_id: str | None) -> Any:
        """The `getFailedEvalsForRun` value (already checked to parse as a `RunSummary`), or None for no such run."""

    async def fetch_eval_payload(self, failed: FailedEval) -> Any:
        """The `getEvalDebugInfo` value for `failed`, unchecked: its `{error}` form included."""


@runtime_checkable
class Classifier(Protocol):
    """Decides the class of one failure."""

    name: str

    async def classify(self, failure: FailureContext) -> Verdict:
        """A verdict whose class is one of `failure.taxonomy`'s names."""


@runtime_checkable
class Synthesizer(Protocol):
    """Optional second role of a classifier: read all verdicts, add patterns and recommendations."""

    async def synthesize(self, analysis: RunAnalysis) -> RunAnalysis:
        """The analysis with synthesised patterns/recommendations merged in (or unchanged)."""


@runtime_checkable
class DryRunFactory(Protocol):
    """Optional role of a classifier factory: `analyze --dry-run` builds its classifier this way.

    The classifier it returns plays `Classifier` (and may play `Synthesizer`) but
    calls no LLM, and plays `DryRunEstimate`: what the run would have cost.
    """

    def dry_run_from_settings(self, settings: Any, *, fallback: Classifier | None = None) -> Any:
        """A classifier that counts the prompts it would send; `fallback` classifies meanwhile."""


@runtime_checkable
class BatchClassifier(Protocol):
    """Optional second role of a classifier: answer a run's classifications in one provider batch (`analyze --batch`).

    The pipeline first builds every failure's context and asks `batch_request` for
    the request `classify` would send; it sends those together with `run_batch`,
    then classifies as usual: `classify` uses the batch's answers (validated like
    live ones) and sends live whatever the batch did not answer.
    """

    def batch_request(self, failure: FailureContext) -> Any:
        """The request `classify(failure)` would send, or None when it would send none (a cached verdict)."""

    async def run_batch(self, requests: list[Any], on_progress: Any = None) -> list[str]:
        """Send `requests` as one batch (or resume the batch sent for them by an interrupted run), wait for it
        (`on_progress(status)` after each poll), and keep its answers for `classify`; warnings to show."""


@runtime_checkable
class DryRunEstimate(Protocol):
    """What a dry-run classifier reports once the run is analysed."""

    def dry_run_counts(self) -> dict[str, Any]:
        """The figures, as JSON-ready data (`analyze --dry-run --json`)."""

    def dry_run_summary(self) -> str:
        """The figures, as lines of text."""


@runtime_checkable
class Reporter(Protocol):
    """Renders an analysis to text; the caller writes the file."""

    suffix: str

    def render(self, analysis: RunAnalysis) -> str:
        """The report's full text."""


class History(Protocol):
    """Prior findings from earlier reports (see `evalanalysis.history`)."""

    def prior_findings(self, provider: str, model: str, eval_path: str) -> tuple[PriorFinding, ...]:
        """Findings about `eval_path`, this model's first, each group newest first."""


@runtime_checkable
class ActionLog(Protocol):
    """Optional second role of a history: the "Actions taken" entries of earlier reports."""

    def recorded_actions(self) -> tuple[RecordedAction, ...]:
        """Every recorded action, newest report first; recommendations already acted on are cited, not repeated."""
