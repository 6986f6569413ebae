"""What a step's error text says: its most telling line, a signature for grouping, infrastructure
trouble, whether it holds any diagnostic at all; and each step's outcome."""

from __future__ import annotations

import re

from ..model import EvalDetail

PIPELINE_STEPS = ("filesystem", "install", "deploy", "tsc", "eslint", "tests")

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


def infrastructure_signals(text: str) -> list[str]:
    """Names of infrastructure failure signatures (network, harness) found in `text`."""
    return [name for name, pattern in INFRASTRUCTURE_SIGNATURES if pattern.search(text)]


def mentions_timeout(text: str) -> bool:
    return _TIMEOUT.search(text) is not None


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


# Lines that only say a step failed, with no diagnostic of why.
_GENERIC_LOG_LINE = re.compile(
    r"^(?:[-✖✔]\s*)?(?:Preparing Convex functions|Uploading functions to Convex|Failed to deploy|Failed to run|"
    r"TypeScript typecheck via `tsc` failed|To ignore failing typecheck|Error: Unable to bundle Convex modules|"
    r"(?:convex dev|deploy|tsc|eslint|tests|install) fail(?:ed)?\b|…?\(?(?:log|output) truncated\b).*$",
    re.I,
)

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
