"""The bundle source on hostile files: whatever JSON a bundle holds, the user gets our error or a report, never a crash."""

from __future__ import annotations

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
    data = json.loads(json.dumps(VALID))  # not deepcopy: that keeps the step statuses the evals share, shared
    parent = data
    for step in where[:-1]:
        parent = parent[step]
    parent[where[-1]] = new
    return data


def analyse(data: Any) -> tuple[ea.RunAnalysis | ea.EvalAnalysisError, str]:
    """Analyse `data` as a bundle file: (the `RunAnalysis` or our error, the file's path).
    Any other exception is a crash, and fails the test."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "run.json"
        path.write_text(json.dumps(data))
        settings = ea.load_config(env={}, cwd=tmp, user_file=Path(tmp) / "none.toml",
                                  overrides={"analyze.history": False, "analyze.reports_dir": tmp})
        try:
            return ea.analyze(str(path), settings=settings, date="2026-11-25"), str(path)
        except ea.EvalAnalysisError as exc:
            return exc, str(path)


# The unchanged bundle's analysis: (eval, class, step) of each failure, and the pass rate.
VALID_FINDINGS = [
    ("000-fundamentals/003-crons", "KNOWN_GAP", "deploy"),
    ("002-queries/014-select_distinct", "OVERLY_STRICT", "eslint"),
]
VALID_PASS_RATE = "18/20 (90.0%)"


def findings(analysis: ea.RunAnalysis) -> list[tuple[str, str | None, str | None]]:
    return [(f.eval_path, f.classification, f.failed_step) for f in analysis.failures]


def refusal(data: Any, path: str) -> str:
    """What the bundle source says of a JSON document that is not a bundle."""
    if not isinstance(data, dict):
        return f"bundle {path} must hold a JSON object with 'format', 'summary' and 'evals'"
    return f"bundle {path} has format {data.get('format')!r}; expected {ea.BUNDLE_FORMAT!r}"


def assert_error(outcome: Any, message: str) -> None:
    assert isinstance(outcome, ea.BadInput), outcome
    assert str(outcome) == message
    assert outcome.exit_code == 2


def assert_analysed_or_told_why(analysis: ea.RunAnalysis) -> None:
    for failure in analysis.failures:
        assert failure.analysed or failure.not_analysed_reason


# A drawn text has at most 20 characters, so no draw is the bundle format: a changed format is always refused.
assert len(ea.BUNDLE_FORMAT) > 20


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), json_values)
def test_any_value_anywhere_in_a_bundle_gives_a_report_or_our_error(where, new):
    """What comes back depends on where the value went: the whole file or its format is refused as not
    a bundle; `summary` or `evals` not being objects is refused as such; a bad value inside the summary
    is refused as a malformed summary (or analysed, when it still is one); and a bad debug info costs
    only its own failure, which is reported as not analysed, with the reason."""
    data = replaced(where, new)
    outcome, path = analyse(data)
    if where in ((), ("format",)):
        assert_error(outcome, refusal(json.loads(json.dumps(data)), path))
    elif where == ("summary",) and not isinstance(new, dict):
        assert_error(outcome, f"bundle {path}: 'summary' must be an object holding the run's failure summary")
    elif where == ("evals",) and not isinstance(new, dict):
        assert_error(outcome, f"bundle {path}: 'evals' must be an object mapping eval ids to debug infos")
    elif where[0] == "evals":  # the summary is intact: always a report, of both failures
        assert isinstance(outcome, ea.RunAnalysis), outcome
        assert outcome.pass_rate == VALID_PASS_RATE
        assert [f.eval_path for f in outcome.failures] == [eval_path for eval_path, _, _ in VALID_FINDINGS]
        if len(where) > 1:  # one eval's debug info changed: the other failure is analysed as before
            [kept] = [1 - i for i, f in enumerate(outcome.failures) if f.eval_id == where[1]]
            assert findings(outcome)[kept] == VALID_FINDINGS[kept]
        assert_analysed_or_told_why(outcome)
    elif isinstance(outcome, ea.EvalAnalysisError):  # inside the summary
        assert isinstance(outcome, ea.BadInput) and outcome.exit_code == 2, outcome
        assert str(outcome).startswith(f"bundle {path}: failure summary is malformed: ")
        assert "\n" not in str(outcome)
    else:
        assert isinstance(outcome, ea.RunAnalysis)
        assert_analysed_or_told_why(outcome)


@settings(max_examples=50, deadline=None)
@given(json_values)
def test_any_json_document_as_a_bundle_gives_our_error(data):
    outcome, path = analyse(data)
    assert_error(outcome, refusal(json.loads(json.dumps(data)), path))


def test_the_unchanged_bundle_is_analysed():
    analysis, _ = analyse(VALID)
    assert isinstance(analysis, ea.RunAnalysis), analysis
    assert findings(analysis) == VALID_FINDINGS
    assert analysis.pass_rate == VALID_PASS_RATE
    assert analysis.classifier == "rules"
    assert all(f.verdict is not None and f.verdict.classifier == "rules" for f in analysis.failures)
