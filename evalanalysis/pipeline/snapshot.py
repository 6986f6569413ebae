"""Save a run from any source as a bundle (SPEC section 4), for offline analysis and tests."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from ..converter import BUNDLE_FORMAT, structure_run_summary, unstructure_wire, without_surrogates
from ..errors import EvalAnalysisError, RunNotFound, Unavailable
from ..model import FailedEval
from ..protocols import PayloadSource, Source
from ..llm.redaction import redact_data
from .reportfile import write_new_file



async def snapshot_run(source: Source, run_id: str | None, concurrency: int = 4) -> dict[str, Any]:
    """The bundle data of a run: its summary and every failed eval's debug info.

    A source that offers its payloads as they came (`PayloadSource`) has them
    saved unchanged. An eval whose debug info cannot be fetched is stored as
    `{"error": reason}`, as the Convex function itself answers for an unknown
    eval; a source that refuses every request (`Unavailable`) stops the snapshot.
    """
    raw = isinstance(source, PayloadSource)
    if raw:
        summary_payload = await source.fetch_run_payload(run_id)  # type: ignore[attr-defined]
        summary = None if summary_payload is None else structure_run_summary(summary_payload)
    else:
        summary = await source.fetch_run(run_id)
        summary_payload = None if summary is None else unstructure_wire(summary)
    if summary is None:
        raise RunNotFound(f"run {run_id} not found at {getattr(source, 'location', 'the source')}")
    gate = asyncio.Semaphore(concurrency)

    async def fetch(failed: FailedEval) -> tuple[str, Any]:
        async with gate:
            try:
                if raw:
                    return failed.id, await source.fetch_eval_payload(failed)  # type: ignore[attr-defined]
                return failed.id, unstructure_wire(await source.fetch_eval(failed))
            except Unavailable:
                raise
            except EvalAnalysisError as exc:
                return failed.id, {"error": str(exc)}
            except Exception as exc:  # one eval's trouble (a plugin bug, a payload nothing can walk) costs only that eval
                return failed.id, {"error": f"{type(exc).__name__}: {str(exc).strip()[:300]}".rstrip(": ")}

    evals = dict(await asyncio.gather(*(fetch(f) for f in summary.failed_evals)))
    return {"format": BUNDLE_FORMAT, "summary": summary_payload, "evals": evals}


def bundle_text(bundle: dict[str, Any]) -> str:
    """The bundle as the JSON text a file (or stdout) gets; lone surrogates become U+FFFD."""
    try:
        text = json.dumps(redact_data(bundle), indent=2, ensure_ascii=False) + "\n"
    except RecursionError:  # only a source that skipped the nesting check can get here
        raise EvalAnalysisError("the run's payloads are nested too deeply to be saved as a bundle") from None
    return without_surrogates(text)


def write_bundle(path: Path, bundle: dict[str, Any]) -> None:
    """Write a bundle atomically; refuse to replace an existing file."""
    text = bundle_text(bundle)
    try:
        write_new_file(path, text)
    except FileExistsError:
        raise EvalAnalysisError(f"{path} already exists; choose another -o path or remove it first") from None
    except OSError as exc:
        raise EvalAnalysisError(f"cannot write {path}: {exc.strerror or exc}") from None
