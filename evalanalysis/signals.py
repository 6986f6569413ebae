"""Facts read off a failure's text and files: lint rules, TypeScript codes, infrastructure
signatures, test counts, GAPS.txt matches, model-vs-answer diffs, what the grader's output says.

Pure functions shared by the rules classifier, the LLM prompt builder and
collation, so every consumer reads a failure the same way.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Mapping

from attrs import frozen

# GAPS.txt reading lives in .gaps; re-exported so plugins reach it as `signals.match_gaps` etc.
from .gaps import GapMatch, code_quotes, concept_words, is_open, match_gaps, parse_gaps, significant_words  # noqa: F401
from .model import EvalDetail

PIPELINE_STEPS = ("filesystem", "install", "deploy", "tsc", "eslint", "tests")

# Lint rules whose failure says nothing about whether the code works.
STYLISTIC_RULES = frozenset(
    {
        "prefer-const",
        "explicit-function-return-type",
        "explicit-module-boundary-types",
        "no-inferrable-types",
        "array-type",
        "consistent-type-definitions",
        "consistent-type-imports",
        "consistent-indexed-object-style",
        "prefer-template",
        "prefer-arrow-callback",
        "object-shorthand",
        "no-useless-rename",
        "no-useless-return",
        "no-else-return",
        "no-unused-vars",
        "no-empty-function",
        "no-unnecessary-type-assertion",
        "require-await",
        "no-empty-interface",
        "no-empty-object-type",
        "ban-ts-comment",
        "prefer-nullish-coalescing",
        "prefer-optional-chain",
        "sort-imports",
        "quotes",
        "semi",
        "eqeqeq",
        "no-var",
        "curly",
        "dot-notation",
    }
)
# Lint rules that catch real type-safety or correctness mistakes.
TYPE_SAFETY_RULES = frozenset(
    {
        "no-explicit-any",
        "no-unsafe-argument",
        "no-unsafe-assignment",
        "no-unsafe-call",
        "no-unsafe-member-access",
        "no-unsafe-return",
        "no-floating-promises",
        "no-misused-promises",
        "await-thenable",
        "restrict-template-expressions",
        "restrict-plus-operands",
        "no-unused-expressions",
        "no-non-null-assertion",
        "no-base-to-string",
        "unbound-method",
    }
)

_ESLINT_LINE = re.compile(r"^\s*\d+:\d+\s+(?:error|warning)\s+.*?\s(@?[a-z][\w-]*(?:/[\w-]+)*)\s*$", re.M)
_SCOPED_RULE = re.compile(r"(?<![\w/])(@[a-z][\w-]*/[a-z][\w-]*)")
_TS_CODE = re.compile(r"\bTS(\d{4,5})\b")
_TESTS_VITEST = re.compile(r"Tests?:?\s+(?:(\d+)\s+failed)?(?:\s*\|\s*)?(?:(\d+)\s+passed)?\s*\((\d+)\)")

INFRASTRUCTURE_SIGNATURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("fetch failed", re.compile(r"\bfetch failed\b", re.I)),
    ("ECONNREFUSED", re.compile(r"\bECONNREFUSED\b")),
    ("ECONNRESET", re.compile(r"\bECONNRESET\b")),
    ("ETIMEDOUT", re.compile(r"\bETIMEDOUT\b")),
    ("ENOTFOUND", re.compile(r"\b(?:ENOTFOUND|EAI_AGAIN|getaddrinfo)\b")),
    ("EADDRINUSE", re.compile(r"\bEADDRINUSE\b")),
    ("socket hang up", re.compile(r"socket hang up", re.I)),
    ("connection closed", re.compile(r"(?:websocket|connection) (?:closed|reset|lost)|fatal(?:ly)? reconnect", re.I)),
    ("gateway error", re.compile(r"\b(?:502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout)\b")),
    ("npm network error", re.compile(r"npm ERR! (?:network|code E(?:CONNRESET|TIMEDOUT|AI_AGAIN))")),
    ("backend failed to start", re.compile(r"(?:backend|server) (?:failed to start|did not start|exited unexpectedly)", re.I)),
    ("websocket reconnect", re.compile(r"Attempting reconnect\b|WebSocket reconnected", re.I)),
    ("test timeout", re.compile(r"\b(?:Test|Hook) timed out in \d+\s?ms")),
)
_TIMEOUT = re.compile(r"\b(?:timed? ?out|timeout)\b", re.I)


def lint_rules(text: str) -> list[str]:
    """ESLint rule ids named in `text`, in order of appearance, without duplicates."""
    found = [m.group(1) for m in _ESLINT_LINE.finditer(text)] + _SCOPED_RULE.findall(text)
    return list(dict.fromkeys(r for r in found if not r.startswith("@types/")))


def rule_base(rule: str) -> str:
    """`@typescript-eslint/no-explicit-any` -> `no-explicit-any`."""
    return rule.rsplit("/", 1)[-1]


def rule_family(rule: str) -> str:
    """`stylistic`, `type_safety`, `convex` (Convex's own best-practice rules) or `other`."""
    if rule.startswith("@convex-dev/"):
        return "convex"
    base = rule_base(rule)
    if base in STYLISTIC_RULES:
        return "stylistic"
    if base in TYPE_SAFETY_RULES or base.startswith("no-unsafe-"):
        return "type_safety"
    return "other"


def ts_error_codes(text: str) -> list[str]:
    """TypeScript error codes (`TS2345`) in `text`, in order, without duplicates."""
    return list(dict.fromkeys("TS" + c for c in _TS_CODE.findall(text)))


_MISSING_MEMBER = re.compile(r"Property '([\w$]+)' does not exist on type '([A-Z][\w$.]*)")  # TS2339, TS2551
_MISSING_EXPORT = re.compile(r"'\"?([^'\"]+)\"?' has no exported member(?: named)? '([\w$]+)'")  # TS2305, TS2724
_NO_MATCHING_EXPORT = re.compile(r'No matching export in "([^"]+)" for import "([\w$]+)"')  # esbuild, at deploy


def missing_apis(text: str) -> list[str]:
    """APIs an error says do not exist, e.g. "`between` on `IndexRangeBuilder`" or "`v` from `convex/server`".

    Only named library types and modules count: a property missing from the
    model's own object type (`{ a: string; }`) or from `never` is no API misuse.
    """
    found = [f"`{name}` on `{owner}`" for name, owner in _MISSING_MEMBER.findall(text)]
    found += [f"`{name}` from `{module}`" for module, name in _MISSING_EXPORT.findall(text)]
    found += [f"`{name}` from `{_module_of(path)}`" for path, name in _NO_MATCHING_EXPORT.findall(text)]
    return list(dict.fromkeys(found))


def _module_of(path: str) -> str:
    """`node_modules/convex/dist/esm/server/index.js` -> `convex/server`: the import a person writes."""
    module = path.rsplit("node_modules/", 1)[-1]
    module = re.sub(r"/dist/(?:esm|cjs)(?=/)", "", module)
    return re.sub(r"(?:/index)?\.[cm]?js$", "", module)


def infrastructure_signals(text: str) -> list[str]:
    """Names of infrastructure failure signatures (network, harness) found in `text`."""
    return [name for name, pattern in INFRASTRUCTURE_SIGNATURES if pattern.search(text)]


def mentions_timeout(text: str) -> bool:
    return _TIMEOUT.search(text) is not None


@frozen
class TestCounts:
    failed: int
    passed: int
    total: int


def test_counts(text: str) -> TestCounts | None:
    """Failed/passed/total from a vitest-style `Tests: 3 failed | 5 passed (8)` line."""
    for m in _TESTS_VITEST.finditer(text):
        failed, passed, total = (int(g) if g else 0 for g in m.groups())
        if total and (failed or passed):
            return TestCounts(failed, passed or max(total - failed, 0), total)
    return None


# Lines that say what went wrong, most specific first; generic "step failed" lines rank last.
_TELLING_LINES: tuple[re.Pattern[str], ...] = (
    re.compile(r"\berror TS\d+|\[ERROR\]|\b\w*Error\b:|\bERR!|✘"),
    re.compile(r"^\s*\d+:\d+\s+error\b"),
    re.compile(r"\bexpected\b.*\b(?:to|but)\b|\bfailed\b|\berror\b|FAIL|×", re.I),
)
_GENERIC = re.compile(r"^(?:❯|✖|Test Files|Tests\s|Duration|Start at)|typecheck via `tsc` failed", re.I)


def one_line(text: str | None, limit: int = 160) -> str:
    """The most telling line of an error, shortened to `limit` characters."""
    if not text:
        return "(no error text)"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    specific = [line for line in lines if not _GENERIC.search(line)]
    preferred = next(
        (line for pattern in _TELLING_LINES for line in specific if pattern.search(line)),
        (specific or lines or [text.strip()])[0],
    )
    preferred = re.sub(r"\s+", " ", preferred)
    return preferred if len(preferred) <= limit else preferred[: limit - 1] + "…"


def error_signature(text: str | None) -> str:
    """A normalised form of an error for grouping: no paths, positions, numbers or quoted values."""
    line = one_line(text, limit=400)
    line = re.sub(r"(?:[\w.-]+/)+[\w.-]+\.\w+(?:[:(]\d+[,:]\d+\)?)?", "<file>", line)
    line = re.sub(r"\b\d+:\d+\b", "", line)
    line = re.sub(r"([\"'`]).*?\1", "<v>", line)
    line = re.sub(r"\b0x[0-9a-f]+\b|\b\d+(?:\.\d+)?\b", "<n>", line, flags=re.I)
    return re.sub(r"\s+", " ", line).strip()[:160]


def step_outcomes(detail: EvalDetail) -> dict[str, str]:
    """Step name -> status kind, in pipeline order."""
    return {step.name: step.status.kind for step in detail.steps}


def answer_path_for(output_path: str) -> str:
    return "answer/" + output_path


def paired_files(detail: EvalDetail) -> list[tuple[str, str | None, str | None]]:
    """(path, model text, answer text) for every file either side has, model files first."""
    outputs = dict(detail.output_files or {})
    answers = {
        path[len("answer/") :]: text
        for path, text in (detail.eval_source_files or {}).items()
        if path.startswith("answer/")
    }
    paths = list(outputs) + [p for p in answers if p not in outputs]
    return [(p, outputs.get(p), answers.get(p)) for p in paths]


def unified_diff(answer: str, output: str, path: str, context: int = 2) -> str:
    """A unified diff from the answer to the model's file."""
    return "".join(
        difflib.unified_diff(
            answer.splitlines(keepends=True),
            output.splitlines(keepends=True),
            fromfile=f"answer/{path}",
            tofile=f"model/{path}",
            n=context,
        )
    )


def files_named_in(text: str, files: Mapping[str, str] | None) -> list[str]:
    """Paths of `files` that `text` names (by full path or base name)."""
    if not files:
        return []
    named = []
    for path in files:
        base = path.rsplit("/", 1)[-1]
        if path in text or re.search(rf"(?<![\w.]){re.escape(base)}(?![\w])", text):
            named.append(path)
    return named


def line_numbers_named(text: str, path: str) -> list[int]:
    """Line numbers the error text points at in `path` (`path:12:3`, `path(12,3)`, ESLint blocks)."""
    numbers = [int(n) for n in re.findall(rf"{re.escape(path)}[:(](\d+)[,:]\d+", text)]
    block = re.search(rf"^\S*{re.escape(path)}\s*\n((?:\s+\d+:\d+.*\n?)+)", text, re.M)
    if block:
        numbers += [int(n) for n in re.findall(r"^\s+(\d+):\d+", block.group(1), re.M)]
    return list(dict.fromkeys(numbers))


def snippet_around(text: str, line_numbers: list[int], context: int = 2, limit: int = 20) -> str:
    """The lines around `line_numbers` (1-based) of `text`, at most `limit` lines."""
    lines = text.splitlines()
    keep: set[int] = set()
    for n in line_numbers:
        keep.update(range(max(0, n - 1 - context), min(len(lines), n + context)))
    chosen = sorted(keep)[:limit]
    return "\n".join(lines[i] for i in chosen)


# --------------------------------------------------------------------------- code the error points at


def pointed_lines(error: str, files: Mapping[str, str] | None) -> str:
    """The lines of the model's `files` that `error` points at (`path:12:3`, `path(12,3)`, ESLint blocks)."""
    picked = []
    for path in files_named_in(error, files):
        text = (files or {})[path]
        lines = text.splitlines()
        picked += [lines[n - 1] for n in line_numbers_named(error, path) if 0 < n <= len(lines)]
    return "\n".join(dict.fromkeys(picked))


SOURCE_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs")


def changed_lines(detail: EvalDetail) -> str:
    """The model's source lines that differ from the answer's (files both sides have)."""
    added = []
    for path, model_text, answer_text in paired_files(detail):
        if not path.endswith(SOURCE_SUFFIXES) or model_text is None or answer_text is None or model_text == answer_text:
            continue
        diff = unified_diff(answer_text, model_text, path, context=0)
        added += [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return "\n".join(added)


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def matches_answer(detail: EvalDetail) -> bool:
    """True when the model wrote the answer's source files, no more and no fewer (whitespace aside),
    and declared every package the answer's package.json declares.

    Package versions, names and other config files are not compared: they differ
    without changing what the grader exercises.
    """
    pairs = [(p, m, a) for p, m, a in paired_files(detail) if p.endswith(SOURCE_SUFFIXES)]
    if not pairs or not any(a is not None for _, _, a in pairs):
        return False
    if not all(m is not None and a is not None and _normalised(m) == _normalised(a) for _, m, a in pairs):
        return False
    packages = {p: (m, a) for p, m, a in paired_files(detail) if p.rsplit("/", 1)[-1] == "package.json"}
    return all(_dependencies(a) <= _dependencies(m) for m, a in packages.values())


def _dependencies(package_json: str | None) -> set[str]:
    """Names in dependencies and devDependencies of a package.json text (empty when unreadable)."""
    try:
        data = json.loads(package_json or "")
    except ValueError:
        return set()
    if not isinstance(data, dict):
        return set()
    names: set[str] = set()
    for key in ("dependencies", "devDependencies"):
        if isinstance(data.get(key), dict):
            names.update(data[key])
    return names


# --------------------------------------------------------------------------- what the grader's output says

_FAILED_TEST = re.compile(r"^\s*FAIL\s+\S+\s+>\s+(.+?)\s*$", re.M)
_SPEC_TEST = re.compile(r"^compare (?:schema|function spec)$", re.I)
# Keys and type names of the grader's schema/function-spec JSON: structure, not names a task gives.
SPEC_FORMAT_WORDS = frozenset(
    """type value values keys fieldType fieldName optional tables tableName indexes indexDescriptor fields
    searchIndexes vectorIndexes documentType schemaValidation args returns functionType identifier visibility
    kind public internal Query Mutation Action HttpAction object array record union literal id string number
    float64 int64 boolean bytes null any""".split()
)
# Lines that only say a step failed, with no diagnostic of why.
_GENERIC_LOG_LINE = re.compile(
    r"^(?:[-✖✔]\s*)?(?:Preparing Convex functions|Uploading functions to Convex|Failed to deploy|Failed to run|"
    r"TypeScript typecheck via `tsc` failed|To ignore failing typecheck|Error: Unable to bundle Convex modules|"
    r"(?:convex dev|deploy|tsc|eslint|tests|install) fail(?:ed)?\b|…?\(?(?:log|output) truncated\b).*$",
    re.I,
)


def failed_tests(text: str) -> list[str]:
    """Names of the failed tests in vitest output, in order."""
    return list(dict.fromkeys(_FAILED_TEST.findall(text)))


def is_spec_comparison(test_name: str) -> bool:
    """True for the graders' schema and function-spec comparisons (`compare schema`, `compare function spec`)."""
    return _SPEC_TEST.match(test_name.strip()) is not None


def expected_side(text: str) -> str:
    """The expected side of the assertion diffs in vitest output: the `-` lines after `- Expected`."""
    lines, inside = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped == "- Expected":
            inside = True
            continue
        if inside and (stripped.startswith("❯") or stripped.startswith("FAIL") or stripped.startswith("⎯")):
            inside = False
        if inside and stripped.startswith("-") and stripped != "- Expected":
            lines.append(stripped[1:].strip())
    return "\n".join(lines)


def spec_values(diff_side: str) -> list[str]:
    """Quoted names and values in a schema/spec diff, without the format's own keys and type names."""
    quoted = re.findall(r'"([^"\n]{1,80})"', diff_side)
    return [q for q in dict.fromkeys(quoted) if q not in SPEC_FORMAT_WORDS]


_NOT_THE_ERROR = re.compile(r"^\s*(?:✓|\d+\||\|\s|❯\s|Test Files\b|Tests\s|Start at\b|Duration\b|⎯)")


def error_core(text: str) -> str:
    """The error without test-runner chrome: passing tests, grader source frames, summary lines.

    What is left says what failed; matching it against GAPS.txt is not swayed by
    the names of tests that passed or by the grader's own code.
    """
    return "\n".join(line for line in text.splitlines() if not _NOT_THE_ERROR.match(line))


def has_diagnostic(text: str | None) -> bool:
    """False when a log says only that a step failed (progress lines, generic failure, truncation notice)."""
    if not text:
        return False
    return any(line.strip() and not _GENERIC_LOG_LINE.match(line.strip()) for line in text.splitlines())
