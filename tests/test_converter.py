"""The converter: Convex payloads in, RunAnalysis JSON out and back, errors with field paths."""

from __future__ import annotations

import collections.abc
import copy
import json
import types
import typing

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalanalysis as ea
from evalanalysis import model, taxonomy

from .bundles import bundle, failure

text = st.text(max_size=30)
opt_text = st.none() | text
usage = st.builds(ea.Usage, st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 100), st.integers(0, 100))
evidence = st.builds(ea.Evidence, text, text, opt_text)
verdict = st.builds(
    ea.Verdict,
    classification=st.sampled_from(ea.DEFAULT_TAXONOMY.names),
    reasoning=text,
    confidence=st.floats(0, 1),
    classifier=text,
    error_summary=opt_text,
    model_snippet=opt_text,
    expected_snippet=opt_text,
    evidence=st.lists(evidence, max_size=3).map(tuple),
    tags=st.lists(text, max_size=3).map(tuple),
    usage=st.none() | usage,
    needs_review=st.booleans(),
    review_reason=opt_text,
)
prior = st.builds(
    ea.PriorFinding,
    report=text, run_id=opt_text, date=opt_text, provider=opt_text, model=opt_text, eval_path=text,
    classification=opt_text, classification_raw=opt_text, failed_step=opt_text, repeat=st.booleans(),
    note=opt_text, actions=st.lists(text, max_size=2).map(tuple),
)
failure_analysis = st.builds(
    ea.FailureAnalysis,
    eval_id=text, eval_path=text, category=text, name=text, failed_step=opt_text, error=text,
    classification=opt_text, verdict=st.none() | verdict, not_analysed_reason=opt_text,
    prior_findings=st.lists(prior, max_size=2).map(tuple), repeat_of=st.none() | prior,
)
run_info = st.builds(
    ea.RunInfo, text, text, text, opt_text,
    st.none() | st.builds(ea.RunStatus, st.sampled_from(["completed", "failed"]), st.none() | st.floats(0, 1e9), opt_text),
)
analysis = st.builds(
    ea.RunAnalysis,
    run=run_info,
    date=text,
    total_evals=st.integers(0, 1000),
    passed_count=st.integers(0, 1000),
    failed_count=st.integers(0, 1000),
    failures=st.lists(failure_analysis, max_size=3).map(tuple),
    failures_by_step=st.dictionaries(text, st.integers(0, 50), max_size=3),
    patterns=st.lists(st.builds(ea.Pattern, text, text, text, st.lists(text, max_size=2).map(tuple), text), max_size=2).map(tuple),
    recommendations=st.lists(st.builds(ea.Recommendation, text, text, st.lists(text, max_size=2).map(tuple), text), max_size=2).map(tuple),
    net_impact=st.builds(ea.NetImpact, st.integers(0, 9), st.integers(0, 9), st.integers(0, 9), st.integers(0, 9), text),
    classifier=text,
    usage=usage,
    corrected_passed_count=st.none() | st.integers(0, 1000),
    actions_taken=st.lists(text, max_size=2).map(tuple),
    warnings=st.lists(text, max_size=2).map(tuple),
)


@settings(max_examples=60, deadline=None)
@given(analysis)
def test_run_analysis_round_trips_through_json(value):
    data = json.loads(json.dumps(ea.analysis_to_json(value)))
    assert ea.analysis_from_json(data) == value


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6))
def test_wire_payloads_round_trip(n):
    data = bundle([failure(i, f"002-queries/00{i}-x", "eslint", "boom prefer-const") for i in range(n)])
    summary = ea.structure_run_summary(data["summary"])
    assert ea.structure_run_summary(ea.unstructure_wire(summary)) == summary
    for raw in data["evals"].values():
        detail = ea.structure_eval_detail(raw)
        assert ea.structure_eval_detail(ea.unstructure_wire(detail)) == detail


def test_float_counts_become_ints_and_ids_are_read():
    data = bundle([failure(1, "000-fundamentals/003-crons", "deploy", "x")], total=66)
    summary = ea.structure_run_summary(data["summary"])
    assert (summary.total_evals, summary.passed_count, summary.failed_count) == (66, 65, 1)
    assert isinstance(summary.total_evals, int)
    assert summary.failed_evals[0].failed_step == ea.FailedStep("deploy", "x")
    assert summary.failed_evals[0].eval_path == "000-fundamentals/003-crons"


