"""`analyze --batch`: the step before `analyze_run` that sends a run's classifications as one provider batch.

It runs the pure pipeline once with a collecting classifier, which builds each
failure's context exactly as the real pass will (same history snapshot, same
taxonomy) and asks the `BatchClassifier` for the request it would send; the
uncached ones go out in one batch (`BatchClassifier.run_batch`). The real pass
that follows then finds each answer waiting in the classifier, and sends live
only what the batch did not answer. What the collecting pass fetched is kept
(`KeptDetails`, up to `KEPT_BYTES` of text) for the real pass to take, so a
Convex deployment is asked once per failure, not twice. Nothing here reads the disk or the clock
itself: the classifier's batch step keeps its batch ids in the cache directory.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..errors import UsageError
from ..model import EvalDetail, FailedEval, FailureContext, RunSummary, Taxonomy, Verdict
from ..protocols import BatchClassifier, Classifier, History, Source
from .orchestrate import Progress, ProgressCallback, analyze_run


KEPT_BYTES = 32 * 1024 * 1024
"""How much fetched text (characters of every string of the details) the collecting pass keeps for the real one."""


class KeptDetails:
    """A `Source` that keeps each eval detail it fetched, up to `limit` characters in all, until it is
    asked for once more: the real pass takes what the collecting pass fetched. A detail that would pass
    the limit, or a fetch that failed, is simply fetched again."""

    def __init__(self, source: Source, limit: int = KEPT_BYTES):
        self.source = source
        self.limit = limit
        self.kept: dict[tuple[str, str], tuple[EvalDetail, int]] = {}
        self.size = 0

    async def fetch_run(self, run_id: str | None) -> RunSummary | None:
        return await self.source.fetch_run(run_id)

    async def fetch_eval(self, failed: FailedEval) -> EvalDetail:
        key = (failed.id, failed.eval_path)
        found = self.kept.pop(key, None)
        if found is not None:
            self.size -= found[1]
            return found[0]
        detail = await self.source.fetch_eval(failed)
        size = text_size(detail)
        if self.size + size <= self.limit:
            self.kept[key] = (detail, size)
            self.size += size
        return detail


def text_size(value: Any) -> int:
    """The characters of every string in `value` (attrs objects, mappings and sequences walked)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        return sum(text_size(k) + text_size(v) for k, v in value.items())
    if isinstance(value, (tuple, list)):
        return sum(text_size(v) for v in value)
    if attrs.has(type(value)):
        return sum(text_size(getattr(value, f.name)) for f in attrs.fields(type(value)))
    return 0


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
    """Send every uncached classification of `summary`'s failures in one batch and wait for it; the warnings.

    Hand the real pass a `KeptDetails` as `source` to have it take what this pass fetched.
    """
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
