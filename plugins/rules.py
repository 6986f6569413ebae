"""Classifier `rules`: an offline, deterministic reading of a failure, with its evidence.

It weighs, in order: infrastructure error signatures, GAPS.txt entries that
describe the failure, earlier reports about the same eval, then what the failed
step and the other steps say (a stylistic lint rule in code whose tests passed
is overly strict; a type-safety rule or a TypeScript error is the model's; a
test that checks a name the task never gave is ambiguous).
"""

from __future__ import annotations

import re
from collections import Counter

from attrs import frozen

from evalanalysis import Evidence, FailureContext, PriorFinding, Settings, Verdict, hookimpl, model_key, signals

NAME = "rules"
# TypeScript codes that mean missing type declarations of the environment, not wrong code.
ENVIRONMENT_TS_CODES = frozenset({"TS2580", "TS2591", "TS2688", "TS7016"})
# The expected side of an assertion: vitest/chai put it after "to equal", "to have property", ...
_EXPECTED_NAMES = re.compile(r"\bto (?:deeply |strictly )?(?:equal|be|have (?:a )?property|contain|include|match(?:Object)?)\b(.*)", re.I)
_MISSING_FUNCTION = re.compile(r"Could not find (?:public )?function for '([\w/.-]+:\w+)'")
# Schema validation naming a field the grader's data uses (or omits).
_SCHEMA_FIELD = re.compile(r"(?:extra field|missing the required field) `(\w+)`")


@hookimpl
def register_classifiers(register):
    register(NAME, RulesClassifier.from_settings)


@frozen
class Decision:
    role: str
    confidence: float
    reasoning: str
    tags: tuple[str, ...] = ()


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
    outcomes = signals.step_outcomes(detail)
    evidence: list[Evidence] = []

    rules = signals.lint_rules(error) if step in ("eslint", None) else []
    codes = signals.ts_error_codes(error)
    infra = signals.infrastructure_signals(error)
    evidence += [Evidence("lint_rule", r, signals.rule_family(r)) for r in rules]
    evidence += [Evidence("error_code", c) for c in codes]
    evidence += [Evidence("infrastructure", s) for s in infra]
    tests_passed = step != "tests" and outcomes.get("tests") == "passed"
    if tests_passed:
        evidence.append(Evidence("step_outcome", "tests passed", "tests"))

    gap_text = "\n".join([error, step or "", *(detail.output_files or {}).keys()])
    gap_matches = signals.match_gaps(signals.parse_gaps(detail.source_file("GAPS.txt")), gap_text)
    evidence += [Evidence("gaps", m.entry, "GAPS.txt") for m in gap_matches[:2]]
    prior_evidence, prior_decision = _from_priors(failure)
    evidence += prior_evidence

    decision = (
        _infrastructure(step, infra, outcomes)
        or _known_gap(gap_matches)
        or prior_decision
        or _by_step(failure, step, error, rules, codes, tests_passed, outcomes)
    )
    tags = decision.tags + (("tests_passed",) if tests_passed else ())
    model_snippet, expected_snippet = _snippets(failure, error)
    return Verdict(
        classification=failure.taxonomy.for_role(decision.role).name,
        reasoning=decision.reasoning,
        confidence=round(decision.confidence, 2),
        classifier=NAME,
        error_summary=signals.one_line(error),
        model_snippet=model_snippet,
        expected_snippet=expected_snippet,
        evidence=tuple(evidence),
        tags=tuple(dict.fromkeys(tags)),
    )


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
    where = f"the {step} step" if step else "the run"
    return Decision(
        "infrastructure",
        confidence,
        f"{where.capitalize()} failed with {', '.join(infra)}, an environment or grader error rather than an "
        f"assertion about the model's code."
        + (" The code deployed and type-checked, so the harness is the likelier culprit." if built else ""),
        ("infrastructure",),
    )


def _known_gap(matches: list[signals.GapMatch]) -> Decision | None:
    if not matches:
        return None
    best = matches[0]
    return Decision(
        "known_gap",
        min(0.95, 0.55 + 0.4 * best.score),
        f"The eval's GAPS.txt documents this failure: \"{best.entry}\". "
        "It is a known limitation of the eval rather than news about this model.",
    )


