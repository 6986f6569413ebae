"""What the `rules` classifier reads off the failed step itself, once no stronger evidence decided.

A stylistic lint rule in code whose tests passed is overly strict; a
type-safety rule or a TypeScript error is the model's; missing environment
types are the task's; a log with no diagnostic blames nobody firmly; a grader
that only disagrees on a schema or function spec the task never specified, or
that calls a function the task never asked for, demands more than the task; a
grader checking a field name the task never gave makes the task ambiguous.
"""

from __future__ import annotations

import re

from attrs import frozen

from evalanalysis import FailureContext, evidence

# TypeScript codes that mean missing type declarations of the environment, not wrong code.
ENVIRONMENT_TS_CODES = frozenset({"TS2580", "TS2591", "TS2688", "TS7016"})
# An assertion "expected <actual> to equal <expected>" as vitest/chai print it.
_ASSERTION = re.compile(
    r"\bexpected (.*?) to (?:deeply |strictly )?(?:equal|be|have (?:a )?property|contain|include|match(?:Object)?)\b(.*)",
    re.I,
)
_MISSING_FUNCTION = re.compile(r"Could not find (?:public )?function for '([\w/.-]+:\w+)'")
# Schema validation naming a field the grader's data uses (or omits).
_SCHEMA_FIELD = re.compile(r"(?:extra field|missing the required field) `(\w+)`")
_KEY = re.compile(r"(?:^|[{,\s])([A-Za-z_]\w{2,})\s*:")


@frozen
class Decision:
    """A class role with its confidence and reasoning; `review` says why a person should look."""

    role: str
    confidence: float
    reasoning: str
    tags: tuple[str, ...] = ()
    review: str | None = None
    source: str = ""  # which evidence decided, in words; set by the classifier when it picks this decision


def by_step(
    failure: FailureContext,
    step: str | None,
    error: str,
    rules: list[str],
    codes: list[str],
    tests_passed: bool,
    outcomes: dict[str, str],
    open_gaps: list[str],
) -> Decision:
    """The decision the failed step's own output supports."""
    if step in ("deploy", "tsc", "install") and not evidence.has_diagnostic(error):
        return undiagnosed(step, open_gaps)
    if step == "eslint":
        return eslint(rules, tests_passed, outcomes)
    if step == "tsc":
        return typescript(codes, tests_passed)
    if step == "deploy":
        env_codes = [c for c in codes if c in ENVIRONMENT_TS_CODES]
        if env_codes:
            return environment_types(env_codes)
        return Decision(
            "model_fault",
            0.8,
            f"`convex dev` rejected the model's code ({evidence.one_line(error, 100)}). "
            "Code that does not deploy is the model's mistake (wrong import, API or validator).",
        )
    if step in ("install", "filesystem"):
        return Decision(
            "model_fault",
            0.7,
            f"The {step} step failed ({evidence.one_line(error, 100)}): the project the model produced could not be set up.",
        )
    if step == "tests":
        return tests(failure, error)
    return Decision("model_fault", 0.5, f"The {step or 'unknown'} step failed; nothing points away from the model's code.")


def undiagnosed(step: str, open_gaps: list[str]) -> Decision:
    """A log that only says the step failed: nobody is pinned down, so a person should read the full log.

    An open GAPS.txt entry is named as a possible cause, but an entry counts for a
    known gap only when it matches the error (`rules._known_gap`); this log has
    no error to match, and a gap file merely existing is no evidence.
    """
    review = f"the {step} log holds no diagnostic; read the full log"
    if open_gaps:
        review += f" (the eval's GAPS.txt lists open problems, e.g. \"{open_gaps[0][:120]}\")"
    return Decision(
        "model_fault",
        0.4,
        f"The {step} log says only that the step failed (no compiler, bundler or runtime error survives); "
        "nothing points away from the model's code, but nothing pins it down either.",
        ("no_diagnostic",),
        review,
    )


def eslint(rules: list[str], tests_passed: bool, outcomes: dict[str, str]) -> Decision:
    families = {evidence.rule_family(r) for r in rules}
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


