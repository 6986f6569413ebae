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


# --------------------------------------------------------------------------- repeat runs

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "runs" / "mixed-run.json"
REPEAT_RUN_IDS = ("jn7aaaaaaaaaaaaaaaaaaaaaaaaaaaa1", "jn7aaaaaaaaaaaaaaaaaaaaaaaaaaaa2", "jn7aaaaaaaaaaaaaaaaaaaaaaaaaaaa3")
DETERMINISTIC_EVAL = "002-queries/014-select_distinct"  # the same error in all three runs
TWO_OF_THREE_EVAL = "002-queries/007-aggregation"  # passes in the third run
CHANGING_ERROR_EVAL = "000-fundamentals/008-helper_fns"  # fails in all three, with another lint error each time
RANDOM_CODE_EVAL = "002-queries/010-parallel_fetch"  # passes in the second run; the model's code calls Math.random
_OTHER_LINT_ERRORS = (
    None,
    "\nconvex/index.ts\n   4:10  error  'internalQuery' is defined but never used  @typescript-eslint/no-unused-vars\n\n"
    "\u2716 1 problem (1 error, 0 warnings)\n",
    "\nconvex/index.ts\n  12:5  error  Unsafe return of an `any` typed value  @typescript-eslint/no-unsafe-return\n\n"
    "\u2716 1 problem (1 error, 0 warnings)\n",
)


def repeat_run(index: int, *, model: str | None = None, experiment: str | None = None) -> dict[str, Any]:
    """Run `index` (0, 1, 2) of three repeat runs built from examples/runs/mixed-run.json (see the *_EVAL names)."""
    data = json.loads(EXAMPLE.read_text())
    run_id = REPEAT_RUN_IDS[index]
    summary = data["summary"]
    summary["run"]["_id"] = run_id
    if model is not None:
        summary["run"]["model"] = model
    if experiment is not None:
        summary["run"]["experiment"] = experiment
    dropped = {TWO_OF_THREE_EVAL} if index == 2 else {RANDOM_CODE_EVAL} if index == 1 else set()
    kept = [f for f in summary["failedEvals"] if f["evalPath"] not in dropped]
    for f in summary["failedEvals"]:
        if f["evalPath"] in dropped:
            del data["evals"][f["_id"]]
    summary["failedEvals"] = kept
    for f in kept:  # each run has its own eval documents, as in the database
        detail = data["evals"].pop(f["_id"])
        f["_id"] = detail["eval"]["_id"] = f["_id"][:-1] + "xyz"[index]
        data["evals"][f["_id"]] = detail
    summary["failedCount"] = float(len(kept))
    summary["passedCount"] = summary["totalEvals"] - len(kept)
    for f in kept:
        detail = data["evals"][f["_id"]]
        detail["run"].update(_id=run_id, runId=run_id, model=summary["run"]["model"], experiment=summary["run"]["experiment"])
        if f["evalPath"] == CHANGING_ERROR_EVAL and _OTHER_LINT_ERRORS[index]:
            _set_error(f, detail, "eslint", _OTHER_LINT_ERRORS[index])
        if f["evalPath"] == RANDOM_CODE_EVAL:
            # The grader's output names the function under test; the model shuffles the posts it returns.
            _set_error(f, detail, "tests", f["failedStep"]["failureReason"].replace("await dashboard(", "await getAuthorDashboard("))
            files = detail["outputFiles"]
            files["convex/public.ts"] = files["convex/public.ts"].replace(
                "return { title: post.title, reactionCounts };",
                "return { title: post.title, reactionCounts, order: Math.random() };")
    return data


def _set_error(entry: dict[str, Any], detail: dict[str, Any], step: str, text: str) -> None:
    entry["failureReason"] = f"{step} fail"
    entry["failedStep"] = {"name": step, "failureReason": text}
    for s in detail["steps"]:
        if s["name"] == step:
            s["status"] = {"kind": "failed", "failureReason": text}


def write_repeat_runs(folder: Path, **kwargs: Any) -> list[Path]:
    """The three repeat-run bundles written under `folder` (`run1.json` ...); `kwargs` go to `repeat_run`
    for the third run only (e.g. `model=` for a run of another model)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write(folder / f"run{i + 1}.json", repeat_run(i, **(kwargs if i == 2 else {}))) for i in range(3)]
