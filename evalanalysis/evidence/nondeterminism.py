"""Whether the model's code behind a failure is nondeterministic by itself: randomness, the clock, races.

A failure that comes and goes across runs of one model points at a nondeterministic
grader or harness, unless the model's own code gives different answers from run
to run. This reads the model's files where the error points:

1. the lines the error points at (`convex/index.ts:12:3`, ESLint blocks): the
   whole top-level export around each (`export const pick = ...` up to the next
   export), or `CONTEXT` lines either side outside any;
2. failing that, the body of each exported function the error names
   (`export const listMessages = ...` up to the next top-level export);

and looks there for the calls in `NONDETERMINISTIC` (`Math.random()`,
`Date.now()`, `new Date()`, `crypto.randomUUID()`, `performance.now()`,
`Promise.race/any`, ...). Code the error does not point at is not read: a
`Date.now()` for a `createdAt` elsewhere in the file says nothing about this
failure. Nothing found means no evidence, not proof of determinism.
"""

from __future__ import annotations

import re
from typing import Mapping

from ..model import EvalDetail, Evidence
from .files import SOURCE_SUFFIXES, files_named_in, line_numbers_named

CONTEXT = 10
# (pattern, what it is), in the order they are reported.
NONDETERMINISTIC: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bMath\.random\s*\("), "Math.random()"),
    (re.compile(r"\bcrypto\.randomUUID\s*\("), "crypto.randomUUID()"),
    (re.compile(r"\bcrypto\.getRandomValues\s*\("), "crypto.getRandomValues()"),
    (re.compile(r"\bDate\.now\s*\("), "Date.now()"),
    (re.compile(r"\bnew\s+Date\s*\(\s*\)"), "new Date()"),
    (re.compile(r"\bperformance\.now\s*\("), "performance.now()"),
    (re.compile(r"\bPromise\.(?:race|any)\s*\("), "Promise.race/any (whichever settles first)"),
)
_EXPORT = re.compile(r"^export\s+(?:const|let|function|async\s+function)\s+([A-Za-z_$][\w$]*)", re.M)


def nondeterminism_evidence(detail: EvalDetail, error: str) -> tuple[Evidence, ...]:
    """What in the model's code the `error` points at is nondeterministic (see the module docstring):
    one `nondeterminism` evidence per call found, naming the file and line; empty when none is."""
    files = {p: t for p, t in (detail.output_files or {}).items() if p.endswith(SOURCE_SUFFIXES)}
    found: dict[tuple[str, int], str] = {}
    for path, first, last in _regions(error, files):
        lines = files[path].splitlines()
        for number in range(first, min(last, len(lines)) + 1):
            for pattern, what in NONDETERMINISTIC:
                if pattern.search(lines[number - 1]):
                    found.setdefault((path, number), what)
    return tuple(Evidence("nondeterminism", f"{what} in the failing code", f"{path}:{number}")
                 for (path, number), what in found.items())


def _regions(error: str, files: Mapping[str, str]) -> list[tuple[str, int, int]]:
    """(path, first line, last line) of the model's code the error points at (1-based, inclusive)."""
    regions = []
    for path in files_named_in(error, files):
        exports = _exports(files[path])
        for n in line_numbers_named(error, path):
            around = [(first, last) for _, first, last in exports if first <= n <= last]
            first, last = around[0] if around else (max(1, n - CONTEXT), n + CONTEXT)
            regions.append((path, first, last))
    if regions:
        return regions
    words = set(re.findall(r"[A-Za-z_$][\w$]*", error))
    for path, text in files.items():
        regions += [(path, first, last) for name, first, last in _exports(text) if name in words]
    return regions


def _exports(text: str) -> list[tuple[str, int, int]]:
    """(name, first line, last line) of each top-level export: from its line to the line before the next."""
    starts = [(m.group(1), text.count("\n", 0, m.start()) + 1) for m in _EXPORT.finditer(text)]
    ends = [line - 1 for _, line in starts[1:]] + [text.count("\n") + 1]
    return [(name, line, end) for (name, line), end in zip(starts, ends)]
