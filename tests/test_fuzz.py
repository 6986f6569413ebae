"""The fuzzing harness (benchmarks/fuzz.py) at a small count per target, and the defects it found.

`python benchmarks/fuzz.py --count 10000` is the full run; here each target gets
a few generated inputs with a fixed seed, so a regression in any entry point that
reads untrusted input shows up in the suite.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import strategies as st

import evalanalysis as ea
from evalanalysis import AnswerError
from evalanalysis.llm.answers import parse_synthesis

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
COUNT = 150
COUNTS = {"config": 600, "runref": 400}  # fast targets whose rarer inputs need more draws to come up


@pytest.fixture(scope="module")
def fuzz():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location("benchmark_fuzz", BENCHMARKS / "fuzz.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


TARGETS = {"runref", "bundle", "config", "history", "answers", "convex", "cli"}


def test_every_target_is_tested(fuzz):
    assert set(fuzz.TARGETS) == TARGETS


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_no_generated_input_crashes_the_target(fuzz, target):
    count = COUNTS.get(target, COUNT)
    outcome = fuzz.fuzz(target, count, seed=1)
    assert outcome.inputs == count
    assert outcome.crashes == 0, "\n".join(outcome.report())


def test_the_harness_counts_crashes_but_not_the_documented_error(fuzz):
    class Odd(fuzz.Target):
        name = "odd"

        def strategy(self):
            return st.integers(0, 1000)

        @contextlib.contextmanager
        def prepared(self):
            def call(n):
                if n % 2:
                    raise ZeroDivisionError("odd")
                raise ea.BadInput("even")

            yield call

    fuzz.TARGETS["odd"] = Odd()
    try:
        outcome = fuzz.fuzz("odd", 60, seed=3)
    finally:
        del fuzz.TARGETS["odd"]
    assert outcome.inputs == 60
    assert 0 < outcome.crashes < 60
    [kind] = outcome.kinds
    assert kind.startswith("ZeroDivisionError at tests/test_fuzz.py:")
    assert outcome.kinds[kind]["count"] == outcome.crashes
    assert outcome.kinds[kind]["input"] % 2 == 1


@pytest.mark.parametrize("group", [{"a": 1}, ["model"], {}, []])
def test_a_recommendation_group_that_is_an_object_or_a_list_is_an_answer_error(group):
    answer = {"patterns": [], "recommendations": [{"group": group, "text": "t", "evals": []}]}
    with pytest.raises(AnswerError, match=r"recommendations\[0\]\.group"):
        parse_synthesis(answer, set())


RUN_ID = "jn7easv5ga22s4wb146n8jmszsm1wpjp"


def test_a_bundle_file_in_a_folder_named_run_is_the_bundle(tmp_path, monkeypatch):
    bundle = tmp_path / "run" / "x.json"
    bundle.parent.mkdir()
    bundle.write_text("{}")
    assert ea.resolve_run(str(bundle)) == ea.RunRef(None, bundle=bundle)
    nested = tmp_path / "experiment" / "default" / "run" / "b.json"
    nested.parent.mkdir(parents=True)
    nested.write_text("{}")
    monkeypatch.chdir(tmp_path)
    assert ea.resolve_run("experiment/default/run/b.json") == ea.RunRef(None, bundle=Path("experiment/default/run/b.json"))


def test_a_bundle_file_under_run_and_a_run_id_folder_is_the_bundle_not_that_run(tmp_path):
    bundle = tmp_path / "run" / RUN_ID / "snapshot.json"
    bundle.parent.mkdir(parents=True)
    bundle.write_text("{}")
    assert ea.resolve_run(str(bundle)) == ea.RunRef(None, bundle=bundle)


def test_a_missing_file_under_a_run_folder_is_still_a_clear_bad_input(tmp_path):
    with pytest.raises(ea.BadInput, match="after /run/ is not a Convex run id"):
        ea.resolve_run(str(tmp_path / "run" / "missing.json"))


@pytest.mark.parametrize("tail", ["", "/", "/eval/k57jxy9gn2hw7h9y0rtgsmadargygeht"])
def test_the_run_id_of_a_visualizer_url_for_an_experiment_named_run(tail):
    url = f"https://convex-evals.netlify.app/experiment/run/run/{RUN_ID}{tail}"
    assert ea.resolve_run(url) == ea.RunRef(RUN_ID)


def test_found_at_10000_inputs_a_convex_error_whose_message_is_only_line_breaks(fuzz):
    body = b'{"code": 2.0e-150, "message": "\\r\\n\\r\\n\\r\\n"}'
    with fuzz.TARGETS["convex"].prepared() as call:
        with pytest.raises(ea.EvalAnalysisError, match="HTTP 328"):
            call((("raw", 328, [("Content-Type", "application/json")], body), "jn7easv5ga22s4wb146n8jmszsm1wpjp"))


def test_found_at_10000_inputs_a_missing_bundle_path_with_line_breaks_is_named_on_one_line():
    with pytest.raises(ea.BadInput) as caught:
        ea.resolve_run("%dpejtb4e/nzqbcj1s\n/./dr776kj5\n/.//")
    assert str(caught.value) == "bundle '%dpejtb4e/nzqbcj1s\\n/./dr776kj5\\n/.//' does not exist"
