"""Large run bundles for the benchmarks, made by cycling the failures of the example bundles.

Each generated failure is a copy of a real example failure (its steps, files,
error text and GAPS.txt) under a fresh eval id and a unique eval path, so a run
of any size exercises the same evidence the examples do.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_RUNS = sorted((ROOT / "examples" / "runs").glob("*.json")) + sorted((ROOT / "examples" / "runs" / "fixtures").glob("*.json"))
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Convex ids: base32 without i, l, o, u


def convex_id(prefix: str, seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return (prefix + "".join(ALPHABET[b % 32] for b in digest))[:32]


def example_failures() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(failedEvals entry, debug info) of every failure in the example and fixture bundles."""
    pairs = []
    for path in EXAMPLE_RUNS:
        bundle = json.loads(path.read_text(encoding="utf-8"))
        pairs += [(entry, bundle["evals"][entry["_id"]]) for entry in bundle["summary"]["failedEvals"]]
    return pairs


def generated_bundle(failures: int, *, seed: str = "benchmark", model: str = "bench-model", provider: str = "bench") -> dict[str, Any]:
    """A bundle of `failures` failed evals (out of `failures` + 10 evals), deterministic for a seed."""
    sources = example_failures()
    run_id = convex_id("jn7", f"{seed}/run")
    run = {"_id": run_id, "model": model, "provider": provider, "experiment": "default",
           "status": {"kind": "completed", "durationMs": 3_600_000.0}}
    entries, evals = [], {}
    for n in range(failures):
        entry, debug = copy.deepcopy(sources[n % len(sources)])
        eval_id = convex_id("k57", f"{seed}/{n}")
        category = entry["category"]
        name = f"{entry['name']}_{n:04d}"
        path = f"{category}/{name}"
        entry.update({"_id": eval_id, "evalPath": path, "name": name})
        debug["eval"].update({"_id": eval_id, "evalPath": path, "name": name})
        debug["run"] = {**run, "runId": run_id}
        entries.append(entry)
        evals[eval_id] = debug
    summary = {"run": run, "totalEvals": float(failures + 10), "passedCount": 10.0,
               "failedCount": float(failures), "failedEvals": entries}
    return {"format": "evalanalysis.bundle/1", "summary": summary, "evals": evals}


def write_bundle(path: Path, bundle: dict[str, Any]) -> Path:
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


def machine() -> str:
    """One line naming the machine the figures come from."""
    import os
    import platform

    return (f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()} ({platform.python_implementation()})")
