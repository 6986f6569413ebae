"""Facts read off a failure's text and files: lint rules, TypeScript codes, infrastructure
signatures, test counts, GAPS.txt matches, model-vs-answer diffs.

Pure functions shared by the rules classifier, the LLM prompt builder and
collation, so every consumer reads a failure the same way.
"""

from __future__ import annotations

import difflib
import re
from typing import Iterable, Mapping

from attrs import frozen

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
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-/@]*[A-Za-z0-9_]|[A-Za-z]")

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
)
_TIMEOUT = re.compile(r"\b(?:timed? ?out|timeout)\b", re.I)

STOPWORDS = frozenset(
    """a an and are as at be but by can do does doesn't don't for from has have in is isn't it it's its
    not of on or so that the their them then there this to was wasn't were what when which while with
    without would you your should could into than also just only very some other more most any all
    model models using use uses used make makes get gets got because instead like seems looks good
    great otherwise reason some way ones one two""".split()
)


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


def parse_gaps(text: str | None) -> list[str]:
    """The entries of a GAPS.txt: its `- ` bullets (the first line names the eval)."""
    if not text:
        return []
    entries: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("- ", "* ", "• ")):
            entries.append(stripped[2:].strip())
        elif entries and stripped and line[:1].isspace():
            entries[-1] += " " + stripped
    return entries


def significant_words(text: str) -> set[str]:
    """Lower-cased content words and code tokens of `text`, for overlap matching."""
    words = set()
    for token in _WORD.findall(text):
        token = token.strip(".-/").lower()
        if len(token) < 3 or token in STOPWORDS:
            continue
        words.add(token)
        if "." in token or "/" in token:
            words.update(p for p in re.split(r"[./]", token) if len(p) >= 3 and p not in STOPWORDS)
    return words


@frozen
class GapMatch:
    entry: str
    score: float
    shared: tuple[str, ...]


def match_gaps(entries: Iterable[str], failure_text: str, threshold: float = 0.34) -> list[GapMatch]:
    """GAPS.txt entries that describe this failure, best first.

    `failure_text` should hold the error, the failed step and the model's file
    names. An entry matches when enough of its content words appear there, or
    when it shares a code token (a file name, identifier or rule).
    """
    haystack = significant_words(failure_text)
    matches = []
    for entry in entries:
        words = significant_words(entry)
        if not words:
            continue
        shared = words & haystack
        code_tokens = {w for w in shared if re.search(r"[._/@]|[a-z][A-Z]", w) or w in _CODE_HINTS}
        score = len(shared) / len(words)
        if score >= threshold or (code_tokens and len(shared) >= 2):
            matches.append(GapMatch(entry, round(min(1.0, score + 0.2 * len(code_tokens)), 3), tuple(sorted(shared))))
    return sorted(matches, key=lambda m: -m.score)


_CODE_HINTS = frozenset({"package.json", "tsconfig.json", "index.ts", "schema.ts", "any", "v.id", "returns"})


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