def _from_priors(failure: FailureContext) -> tuple[list[Evidence], Decision | None]:
    """Earlier reports about this eval: a documented known gap, or the same failure across models.

    Only findings at the same failed step count when both sides name one (a
    known gap in the tests says nothing about a deploy failure). Models are
    compared by `model_key`, so `qwen/qwen3.5-plus` and `qwen3.5-plus` are one.
    """
    step = _failed_step(failure)
    priors = [
        p for p in failure.prior_findings
        if p.classification and (not step or not p.failed_step or p.failed_step == step)
    ]
    if not priors:
        return [], None
    evidence = [
        Evidence(
            "prior_report",
            f"{p.classification_raw or p.classification} in run {p.run_id or '?'} ({p.model or '?'}, {p.date or '?'})"
            + (f": {p.note}" if p.note else ""),
            p.report,
        )
        for p in priors[:3]
    ]
    this_model = model_key(failure.run.model if failure.run else None)
    gaps = [p for p in priors if _role(failure, p) == "known_gap"]
    if gaps:
        gap = gaps[0]
        sure = len(gaps) >= 2 or model_key(gap.model) == this_model
        return evidence, Decision(
            "known_gap",
            0.75 if sure else 0.65,
            f"An earlier report ({_cite(gap)}) established this failure as a known gap of the eval"
            + (f", and {len(gaps) - 1} more agree." if len(gaps) > 1 else "."),
            ("repeat",) if model_key(gap.model) == this_model else ("prior_report",),
        )
    latest: dict[str, PriorFinding] = {}
    for p in priors:  # newest first: keep each other model's latest word on this eval
        key = model_key(p.model)
        if key and key != this_model:
            latest.setdefault(key, p)
    roles = Counter(_role(failure, p) for p in latest.values())
    eval_side = Counter({r: n for r, n in roles.items() if r not in (None, "model_fault")})
    if len(latest) >= 2 and eval_side and sum(eval_side.values()) * 2 > len(latest):
        role, _ = eval_side.most_common(1)[0]
        infra = any(re.search(r"INFRA|HARNESS|GRADER", (p.classification_raw or "").upper()) for p in latest.values())
        return evidence, Decision(
            role,
            0.65,
            f"{len(latest)} other models failed this eval{' at the ' + step + ' step' if step else ''} in earlier "
            f"reports, mostly judged {role.upper()}; a failure shared across models points at the eval.",
            ("cross_model", "infrastructure") if infra else ("cross_model",),
        )
    return evidence, None


def _role(failure: FailureContext, prior: PriorFinding) -> str | None:
    cls = failure.taxonomy.get(prior.classification or "")
    return cls.role if cls else None


def _cite(prior: PriorFinding) -> str:
    return f"run {prior.run_id or prior.report}, {prior.date or 'undated'}"


def _by_step(
    failure: FailureContext,
    step: str | None,
    error: str,
    rules: list[str],
    codes: list[str],
    tests_passed: bool,
    outcomes: dict[str, str],
) -> Decision:
    if step == "eslint":
        return _eslint(rules, tests_passed, outcomes)
    if step == "tsc":
        return _typescript(codes, tests_passed)
    if step == "deploy":
        env_codes = [c for c in codes if c in ENVIRONMENT_TS_CODES]
        if env_codes:
            return _environment_types(env_codes)
        return Decision(
            "model_fault",
            0.8,
            f"`convex dev` rejected the model's code ({signals.one_line(error, 100)}). "
            "Code that does not deploy is the model's mistake (wrong import, API or validator).",
        )
    if step in ("install", "filesystem"):
        return Decision(
            "model_fault",
            0.7,
            f"The {step} step failed ({signals.one_line(error, 100)}): the project the model produced could not be set up.",
        )
    if step == "tests":
        return _tests(failure, error)
    return Decision("model_fault", 0.5, f"The {step or 'unknown'} step failed; nothing points away from the model's code.")