def test_errors_carry_the_wire_path_of_the_bad_field():
    data = bundle([failure(1, "a/b", "deploy", "x"), failure(2, "a/c", "deploy", "y")])
    data["summary"]["failedEvals"][1]["failedStep"]["name"] = None
    data["summary"]["totalEvals"] = 66.5
    with pytest.raises(ea.BadInput) as err:
        ea.structure_run_summary(data["summary"])
    message = str(err.value)
    assert "@ $.failedEvals[1].failedStep.name" in message
    assert "@ $.totalEvals" in message


def test_a_non_object_payload_is_named():
    with pytest.raises(ea.BadInput, match="expected an object, got a list"):
        ea.structure_eval_detail([])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.update(failedEvals={}), "expected a list, got an object @ $.failedEvals"),
        (lambda s: s["run"].update(model=None), "expected a string, got null @ $.run.model"),
        (lambda s: s["failedEvals"][0].update(failedStep="deploy"), "expected an object, got a string @ $.failedEvals[0].failedStep"),
        (lambda s: s.update(passedCount=-1.0), "expected a count of 0 or more, got -1 @ $.passedCount"),
        (lambda s: s.update(passedCount=30.0), "passedCount 30 is more than totalEvals 20 @ $.passedCount"),
        (lambda s: s["failedEvals"].append(dict(s["failedEvals"][0])), "is listed twice @ $.failedEvals[2]._id"),
        (lambda s: s.update(totalEvals=float("nan")), "@ $.totalEvals"),
    ],
)
def test_a_summary_that_cannot_be_true_is_rejected_with_its_path(change, message):
    data = bundle([failure(1, "a/b", "deploy", "x"), failure(2, "a/c", "tsc", "y")])["summary"]
    change(data)
    with pytest.raises(ea.BadInput) as err:
        ea.structure_run_summary(data)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(steps="tsc failed"), "expected a list, got a string @ $.steps"),
        (lambda d: d["steps"][0].update(status=None), "expected an object, got null @ $.steps[0].status"),
        (lambda d: d.update(outputFiles=["convex/index.ts"]), "@ $.outputFiles"),
        (lambda d: d["steps"][0]["status"].update(durationMs=float("inf")), "expected a finite number"),
    ],
)
def test_a_malformed_debug_info_names_the_field(change, message):
    data = bundle([failure(1, "a/b", "deploy", "x")])
    detail = copy.deepcopy(next(iter(data["evals"].values())))  # step statuses are shared constants
    change(detail)
    with pytest.raises(ea.BadInput) as err:
        ea.structure_eval_detail(detail)
    assert message in str(err.value)


def test_json_report_needs_its_schema_marker():
    with pytest.raises(ea.BadInput, match="not an evalanalysis JSON report"):
        ea.analysis_from_json({"failures": []})


# The data model's classes, the taxonomy's included.
MODEL_MODULES = (model, taxonomy)


def test_every_model_class_is_frozen():
    for module in MODEL_MODULES:
        for name in dir(module):
            cls = getattr(module, name)
            if isinstance(cls, type) and attrs.has(cls):
                assert cls.__setattr__ is not object.__setattr__, name


MODEL_CLASSES = sorted(
    (
        cls
        for module in MODEL_MODULES
        for cls in vars(module).values()
        if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == module.__name__
    ),
    key=lambda cls: cls.__name__,
)


def values_of(tp):
    """Any value of the annotated type `tp` that JSON can carry (no NaN or infinity)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if attrs.has(tp):
        hints = typing.get_type_hints(tp)
        return st.builds(tp, **{a.name: values_of(hints[a.name]) for a in attrs.fields(tp)})
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(st.none() if a is type(None) else values_of(a) for a in args))
    if origin is tuple:
        return st.lists(values_of(args[0]), max_size=3).map(tuple)
    if origin in (dict, collections.abc.Mapping):
        return st.dictionaries(values_of(args[0]), values_of(args[1]), max_size=3)
    return {str: st.text(max_size=20), int: st.integers(-(10**9), 10**9), bool: st.booleans(),
            float: st.floats(allow_nan=False, allow_infinity=False)}[tp]


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
def test_every_model_class_round_trips_through_its_converter(cls):
    """structure(unstructure(x)) == x for any value of every class, found by reflection so a new class is covered.

    Wire classes go through the Convex shape (camelCase, `_id`), the rest through our JSON reports.
    """
    from evalanalysis import converter

    @settings(max_examples=25, deadline=None)
    @given(values_of(cls))
    def round_trip(value):
        if cls in converter.WIRE_CLASSES:
            data = json.loads(json.dumps(ea.unstructure_wire(value)))
            assert converter.wire.structure(data, cls) == value
        else:
            data = json.loads(json.dumps(converter.report.unstructure(value)))
            assert converter.report.structure(data, cls) == value

    round_trip()
