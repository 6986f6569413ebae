"""Classifier `rules`: an offline, deterministic reading of a failure, with its evidence.

It weighs, in order: a maintainer's correction of this very failure,
infrastructure error signatures (network errors, timeouts, websocket
reconnects), a model that wrote the answer's own code, GAPS.txt entries that
describe the failure (by the code they quote, the words they use, or what a
known error signature means), earlier reports about the same eval (see
`rules_history`), then what the failed step says (see `rules_steps`). History
then raises or caps the confidence as it agrees or disagrees.
"""

from __future__ import annotations


from attrs import evolve

from evalanalysis import Evidence, FailureContext, PriorFinding, Settings, Verdict, evidence, hookimpl

from .rules_history import HistoryReading, read_history
from .rules_steps import Decision, by_step

NAME = "rules"


@hookimpl
def register_classifiers(register):
    register(NAME, RulesClassifier.from_settings)


class RulesClassifier:
    """Classifies from step outcomes, error text, GAPS.txt and prior findings; no network."""

    name = NAME

    @classmethod
    def from_settings(cls, settings: Settings) -> RulesClassifier:
        return cls()

    async def classify(self, failure: FailureContext) -> Verdict:
        return classify_failure(failure)


def classify_failure(failure: FailureContext) -> Verdict:
    """The rules verdict for one failure (synchronous; also the LLM classifiers' fallback)."""
    detail = failure.detail
    step = _failed_step(failure)
    error = _error_text(failure, step)
    outcomes = evidence.step_outcomes(detail)
    cited: list[Evidence] = []

    rules = evidence.lint_rules(error) if step in ("eslint", None) else []
    codes = evidence.ts_error_codes(error)
    infra = evidence.infrastructure_signals(error)
    cited += [Evidence("lint_rule", r, evidence.rule_family(r)) for r in rules]
    cited += [Evidence("error_code", c) for c in codes]
    cited += [Evidence("infrastructure", s) for s in infra]
    tests_passed = step != "tests" and outcomes.get("tests") == "passed"
    if tests_passed:
        cited.append(Evidence("step_outcome", "tests passed", "tests"))

    same_as_answer = evidence.matches_answer(detail)
    if same_as_answer:
        cited.append(Evidence("answer", "the model's source files are the answer's (whitespace aside)"))

    pointed = evidence.pointed_lines(error, detail.output_files)
    changed = evidence.changed_lines(detail) if step == "tests" or not evidence.has_diagnostic(error) else ""
    gaps = evidence.parse_gaps(detail.source_file("GAPS.txt"))
    gap_matches = _gap_matches(failure, step, error, gaps, pointed, changed)
    cited += [
        Evidence("gaps", m.entry + (f" (quotes {', '.join(m.quotes)})" if m.quotes else ""), "GAPS.txt")
        for m in gap_matches[:2]
    ]
    history = read_history(failure, step, error, pointed, changed)
    cited += history.cited

    step_decision = by_step(failure, step, error, rules, codes, tests_passed, outcomes, [g for g in gaps if evidence.is_open(g)])
    step_decision = evolve(step_decision, source=f"the {step or 'failed'} step's own output")
    candidates = (
        (history.decision if history.given else None, CORRECTION),
        (_infrastructure(step, infra, outcomes), "an infrastructure error signature"),
        (_answer_rejected(step, same_as_answer), "the model's files being the reference answer's"),
        (_known_gap(gap_matches, rules, evidence.has_diagnostic(error)), "a GAPS.txt entry matching the error"),
        (history.decision, HISTORY),
    )
    decision = next((evolve(d, source=why) for d, why in candidates if d is not None), step_decision)
    decision = _weigh_history(decision, history, step_decision)
    tags = decision.tags + (("tests_passed",) if tests_passed else ())
    model_snippet, expected_snippet = _snippets(failure, error)
    return Verdict(
        classification=failure.taxonomy.for_role(decision.role).name,
        reasoning=decision.reasoning,
        confidence=round(decision.confidence, 2),
        classifier=NAME,
        error_summary=evidence.one_line(error),
        model_snippet=model_snippet,
        expected_snippet=expected_snippet,
        evidence=tuple(cited),
        tags=tuple(dict.fromkeys(tags)),
        needs_review=decision.review is not None,
        review_reason=decision.review,
        decided_by=decision.source or None,
    )


