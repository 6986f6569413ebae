"""The error fingerprint: what makes two failures "the same failure" across runs and models.

A fingerprint is the failed step plus the error text with what changes from run
to run normalised away: file paths, line and column numbers, Convex and other
ids, hashes, timestamps and durations. What stays is what the error says (the
message, the rule or code, the values an assertion compared), so a failure that
persists across runs keeps its fingerprint and one that changed its error gets
a new one. `key` is a short digest of it, for tables and JSON.
"""

from __future__ import annotations

import hashlib
import re

from attrs import frozen

from .errortext import error_core

# Order matters: timestamps before durations, ids and hashes before bare numbers.
_NORMALISERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\x1b\[[0-9;]*[A-Za-z]"), ""),  # terminal colours
    (re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"), "<time>"),
    (re.compile(r"\b\d{2}:\d{2}:\d{2}(?:\.\d+)?\b"), "<time>"),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I), "<id>"),
    # A path with or without a drive, optionally with :line:col or (line,col).
    # A file path (its last segment has an extension), with :line:col or (line,col) if given; then an
    # absolute folder. Lint rule ids (`@typescript-eslint/no-explicit-any`) have no extension and stay.
    (re.compile(r"(?:[A-Za-z]:)?(?:[\w.@~+-]*[/\\])+[\w@+-][\w.@+-]*\.[A-Za-z]\w*(?::\d+(?::\d+)?|\(\d+,\d+\))?"), "<path>"),
    (re.compile(r"(?<![\w@.-])(?:~|[A-Za-z]:)?[/\\](?:[\w.@+-]+[/\\])*[\w.@+-]+"), "<path>"),
    (re.compile(r"\b[\w.-]+\.(?:tsx?|jsx?|mjs|cjs|json|md|txt)\b(?::\d+(?::\d+)?|\(\d+,\d+\))?"), "<path>"),
    (re.compile(r"\b[0-9a-z]{31,37}\b"), "<id>"),  # Convex document and run ids
    (re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b", re.I), "<hash>"),
    (re.compile(r"\b0x[0-9a-f]+\b", re.I), "<hash>"),
    (re.compile(r"\b\d+(?:\.\d+)?\s?(?:ms|s|sec|seconds?|m|min|minutes?|µs|us|ns)\b"), "<duration>"),
    (re.compile(r"\b(?:line|ln|col|column|row)\s*\d+\b", re.I), "<pos>"),
    # 12:5 as ESLint prints positions, also at the start of a line (the one-line error reports keep)
    (re.compile(r"(?:(?<=[\s(\[])|^)\d+:\d+(?=[\s)\]:]|$)", re.M), "<pos>"),
    (re.compile(r"[ \t]+"), " "),
)
_BLANK_LINES = re.compile(r"\n\s*\n+")
MAX_TEXT = 600


@frozen
class Fingerprint:
    """A failed step and its normalised error text; `key` is a 12-hex digest of both."""

    step: str
    text: str

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{self.step}\0{self.text}".encode()).hexdigest()[:12]

    def __str__(self) -> str:
        return f"{self.step}: {self.text}" if self.text else self.step


def normalise_error(text: str | None) -> str:
    """Error text with paths, positions, ids, hashes, times and durations replaced by placeholders.

    Test-runner chrome (passing tests, source frames, summary lines) goes first, so
    a fingerprint is not changed by which other tests passed or how long they took.
    """
    if not text:
        return ""
    core = error_core(text)
    for pattern, replacement in _NORMALISERS:
        core = pattern.sub(replacement, core)
    lines = [line.strip() for line in core.splitlines() if line.strip()]
    out = _BLANK_LINES.sub("\n", "\n".join(lines))
    return out[:MAX_TEXT]


def error_fingerprint(step: str | None, error: str | None) -> Fingerprint:
    """The fingerprint of a failure at `step` with `error` (no step: `unknown`)."""
    return Fingerprint(step or "unknown", normalise_error(error))
