"""analyze_run called from a script with objects built by hand: bounded, isolated, observable."""

from __future__ import annotations

import asyncio

import attrs
import pytest

import evalanalysis as ea

RUN = ea.RunInfo(id="jn7bbbbbbbbbbbbbbbbbbbbbbbbbbbbb", model="m1", provider="acme")


def failed(n: int) -> ea.FailedEval:
    return ea.FailedEval(
        id=f"k57{n:029d}", eval_path=f"002-queries/{n:03d}-x", category="002-queries", name=f"{n:03d}-x",
        failed_step=ea.FailedStep("tests", f"boom {n}"),
    )


class ListSource:
    location = "memory"

    def __init__(self, count: int, broken: set[int] = frozenset(), delay: float = 0.0):
        self.summary = ea.RunSummary(RUN, 30, 30 - count, count, tuple(failed(i) for i in range(count)))
        self.broken, self.delay = broken, delay
        self.in_flight = self.peak = 0

    async def fetch_run(self, run_id):
        return self.summary if run_id in (None, RUN.id) else None

    async def fetch_eval(self, f: ea.FailedEval) -> ea.EvalDetail:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            if int(f.name[:3]) in self.broken:
                raise TimeoutError("debug info timed out")
            return ea.EvalDetail(eval=ea.EvalInfo(f.id, f.eval_path, f.category, f.name, task="t"))
        finally:
            self.in_flight -= 1


class FixedClassifier:
    name = "fixed"

    def __init__(self, answers: dict[str, str] | None = None):
        self.answers = answers or {}

    async def classify(self, failure: ea.FailureContext) -> ea.Verdict:
        cls = self.answers.get(failure.failed.eval_path, "MODEL_FAULT")
        if cls == "raise":
            raise ea.ClassifierError("classifier exploded")
        return ea.Verdict(cls, "because", 0.9, self.name, usage=ea.Usage(10, 5, 1))


def test_a_script_builds_everything_by_hand():
    analysis = asyncio.run(ea.analyze_run(RUN.id, source=ListSource(3), classifier=FixedClassifier(), date="2026-11-25"))
    assert [f.classification for f in analysis.failures] == ["MODEL_FAULT"] * 3
    assert analysis.failures_by_step == {"tests": 3}
    assert analysis.usage == ea.Usage(30, 15, 3)
    assert analysis.date == "2026-11-25" and analysis.classifier == "fixed"
    assert analysis.pass_rate == "27/30 (90.0%)"


def test_concurrency_is_bounded():
    source = ListSource(12, delay=0.01)
    asyncio.run(ea.analyze_run(None, date="2026-11-25", source=source, classifier=FixedClassifier(), concurrency=3))
    assert source.peak == 3


def test_one_failure_never_sinks_the_run():
    answers = {"002-queries/004-x": "raise", "002-queries/005-x": "NOT_A_CLASS"}
    analysis = asyncio.run(ea.analyze_run(None, date="2026-11-25", source=ListSource(6, broken={2}), classifier=FixedClassifier(answers)))
    by_path = {f.eval_path: f for f in analysis.failures}
    assert by_path["002-queries/002-x"].not_analysed_reason == "debug info unavailable: TimeoutError: debug info timed out"
    assert by_path["002-queries/004-x"].not_analysed_reason == "classification failed: classifier exploded"
    assert "is not one of MODEL_FAULT" in by_path["002-queries/005-x"].not_analysed_reason
    assert sum(f.analysed for f in analysis.failures) == 3
    assert analysis.net_impact.not_analysed == 3


def test_progress_reports_every_failure():
    events: list[ea.Progress] = []
    asyncio.run(ea.analyze_run(None, date="2026-11-25", source=ListSource(4), classifier=FixedClassifier(), on_progress=events.append))
    assert events[0] == ea.Progress("run", 0, 4)
    done = [e for e in events if e.stage == "done"]
    assert [e.done for e in done] == [1, 2, 3, 4]
    assert {e.stage for e in events} == {"run", "fetching", "classifying", "done"}


def test_unknown_run_is_run_not_found():
    with pytest.raises(ea.RunNotFound, match="run jn7zzzzzzzzzzzzzzzzzzzzzzzzzzzzz not found at memory"):
        asyncio.run(ea.analyze_run("jn7zzzzzzzzzzzzzzzzzzzzzzzzzzzzz", date="2026-11-25", source=ListSource(1), classifier=FixedClassifier()))


def test_history_feeds_prior_findings_and_repeats():
    prior = ea.PriorFinding("reports/acme/m1/jn7old_2026-01-01.md", "jn7old", "2026-01-01", "acme", "m1",
                            "002-queries/001-x", "MODEL_FAULT")

    class History:
        def prior_findings(self, provider, model, eval_path):
            return (prior,) if eval_path == prior.eval_path else ()

    analysis = asyncio.run(ea.analyze_run(None, date="2026-11-25", source=ListSource(2), classifier=FixedClassifier(), history=History()))
    by_path = {f.eval_path: f for f in analysis.failures}
    assert by_path["002-queries/001-x"].repeat_of == prior
    assert by_path["002-queries/000-x"].repeat_of is None
    assert any(p.kind == "repeat" and "jn7old" in p.detail for p in analysis.patterns)


def test_unreadable_prior_reports_are_a_warning_and_every_failure_is_still_analysed():
    class BrokenHistory:
        def prior_findings(self, provider, model, eval_path):
            raise OSError("reports/acme: permission denied")

    analysis = asyncio.run(ea.analyze_run(None, date="2026-11-25", source=ListSource(3), classifier=FixedClassifier(), history=BrokenHistory()))
    assert all(f.analysed and f.not_analysed_reason is None for f in analysis.failures)
    assert analysis.warnings == ("prior reports unreadable: OSError: reports/acme: permission denied (and for 2 more evals)",)


