"""Every benchmark imports cleanly and has a `main` (running them is not the test suite's job)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SCRIPTS = ["batch", "calibration", "fanout", "fuzz", "history", "overhead", "rerun", "scale", "site", "startup", "tokens"]


@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_imports(name, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(module.main) and "RESULT" in (module.__doc__ or "")


def test_the_generated_run_has_unique_failures():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from generated_runs import generated_bundle
    finally:
        sys.path.remove(str(BENCHMARKS))
    bundle = generated_bundle(250, seed="test")
    paths = [e["evalPath"] for e in bundle["summary"]["failedEvals"]]
    assert len(set(paths)) == 250 == len(bundle["evals"])
    assert bundle["summary"]["failedCount"] == 250.0