def _weigh_history(decision: Decision, history: HistoryReading, step: Decision) -> Decision:
    """Confidence from how the evidence agrees: earlier reports against what this failure itself shows.

    When history decided and the failed step points elsewhere, history keeps the
    verdict only if an earlier note describes this very error, `CROSS_MODEL` models
    agree, or the step's own evidence is thin (a log without a diagnostic);
    otherwise the step does. Either way the verdict is marked for review and its confidence capped.
    When another signal decided and history agrees, confidence rises with the
    share of the vote; when history disagrees, it is capped and marked. A repeat
    after a recorded fix, and a failure several models share, are said so.
    """
    if decision.source == CORRECTION:
        return decision
    from_history = decision.source == HISTORY
    if from_history and step.role != decision.role:
        if not (history.same_error or history.models >= CROSS_MODEL or step.review is not None):
            decision = evolve(step, confidence=min(step.confidence, DISAGREEMENT_CONFIDENCE),
                              review=step.review or f"earlier reports point to {history.decision.role.upper()} instead")
        else:
            decision = evolve(decision, confidence=min(decision.confidence, DISAGREEMENT_CONFIDENCE),
                              review=decision.review or f"the failed step itself points to {step.role.upper()} instead")
    elif history.role is not None and not from_history and decision.review is None:
        if history.role == decision.role:
            decision = evolve(decision, confidence=min(0.95, decision.confidence + 0.1 * history.share),
                              tags=(*decision.tags, "history_agrees"))
        else:
            decision = evolve(decision, confidence=min(decision.confidence, DISAGREEMENT_CONFIDENCE),
                              review=f"earlier reports point to {history.role.upper()} instead")
    eval_side_before = [v for v in history.fixed if v.role not in (None, "model_fault")]
    if eval_side_before:
        fix = eval_side_before[0]
        news = (f" Earlier reports put this failure on the eval ({fix.prior.classification_raw or fix.prior.classification}, "
                f"{_cite(fix.prior)}), but an action was recorded since (\"{fix.fixed_since}\"): a repeat after the fix is news.")
        decision = evolve(decision, reasoning=decision.reasoning + news, tags=(*decision.tags, "after_fix"),
                          review=decision.review or ("it fails again after the fix recorded since"
                                                     if decision.role not in ("model_fault",) else None))
    if history.candidate and decision.role == "model_fault" and decision.review is None:
        decision = evolve(decision, confidence=min(decision.confidence, 0.6), review=history.candidate,
                          tags=(*decision.tags, "known_gap_candidate"))
    return decision


# What decided a verdict, as `Verdict.decided_by` says it (the failed step's is built from the step's name).
CORRECTION = "a maintainer's correction of this failure"
HISTORY = "earlier reports' verdicts on this eval"
# The confidence of a verdict whose signals disagree (history against the failed step).
DISAGREEMENT_CONFIDENCE = 0.4
# Models whose latest verdicts, all alike, outweigh the failed step even when their notes name no error.
CROSS_MODEL = 3


def _gap_matches(
    failure: FailureContext, step: str | None, error: str, gaps: list[str], pointed: str, changed: str
) -> list[evidence.GapMatch]:
    """GAPS.txt entries that describe this failure.

    Matched against the error (without test-runner chrome), the step, the model's
    file names and the model lines the error points at (`pointed`). When the error
    pins nothing on a line (a failed test, a log with no diagnostic) the model's
    lines that differ from the answer (`changed`) count too: a gap quoting
    `path: "/api/*"` is the failure when the model wrote exactly that.
    """
    if not gaps:
        return []
    detail = failure.detail
    text = "\n".join([evidence.error_core(error), step or "", *(detail.output_files or {}).keys()])
    task = detail.eval.task or detail.source_file("TASK.txt") or ""
    return evidence.match_gaps(gaps, text, code_text=pointed, quote_text=changed, task=task)


def _failed_step(failure: FailureContext) -> str | None:
    if failure.failed.failed_step:
        return failure.failed.failed_step.name
    return next((s.name for s in failure.detail.steps if s.status.kind == "failed"), None)


def _error_text(failure: FailureContext, step: str | None) -> str:
    texts = []
    if failure.failed.failed_step and failure.failed.failed_step.failure_reason:
        texts.append(failure.failed.failed_step.failure_reason)
    detail_step = failure.detail.step(step) if step else None
    if detail_step and detail_step.status.failure_reason and detail_step.status.failure_reason not in texts:
        texts.append(detail_step.status.failure_reason)
    if not texts and failure.failed.failure_reason:
        texts.append(failure.failed.failure_reason)
    return "\n".join(texts)


