"""The bundle source on hostile files: whatever JSON a bundle holds, the user gets our error or a report, never a crash."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalanalysis as ea

from . import bundles

VALID = bundles.bundle(
    [
        bundles.failure(1, "002-queries/014-select_distinct", "eslint", "  3:7  error  'x' is never reassigned  prefer-const",
                        steps={"tests": {"kind": "passed"}}),
        bundles.failure(2, "000-fundamentals/003-crons", "deploy", "✘ [ERROR] Could not resolve \"convex/crons\"",
                        sources={"GAPS.txt": "- Could not resolve convex/crons"}),
    ]
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=25,
)


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in `value` a sub-value can be replaced."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += paths(item, (*prefix, i))
    return found


PATHS = paths(VALID)


def replaced(where: tuple, new: Any) -> Any:
    if not where:
        return new
    data = copy.deepcopy(VALID)
    parent = data
    for step in where[:-1]:
        parent = parent[step]
    parent[where[-1]] = new
    return data


def analyse(data: Any) -> None:
    """Analyse `data` as a bundle file: a `RunAnalysis` or one of our errors, nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "run.json"
        path.write_text(json.dumps(data))
        settings = ea.load_config(env={}, cwd=tmp, user_file=Path(tmp) / "none.toml",
                                  overrides={"analyze.history": False, "analyze.reports_dir": tmp})
        try:
            analysis = ea.analyze(str(path), settings=settings, date="2026-11-25")
        except ea.EvalAnalysisError as exc:
            assert str(exc).strip() and "\n" not in str(exc).strip()
            return
        assert isinstance(analysis, ea.RunAnalysis)
        for failure in analysis.failures:
            assert failure.analysed or failure.not_analysed_reason


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), json_values)
def test_any_value_anywhere_in_a_bundle_gives_a_report_or_our_error(where, new):
    analyse(replaced(where, new))


@settings(max_examples=50, deadline=None)
@given(json_values)
def test_any_json_document_as_a_bundle_gives_our_error(data):
    analyse(data)


def test_the_unchanged_bundle_is_analysed():
    analyse(VALID)