def test_a_null_failed_step_is_read_from_the_debug_info():
    class NoStepSource(ListSource):
        def __init__(self):
            super().__init__(1)
            self.summary = attrs.evolve(self.summary, failed_evals=(attrs.evolve(failed(0), failed_step=None, failure_reason="tsc fail"),))

        async def fetch_eval(self, f):
            steps = (ea.Step("deploy", ea.StepStatus("passed")), ea.Step("tsc", ea.StepStatus("failed", "error TS2339: nope")))
            return ea.EvalDetail(eval=ea.EvalInfo(f.id, f.eval_path, f.category, f.name), steps=steps)

    seen = []

    class Recording(FixedClassifier):
        async def classify(self, failure):
            seen.append(failure.failed.failed_step)
            return await super().classify(failure)

    analysis = asyncio.run(ea.analyze_run(None, date="2026-11-25", source=NoStepSource(), classifier=Recording()))
    assert seen == [ea.FailedStep("tsc", "error TS2339: nope")]
    assert (analysis.failures[0].failed_step, analysis.failures[0].error) == ("tsc", "error TS2339: nope")
    assert analysis.failures_by_step == {"tsc": 1}


def test_synthesis_failure_leaves_a_warning_and_the_deterministic_patterns():
    class Synth(FixedClassifier):
        async def synthesize(self, analysis):
            raise ValueError("model answered nonsense")

    analysis = asyncio.run(ea.analyze_run(None, date="2026-11-25", source=ListSource(2), classifier=Synth()))
    assert analysis.warnings == ("synthesis failed: ValueError: model answered nonsense",)


def test_a_source_that_refuses_everything_aborts_the_run():
    class Refusing(ListSource):
        async def fetch_eval(self, f):
            raise ea.SourceUnavailable("key refused")

    with pytest.raises(ea.SourceUnavailable, match="key refused"):
        asyncio.run(ea.analyze_run(None, date="2026-11-25", source=Refusing(3), classifier=FixedClassifier()))


def test_the_default_concurrency_is_four():
    source = ListSource(12, delay=0.01)
    asyncio.run(ea.analyze_run(None, date="2026-11-25", source=source, classifier=FixedClassifier()))
    assert source.peak == 4


def test_a_failures_debug_info_is_let_go_once_it_is_classified():
    """Debug infos can be megabytes each: only those being worked on may be alive, never the whole run's."""
    import gc
    import weakref

    alive: weakref.WeakSet = weakref.WeakSet()
    most = 0

    class Tracking(ListSource):
        async def fetch_eval(self, f):
            detail = await super().fetch_eval(f)
            alive.add(detail)
            return detail

    class Counting(FixedClassifier):
        async def classify(self, failure):
            nonlocal most
            gc.collect()
            most = max(most, len(alive))
            return await super().classify(failure)

    analysis = asyncio.run(ea.analyze_run(None, date="2026-11-25", source=Tracking(20, delay=0.001), classifier=Counting(), concurrency=2))
    assert len(analysis.failures) == 20 and all(f.analysed for f in analysis.failures)
    assert 1 <= most <= 2
    gc.collect()
    assert len(alive) == 0


def test_analyze_run_touches_no_file():
    """The core is pure (STYLE 4): sources fetch, reporters write; analyze_run itself opens nothing."""
    import sys

    opened: list[str] = []
    watching = False

    def audit(event, args):
        if watching and event == "open" and not str(args[0]).endswith((".py", ".pyc", ".so")):
            opened.append(str(args[0]))

    sys.addaudithook(audit)  # cannot be removed; it only records while `watching`
    watching = True
    try:
        analysis = asyncio.run(ea.analyze_run(RUN.id, source=ListSource(5), classifier=FixedClassifier(), date="2026-11-25"))
    finally:
        watching = False
    assert len(analysis.failures) == 5
    assert opened == []


@pytest.mark.parametrize("confidence", [1.5, -0.1, float("nan")])
def test_a_verdict_with_a_confidence_outside_0_to_1_is_not_analysed(confidence):
    class Overconfident(FixedClassifier):
        async def classify(self, failure):
            return attrs.evolve(await super().classify(failure), confidence=confidence)

    analysis = asyncio.run(ea.analyze_run(None, date="2026-11-25", source=ListSource(1), classifier=Overconfident()))
    [only] = analysis.failures
    assert only.classification is None
    assert only.not_analysed_reason == f"classification failed: ValueError: confidence {confidence} is not between 0 and 1"


def test_a_classifier_gets_the_actions_naming_its_eval_but_no_correction_of_a_class():
    from evalanalysis.history.memory import HistorySnapshot

    fix = ea.RecordedAction("2026-11-02: Relaxed the grader (evals: `002-queries/000-x`)", "r.md", None, "2026-11-02",
                            ("002-queries/000-x",))
    other = ea.RecordedAction("2026-11-02: Relaxed another grader", "r.md", None, "2026-11-02", ("002-queries/001-x",))
    correction = ea.RecordedAction(
        "2026-11-03: Reclassified `002-queries/000-x` from MODEL_FAULT to OVERLY_STRICT: the task never says",
        "r.md", None, "2026-11-03", ("002-queries/000-x",))
    seen = {}

    class Recording(FixedClassifier):
        async def classify(self, failure):
            seen[failure.failed.eval_path] = failure.actions
            return await super().classify(failure)

    history = HistorySnapshot(actions=(correction, fix, other))
    asyncio.run(ea.analyze_run(None, date="2026-11-25", source=ListSource(2), classifier=Recording(), history=history))
    assert seen == {"002-queries/000-x": (fix,), "002-queries/001-x": (other,)}