def typescript(codes: list[str], tests_passed: bool) -> Decision:
    env_codes = [c for c in codes if c in ENVIRONMENT_TS_CODES]
    if env_codes and len(env_codes) == len(codes):
        return environment_types(env_codes)
    listed = ", ".join(codes) or "type errors"
    return Decision(
        "model_fault",
        0.65 if tests_passed else 0.8,
        f"The TypeScript check failed with {listed}: the model's code does not type-check."
        + (" The tests passed, so the mistake is in the types rather than the behaviour." if tests_passed else ""),
    )


def environment_types(codes: list[str]) -> Decision:
    return Decision(
        "ambiguous_task",
        0.55,
        f"The type errors ({', '.join(codes)}) are about missing type declarations of the environment "
        "(e.g. Node's `process`), which the task did not ask the model to install.",
        ("environment",),
    )


def tests(failure: FailureContext, error: str) -> Decision:
    counts = evidence.test_counts(error)
    partial = f" ({counts.passed}/{counts.total} tests passed)" if counts else ""
    task = _task(failure)
    spec = _spec_only(error, task, counts)
    if spec is not None:
        return spec
    functions = _functions_not_in_task(failure, error, task)
    if functions:
        return Decision(
            "overly_strict",
            0.6,
            f"The grader calls {', '.join(f'`{n}`' for n in functions[:3])}, a function the task never asks for{partial}. "
            "The test demands more than the task did.",
        )
    unnamed = _names_not_in_task(failure, error, task)
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
        f"First failure: {evidence.one_line(evidence.error_core(error), 120)}",
    )


def _task(failure: FailureContext) -> str:
    return failure.detail.eval.task or failure.detail.source_file("TASK.txt") or ""


def _spec_only(error: str, task: str, counts: evidence.TestCounts | None) -> Decision | None:
    """Only the schema/function-spec comparison failed while behaviour tests passed: who departs from the task?"""
    failed = evidence.failed_tests(error)
    if not failed or not all(evidence.is_spec_comparison(t) for t in failed) or not (counts and counts.passed):
        return None
    expected = evidence.expected_side(error)
    if not expected:
        return None
    values = evidence.spec_values(expected)
    named = [v for v in values if v.lower() in task.lower()]
    which = " and ".join(f"`{t}`" for t in failed)
    if named:
        return Decision(
            "model_fault",
            0.7,
            f"Only {which} failed ({counts.passed}/{counts.total} tests passed), and what the grader expects there "
            f"({', '.join(f'`{v}`' for v in named[:3])}) is what the task asks for: the model departed from the task.",
        )
    keys = re.findall(r'^"?(\w+)"?\s*:', expected, re.M)
    differing = ", ".join(f"`{k}`" for k in dict.fromkeys(keys)) or "details"
    return Decision(
        "overly_strict",
        0.6,
        f"Only {which} failed while every behaviour test passed ({counts.passed}/{counts.total}); the grader "
        f"expects a different {differing} there, which the task never specifies. The comparison demands more than the task did.",
    )


def _functions_not_in_task(failure: FailureContext, error: str, task: str) -> list[str]:
    outputs = "\n".join((failure.detail.output_files or {}).values())
    names = [m.split(":")[-1] for m in _MISSING_FUNCTION.findall(error)]
    return [n for n in dict.fromkeys(names) if n.lower() not in task.lower() and n not in outputs]


def _names_not_in_task(failure: FailureContext, error: str, task: str) -> list[str]:
    """Field or property names the grader expects that neither the task nor the model's code mentions.

    Keys present on both sides of an assertion are the shape both agree on, and
    quoted values are data, not names: neither counts.
    """
    if not task:
        return []
    names: list[str] = list(_SCHEMA_FIELD.findall(error))
    for match in _ASSERTION.finditer(error):
        actual, expected = match.group(1), match.group(2)
        names += [k for k in _KEY.findall(expected) if k not in _KEY.findall(actual)]
        if re.search(r"\bhave (?:a )?property\b", match.group(0), re.I):
            names += re.findall(r"['\"]([A-Za-z_][\w-]{2,})['\"]", expected)
    outputs = "\n".join((failure.detail.output_files or {}).values())
    return [n for n in dict.fromkeys(names) if n.lower() not in task.lower() and n not in outputs]
