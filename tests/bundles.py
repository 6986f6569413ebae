"""Small run bundles built in code, for tests that need a precise failure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RUN_ID = "jn7aaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
PASSED = {"kind": "passed"}
SKIPPED = {"kind": "skipped"}


def failed(reason: str) -> dict[str, Any]:
    return {"kind": "failed", "failureReason": reason}


def eval_id(n: int) -> str:
    return f"k57{n:029d}".replace("0", "a")[:3] + f"{n:029d}".replace("0", "b")


def failure(
    n: int,
    eval_path: str,
    step: str,
    reason: str,
    *,
    steps: dict[str, dict] | None = None,
    task: str = "Write a Convex query.",
    outputs: dict[str, str] | None = None,
    sources: dict[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A (failedEvals entry, debug info) pair for one failure."""
    category, name = eval_path.split("/")
    eid = eval_id(n)
    order = ["filesystem", "install", "deploy", "tsc", "eslint", "tests"]
    statuses = {s: PASSED for s in order}
    after = False
    for s in order:
        if after and s not in ("eslint", "tests"):
            statuses[s] = SKIPPED
        if s == step:
            statuses[s] = failed(reason)
            after = True
    if step in ("filesystem", "install", "deploy"):
        statuses.update({"tsc": SKIPPED, "eslint": SKIPPED, "tests": SKIPPED})
    statuses.update(steps or {})
    entry = {
        "_id": eid,
        "evalPath": eval_path,
        "category": category,
        "name": name,
        "failureReason": reason,
        "failedStep": {"name": step, "failureReason": reason},
    }
    debug = {
        "eval": {"_id": eid, "evalPath": eval_path, "category": category, "name": name,
                 "status": failed(reason), "task": task},
        "run": {"_id": RUN_ID, "model": "test-model", "provider": "acme", "runId": RUN_ID,
                "experiment": "default", "status": {"kind": "completed"}},
        "steps": [{"name": s, "status": statuses[s]} for s in order],
        "outputFiles": outputs if outputs is not None else {"convex/index.ts": "export const x = 1;\n"},
        "evalSourceFiles": {"TASK.txt": task, **(sources or {})},
    }
    return entry, debug


def bundle(
    failures: list[tuple[dict, dict]],
    *,
    total: int = 20,
    model: str = "test-model",
    provider: str = "acme",
    run_id: str = RUN_ID,
) -> dict[str, Any]:
    """A bundle dict; counts are floats as Convex sends them."""
    return {
        "format": "evalanalysis.bundle/1",
        "summary": {
            "run": {"_id": run_id, "model": model, "provider": provider, "experiment": "default",
                    "status": {"kind": "completed", "durationMs": 1000.0}},
            "totalEvals": float(total),
            "passedCount": float(total - len(failures)),
            "failedCount": float(len(failures)),
            "failedEvals": [entry for entry, _ in failures],
        },
        "evals": {entry["_id"]: debug for entry, debug in failures},
    }


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, indent=2))
    return path