def _infrastructure(step: str | None, infra: list[str], outcomes: dict[str, str]) -> Decision | None:
    if not infra:
        return None
    built = all(outcomes.get(s) == "passed" for s in ("deploy", "tsc") if s in outcomes)
    confidence = 0.8 if built else 0.6
    if infra == ["test timeout"]:  # slow or hanging model code times out too
        confidence -= 0.2
    where = f"the {step} step" if step else "the run"
    return Decision(
        "infrastructure",
        confidence,
        f"{where.capitalize()} failed with {', '.join(infra)}, an environment or grader error rather than an "
        f"assertion about the model's code."
        + (" The code deployed and type-checked, so the harness is the likelier culprit." if built else ""),
        ("infrastructure",),
    )


def _answer_rejected(step: str | None, same_as_answer: bool) -> Decision | None:
    """The model wrote the answer's own source files, so the failure is not about its code."""
    if not same_as_answer:
        return None
    if step in ("tests", "eslint"):
        return Decision(
            "overly_strict",
            0.75,
            f"The model's source files are the answer's own (whitespace aside), yet the {step} step failed: "
            "the eval rejects its reference solution, so it demands something the task does not.",
        )
    return Decision(
        "infrastructure",
        0.7,
        f"The model's source files are the answer's own (whitespace aside), yet the {step or 'run'} step failed: "
        "the environment or harness, not the code, is at fault.",
        ("infrastructure",),
    )


def _known_gap(matches: list[evidence.GapMatch], rules: list[str], diagnosed: bool = True) -> Decision | None:
    """A GAPS.txt entry explains the failure; for lint failures it must name every failing rule it is about.

    When the entries name some failing rules but not all (`no-misused-promises`
    documented, `no-undef` not), the model made a mistake of its own as well.
    When the log holds no diagnostic, an entry can only have matched the model's
    code, not the error: a likely known gap, but one for a person to confirm.
    """
    if not matches:
        return None
    if rules:
        text = "\n".join(m.entry for m in matches)
        named = [r for r in rules if evidence.rule_base(r) in text]
        if named and len(named) < len(rules):
            return None
    best = matches[0]
    how = f" It quotes {', '.join(f'`{q}`' for q in best.quotes)}, which the failure shows." if best.quotes else ""
    if not diagnosed:
        return Decision(
            "known_gap",
            0.45,
            f"The log says only that the step failed, but the model's code has what the eval's GAPS.txt documents: "
            f"\"{best.entry}\".{how} Likely that known limitation of the eval, though the error itself does not show it.",
            ("no_diagnostic",),
            "the log holds no diagnostic; the GAPS.txt entry matched the model's code, not an error",
        )
    return Decision(
        "known_gap",
        min(0.95, 0.55 + 0.4 * best.score),
        f"The eval's GAPS.txt documents this failure: \"{best.entry}\".{how} "
        "It is a known limitation of the eval rather than news about this model.",
    )


def _cite(prior: PriorFinding) -> str:
    return f"run {prior.run_id or prior.report}, {prior.date or 'undated'}"


def _snippets(failure: FailureContext, error: str) -> tuple[str | None, str | None]:
    pairs = evidence.paired_files(failure.detail)
    named = set(evidence.files_named_in(error, failure.detail.output_files))
    ordered = sorted(pairs, key=lambda p: (p[0] not in named, not p[0].endswith((".ts", ".tsx")), p[0]))
    for path, model_text, answer_text in ordered:
        if model_text is None or model_text == "<binary file>":
            continue
        lines = evidence.line_numbers_named(error, path)
        if lines:
            snippet = evidence.snippet_around(model_text, lines)
            expected = None
            if answer_text:
                expected = _changed_lines(evidence.unified_diff(answer_text, model_text, path), "-")
            return snippet or None, expected
        if answer_text and answer_text != model_text:
            diff = evidence.unified_diff(answer_text, model_text, path)
            return _changed_lines(diff, "+"), _changed_lines(diff, "-")
    return None, None


def _changed_lines(diff: str, sign: str, limit: int = 12) -> str | None:
    """One side's changed lines of a diff; separate runs of changes are joined by a `// ...` line."""
    lines: list[str] = []
    gap = False
    for line in diff.splitlines():
        if line.startswith(sign) and not line.startswith(sign * 3):
            if line[1:].strip():
                if gap and lines:
                    lines.append("// ...")
                lines.append(line[1:])
                gap = False
        else:
            gap = True
    return "\n".join(lines[:limit]) or None