def _eslint(rules: list[str], tests_passed: bool, outcomes: dict[str, str]) -> Decision:
    families = {signals.rule_family(r) for r in rules}
    listed = ", ".join(f"`{r}`" for r in rules) or "an unnamed rule"
    tests_failed = outcomes.get("tests") == "failed"
    if families & {"type_safety", "convex"}:
        return Decision(
            "model_fault",
            0.75 if tests_passed else 0.8,
            f"ESLint failed on {listed}, which catch{'es' if len(rules) == 1 else ''} real type-safety or Convex "
            "best-practice mistakes. "
            + ("The tests passed, but the code is still unsafe as written." if tests_passed else ""),
        )
    if tests_failed:
        return Decision("model_fault", 0.75, f"ESLint failed on {listed} and the tests failed too: the code is wrong, not just untidy.")
    if families and families <= {"stylistic"}:
        return Decision(
            "overly_strict",
            0.85 if tests_passed else 0.6,
            f"ESLint failed only on {listed}, a stylistic rule"
            + (", while every test passed" if tests_passed else "")
            + ". The code does what the task asked; the lint step demands more than the task did.",
        )
    return Decision(
        "overly_strict" if tests_passed else "model_fault",
        0.55,
        f"ESLint failed on {listed}"
        + (" while the tests passed; the rule is not a type-safety rule, so the eval is likely too strict." if tests_passed else "."),
    )


def _typescript(codes: list[str], tests_passed: bool) -> Decision:
    env_codes = [c for c in codes if c in ENVIRONMENT_TS_CODES]
    if env_codes and len(env_codes) == len(codes):
        return _environment_types(env_codes)
    listed = ", ".join(codes) or "type errors"
    return Decision(
        "model_fault",
        0.65 if tests_passed else 0.8,
        f"The TypeScript check failed with {listed}: the model's code does not type-check."
        + (" The tests passed, so the mistake is in the types rather than the behaviour." if tests_passed else ""),
    )


def _environment_types(codes: list[str]) -> Decision:
    return Decision(
        "ambiguous_task",
        0.55,
        f"The type errors ({', '.join(codes)}) are about missing type declarations of the environment "
        "(e.g. Node's `process`), which the task did not ask the model to install.",
        ("environment",),
    )


def _tests(failure: FailureContext, error: str) -> Decision:
    counts = signals.test_counts(error)
    partial = f" ({counts.passed}/{counts.total} tests passed)" if counts else ""
    unnamed = _names_not_in_task(failure, error)
    if unnamed:
        return Decision(
            "ambiguous_task",
            0.6,
            f"The grader checks {', '.join(f'`{n}`' for n in unnamed[:3])}, which the task text never mentions{partial}. "
            "The model could not know that name or shape, so its reading was reasonable.",
        )
    return Decision(
        "model_fault",
        0.7 if counts and counts.passed else 0.75,
        f"The grader's tests failed{partial} on behaviour the task specifies. "
        f"First failure: {signals.one_line(error, 120)}",
    )


def _names_not_in_task(failure: FailureContext, error: str) -> list[str]:
    task = (failure.detail.eval.task or failure.detail.source_file("TASK.txt") or "").lower()
    if not task:
        return []
    names: list[str] = []
    for match in _MISSING_FUNCTION.finditer(error):
        names.append(match.group(1).split(":")[-1])
    names += _SCHEMA_FIELD.findall(error)
    for match in _EXPECTED_NAMES.finditer(error):
        names += re.findall(r"(?:^|[{,\s])([A-Za-z_]\w{2,})\s*:", match.group(1))
        names += re.findall(r"['\"]([A-Za-z_][\w-]{2,})['\"]", match.group(1))
    outputs = "\n".join((failure.detail.output_files or {}).values())
    missing = [n for n in dict.fromkeys(names) if n.lower() not in task and n not in outputs]
    return missing


def _snippets(failure: FailureContext, error: str) -> tuple[str | None, str | None]:
    pairs = signals.paired_files(failure.detail)
    named = set(signals.files_named_in(error, failure.detail.output_files))
    ordered = sorted(pairs, key=lambda p: (p[0] not in named, not p[0].endswith((".ts", ".tsx")), p[0]))
    for path, model_text, answer_text in ordered:
        if model_text is None or model_text == "<binary file>":
            continue
        lines = signals.line_numbers_named(error, path)
        if lines:
            snippet = signals.snippet_around(model_text, lines)
            expected = None
            if answer_text:
                expected = _changed_lines(signals.unified_diff(answer_text, model_text, path), "-")
            return snippet or None, expected
        if answer_text and answer_text != model_text:
            diff = signals.unified_diff(answer_text, model_text, path)
            return _changed_lines(diff, "+"), _changed_lines(diff, "-")
    return None, None


def _changed_lines(diff: str, sign: str, limit: int = 12) -> str | None:
    lines = [
        line[1:]
        for line in diff.splitlines()
        if line.startswith(sign) and not line.startswith(sign * 3)
    ]
    lines = [line for line in lines if line.strip()]
    return "\n".join(lines[:limit]) or None
