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


def analyse(data: Any) -> ea.RunAnalysis | ea.BadInput:
    """Analyse `data` as a bundle file: the `RunAnalysis`, or the `BadInput` refusing that file (no other
    error, and one line naming the file); a failure the bundle cannot support is kept, with the reason."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "run.json"
        path.write_text(json.dumps(data))
        settings = ea.load_config(env={}, cwd=tmp, user_file=Path(tmp) / "none.toml",
                                  overrides={"analyze.history": False, "analyze.reports_dir": tmp})
        try:
            analysis = ea.analyze(str(path), settings=settings, date="2026-11-25")
        except ea.BadInput as exc:
            text = str(exc).strip()
            assert text.startswith(f"bundle {path}") and "\n" not in text, text
            return exc
        assert isinstance(analysis, ea.RunAnalysis)
        for failure in analysis.failures:
            assert failure.analysed or failure.not_analysed_reason
        return analysis


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), json_values)
def test_any_value_anywhere_in_a_bundle_gives_a_report_or_our_error(where, new):
    outcome = analyse(replaced(where, new))
    if isinstance(outcome, ea.BadInput):
        # Refused only for a change to the summary or the file's shape; a bad debug info costs one eval.
        assert not where or where[0] in ("summary", "format") or len(where) == 1, where


@settings(max_examples=50, deadline=None)
@given(json_values)
def test_any_json_document_as_a_bundle_gives_our_error(data):
    assert isinstance(analyse(data), ea.BadInput)


def test_the_unchanged_bundle_is_analysed():
    analysis = analyse(VALID)
    assert isinstance(analysis, ea.RunAnalysis)
    assert len(analysis.failures) == len(VALID["summary"]["failedEvals"]) > 0
    assert all(f.analysed for f in analysis.failures)
