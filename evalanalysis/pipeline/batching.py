"""`analyze --batch`: the step before `analyze_run` that sends a run's classifications as one provider batch.

It runs the pure pipeline once with a collecting classifier, which builds each
failure's context exactly as the real pass will (same history snapshot, same
taxonomy) and asks the `BatchClassifier` for the request it would send; the
uncached ones go out in one batch (`BatchClassifier.run_batch`). The real pass
that follows then finds each answer waiting in the classifier, and sends live
only what the batch did not answer. Nothing here reads the disk or the clock
itself: the classifier's batch step keeps its batch ids in the cache directory.
"""

from __future__ import annotations

from typing import Any

from ..errors import UsageError
from ..model import FailureContext, RunSummary, Taxonomy, Verdict
from ..protocols import BatchClassifier, Classifier, History, Source
from .orchestrate import Progress, ProgressCallback, analyze_run


class _Collector:
    """Plays `Classifier` for the collecting pass: records the batch request of each failure."""

    def __init__(self, batch: BatchClassifier, name: str):
        self.batch = batch
        self.name = name
        self.requests: dict[Any, Any] = {}

    async def classify(self, failure: FailureContext) -> Verdict:
        request = self.batch.batch_request(failure)
        if request is not None:
            self.requests.setdefault(getattr(request, "key", id(request)), request)  # one request per distinct prompt
        return Verdict(failure.taxonomy.names[0], "(collected for a batch; not a verdict)", 0.0, self.name)


def can_batch(classifier: Classifier) -> bool:
    """True when `classifier` plays `BatchClassifier` (and, for an `LLMClassifier`, its provider has a batch API)."""
    return isinstance(classifier, BatchClassifier) and bool(getattr(classifier, "supports_batch", True))


async def send_batch(
    classifier: Classifier,
    *,
    source: Source,
    summary: RunSummary,
    history: History | None,
    taxonomy: Taxonomy,
    date: str,
    concurrency: int,
    on_progress: ProgressCallback | None = None,
) -> list[str]:
    """Send every uncached classification of `summary`'s failures in one batch and wait for it; the warnings."""
    name = getattr(classifier, "name", type(classifier).__name__)
    if not can_batch(classifier):
        raise UsageError(f"--batch: the {name} classifier has no batch API; run without --batch")
    collector = _Collector(classifier, name)
    report = on_progress or (lambda _event: None)

    def collecting(event: Progress) -> None:  # the collecting pass fetches every failure: show it as the batch's first step
        if event.stage in ("run", "done"):
            report(Progress("batch", event.done, event.total, detail="building the batch's prompts"))

    await analyze_run(summary.run.id, source=source, classifier=collector, summary=summary, history=history,
                      date=date, taxonomy=taxonomy, concurrency=concurrency, synthesize=False, on_progress=collecting)
    requests = list(collector.requests.values())
    if not requests:
        return []

    def progress(status: Any) -> None:
        detail = f"batch {getattr(status, 'batch_id', '?')}: {getattr(status, 'detail', '') or getattr(status, 'state', '')}"
        report(Progress("batch", getattr(status, "done", 0), getattr(status, "total", 0) or len(requests), detail=detail))

    return list(await classifier.run_batch(requests, progress))
