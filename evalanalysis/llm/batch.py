"""Provider batches (`analyze --batch`): every uncached classification of a run in one batch, at the
batch discount, resumable after an interrupt.

`run_batch` drives a classifier's three provider calls (`submit_batch`,
`poll_batch`, `batch_results`). Right after a batch is created, its id and what
each custom id stands for (the cache key of a prompt) are written to
`<cache dir>/batches/`; a later run that needs any of those prompts polls that
batch again instead of paying for a new one, and the file is removed once the
answers are in. The answers are not trusted here: they are handed to the
classifier (`prefetched`), whose `classify` validates and caches them exactly
like a live answer, and asks again live when one is invalid. A request the batch
did not answer (an error, an expired or cancelled batch) is simply left to
`classify`, which sends it live.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from attrs import frozen

from ..errors import ClassifierError, ClassifierUnavailable
from .answers import AnswerSchema

if TYPE_CHECKING:
    from .base import LLMClassifier

FORMAT = "evalanalysis.llm-batch/1"
ENDED = ("ended", "expired", "cancelled", "failed")  # `BatchStatus.state`s after which nothing more comes
CHUNK_CHARS = 4_000_000
CHUNK_REQUESTS = 10_000
"""A batch holds at most this many characters of prompt text and this many requests; more are sent as
several batches (created one after another, then collected). Well within both providers' limits (256 MB
and 100,000 requests at Anthropic, 200 MB and 50,000 at OpenAI), and it keeps the SDK's copies of one
request body to a few tens of megabytes: encoding one costs about ten bytes per character at its peak,
so a run of 2,000 prompts (32 M characters) sent whole took about 260 MB more than the prompts."""


@frozen
class BatchRequest:
    """One classification to send in a batch: its cache key, prompt and answer schema."""

    key: str
    system: str
    user: str
    schema: AnswerSchema
    eval_path: str = ""
    custom_id: str = ""
    run_id: str = ""


@frozen
class BatchStatus:
    """Where a provider batch stands: `state` is `running`, `ended` (all processed), `expired`,
    `cancelled` or `failed` (rejected as a whole); `done` of `total` requests processed."""

    batch_id: str
    state: str
    done: int = 0
    total: int = 0
    detail: str = ""  # the provider's own word, e.g. `in_progress`, `finalizing`


class BatchStore:
    """The batches sent and not yet collected, one JSON file each under `root` (None: kept in memory only)."""

    def __init__(self, root: Path | None):
        self.root = root
        self.memory: dict[str, dict[str, Any]] = {}

    def _path(self, provider: str, batch_id: str) -> Path:
        assert self.root is not None
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{provider}-{batch_id}")[:120]  # the id is the provider's: untrusted
        return self.root / f"{safe}.json"

    def pending(self, provider: str, model: str) -> list[dict[str, Any]]:
        """The batches of `provider` and `model` sent and not collected, oldest first."""
        found = list(self.memory.values())
        if self.root is not None and self.root.is_dir():
            for path in sorted(self.root.glob("*.json")):
                try:
                    state = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                requests = state.get("requests") if isinstance(state, dict) else None
                if (isinstance(requests, dict) and state.get("format") == FORMAT
                        and all(isinstance(k, str) and isinstance(v, str) for k, v in requests.items())):
                    found.append(state)
        return sorted(
            (s for s in found if s.get("provider") == provider and s.get("model") == model and isinstance(s.get("batch_id"), str)),
            key=lambda s: str(s.get("created", "")),
        )

    def save(self, provider: str, model: str, batch_id: str, requests: dict[str, str]) -> dict[str, Any]:
        """Record a batch just created (custom id -> cache key); written atomically before any poll."""
        state = {
            "format": FORMAT,
            "provider": provider,
            "model": model,
            "batch_id": batch_id,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "requests": requests,
        }
        if self.root is None:
            self.memory[batch_id] = state
            return state
        target = self._path(provider, batch_id)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".batch.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(state, f)
            os.replace(tmp, target)
        except OSError:  # it cannot be resumed after an interrupt, but this run still collects it
            self.memory[batch_id] = state
        return state

    def remove(self, provider: str, batch_id: str) -> None:
        self.memory.pop(batch_id, None)
        if self.root is not None:
            try:
                self._path(provider, batch_id).unlink()
            except OSError:
                pass


async def run_batch(
    llm: LLMClassifier,
    requests: list[BatchRequest],
    on_progress: Callable[[BatchStatus], None] | None = None,
    *,
    sleep: Callable[[float], Any] = asyncio.sleep,
) -> list[str]:
    """Answer `requests` through provider batches: collect those already sent for them, send the rest in one.

    Returns the warnings to show. The answers land in `llm.prefetched` (by cache key).
    """
    report = on_progress or (lambda _status: None)
    store = BatchStore(llm.batch_dir)
    wanted = {r.key: r for r in requests}
    warnings: list[str] = []
    for state in [s for s in store.pending(llm.provider, llm.model) if wanted.keys() & set(s["requests"].values())]:
        try:
            await _collect(llm, store, state, wanted, report, sleep, warnings)
        except ClassifierUnavailable as exc:
            if "HTTP 404" not in str(exc):  # a refused key: kept, for the run after the key is fixed
                raise
            # The provider does not know it (sent with another key or account, or deleted): send the requests again.
            store.remove(llm.provider, state["batch_id"])
            warnings.append(f"batch {state['batch_id']} sent by an earlier run could not be collected ({exc}); "
                            "its requests are sent again")
    new = [r for r in wanted.values() if r.key not in llm.prefetched]
    reserved = 0.0
    if new and llm.budget_usd is not None:  # what would pass the budget is left to `classify`, which refuses it
        fits: list[BatchRequest] = []
        for r in new:
            try:
                reserved += llm.reserve(llm.estimate_usd(r.system, r.user, r.schema, batched=True))
            except ClassifierError:
                break
            fits.append(r)
        if len(fits) < len(new):
            warnings.append(f"the batch holds {len(fits)} of {len(new)} requests: the rest would pass --budget-usd")
        new = fits
    if new:
        numbered = [_with_id(r, i) for i, r in enumerate(new)]
        try:
            states = []
            for chunk in _chunks(numbered):  # each saved as soon as it is created: an interrupt loses none
                batch_id = await llm.submit_batch(chunk)
                states.append(store.save(llm.provider, llm.model, batch_id, {r.custom_id: r.key for r in chunk}))
            done = 0
            for state in states:
                size = len(state["requests"])
                await _collect(llm, store, state, wanted, _offset(report, done, len(numbered)), sleep, warnings)
                done += size
        finally:  # the batches' actual cost replaces their estimate (`classify` takes their answers without a request)
            llm.committed_usd += sum(llm.prefetched[r.key][1].cost_usd for r in new if r.key in llm.prefetched) - reserved
    return warnings


def _chunks(requests: list[BatchRequest]) -> list[list[BatchRequest]]:
    """`requests` cut into batches of at most `CHUNK_CHARS` characters of prompt and `CHUNK_REQUESTS` requests."""
    chunks: list[list[BatchRequest]] = [[]]
    size = 0
    for r in requests:
        length = len(r.system) + len(r.user)
        if chunks[-1] and (size + length > CHUNK_CHARS or len(chunks[-1]) >= CHUNK_REQUESTS):
            chunks.append([])
            size = 0
        chunks[-1].append(r)
        size += length
    return chunks


def _offset(report: Callable[[BatchStatus], None], done: int, total: int) -> Callable[[BatchStatus], None]:
    """`report` seeing one batch of several as part of the whole: its counts after those collected before it."""
    from attrs import evolve

    return lambda status: report(evolve(status, done=done + status.done, total=total))


async def _collect(
    llm: LLMClassifier,
    store: BatchStore,
    state: dict[str, Any],
    wanted: dict[str, BatchRequest],
    report: Callable[[BatchStatus], None],
    sleep: Callable[[float], Any],
    warnings: list[str],
) -> None:
    """Wait for the batch of `state` to end, keep its answers in `llm.prefetched`, and forget it."""
    batch_id = state["batch_id"]
    try:
        status = await _wait(llm, batch_id, report, sleep)
    except (KeyboardInterrupt, asyncio.CancelledError):
        if llm.batch_dir is not None:  # say so: the next run picks it up rather than paying again
            sys.stderr.write(f"note: {llm.provider} batch {batch_id} goes on processing; "
                             "run the same command again to collect it\n")
        raise
    results = await llm.batch_results(batch_id) if status.state != "failed" else {}
    answered = errors = 0
    for custom_id, key in state["requests"].items():
        if key not in wanted:
            continue
        result = results.get(custom_id)
        if isinstance(result, tuple):
            raw, usage = result
            llm.prefetched[key] = (raw, llm.priced(usage, batched=True))
            llm.log.batched(wanted[key], batch_id, raw, llm.prefetched[key][1])
            answered += 1
        else:
            llm.log.batched(wanted[key], batch_id, result or f"the batch {status.state} without an answer to it")
            errors += 1
    store.remove(llm.provider, batch_id)
    if status.state in ("expired", "cancelled", "failed"):
        said = f" ({status.detail})" if status.detail and status.detail != status.state else ""
        warnings.append(f"batch {batch_id} {status.state}{said}: {errors} of {answered + errors} requests are sent live instead")
    elif errors:
        warnings.append(f"batch {batch_id}: {errors} of {answered + errors} requests got no answer; they are sent live")


def _with_id(request: BatchRequest, index: int) -> BatchRequest:
    # Anthropic allows [A-Za-z0-9_-]{1,64}; unique within the batch, and readable back to the prompt.
    from attrs import evolve

    return evolve(request, custom_id=f"r{index:05d}-{request.key[:24]}")


async def _wait(llm: LLMClassifier, batch_id: str, report: Callable[[BatchStatus], None], sleep: Callable[[float], Any]) -> BatchStatus:
    """Poll `batch_id` every `batch_poll_interval` seconds until it has ended one way or another."""
    while True:
        status = await llm.poll_batch(batch_id)
        report(status)
        if status.state in ENDED:
            return status
        await sleep(llm.settings.batch_poll_interval)
