"""`evalanalysis actions --reclassify`: a maintainer's correction of one failure's class, recorded in the report.

A correction is one "Actions taken" entry, which is all the history reader needs
to see it in any report, hand-written ones included:

    - 2026-12-07: Reclassified `002-queries/014-x` from MODEL_FAULT to OVERLY_STRICT: <reason>

In our own layout the failure's class is also shown corrected where the report
shows it (its classification-table cell and its `**Classification**` field):
`OVERLY_STRICT (corrected from MODEL_FAULT)`. Those lines, and the entry, are the
only bytes that change; the file is replaced atomically under the same directory
lock as `record_action`, after the history reader has read the correction back.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Callable

from attrs import evolve, frozen

from .. import layout
from ..errors import BadInput, EvalAnalysisError
from ..model import NOT_ANALYSED, Correction, FailureAnalysis, RunAnalysis, Verdict
from ..names import same_run
from . import fields as F

# `[date: ]Reclassified <eval> from <class> to <class>[: reason]`: the eval as a code span (how we write it)
# or a bare path (how a maintainer may type it), either class bare or as a code span.
_ENTRY = re.compile(
    rf"^\s*(?:(?P<date>\d{{4}}-\d{{2}}-\d{{2}})\s*:\s*)?{layout.RECLASSIFIED}\s+(?P<rest>.+)$", re.I | re.S
)
_BARE_EVAL = re.compile(r"[^\s`]+")
_CLASSES = re.compile(
    r"\s+from\s+(?:`(?P<from_code>[^`]+)`|(?P<from>[^\s`]+))\s+to\s+(?:`(?P<to_code>[^`]+)`|(?P<to>[^\s`:]+))"
    r"\s*(?::\s*(?P<reason>.*))?$",
    re.I | re.S,
)
_TOKEN = re.compile(r"[A-Za-z0-9_]+")
# Control characters (ESC, BEL, ...) would reach a terminal that shows the report: written as \xNN instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@frozen
class CorrectionEntry:
    """One correction as the "Actions taken" entry states it."""

    eval_path: str
    original: str
    classification: str
    reason: str = ""
    date: str | None = None


def correction_entry(eval_path: str, original: str, classification: str, reason: str, date: str | None = None) -> str:
    """The entry as it is written, on one line."""
    body = _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", re.sub(r"\s+", " ", reason)).strip()
    if not body:
        raise BadInput("--reason needs the text of why the class is corrected")
    when = date or dt.date.today().isoformat()
    return f"{when}: {layout.RECLASSIFIED} {_code(eval_path)} from {_class(original)} to {_class(classification)}: {body}"


def parse_correction(text: str) -> CorrectionEntry | None:
    """The correction an "Actions taken" entry records, or None when it records something else."""
    match = _ENTRY.match(text)
    if match is None:
        return None
    rest = match.group("rest")
    span = F.CODE_SPAN.match(rest)
    if span is not None:
        ref = F.exact_ref(span.group(0))
        after = rest[span.end() :]
    else:
        bare = _BARE_EVAL.match(rest)
        ref = F.eval_ref(bare.group(0), loose=True) if bare else None
        after = rest[bare.end() :] if bare else ""
    classes = _CLASSES.match(after)
    if ref is None or classes is None:
        return None
    original = (classes.group("from_code") or classes.group("from")).strip()
    new = (classes.group("to_code") or classes.group("to")).strip()
    reason = re.sub(r"\s+", " ", classes.group("reason") or "").strip()
    return CorrectionEntry(ref.path, original, new, reason, match.group("date"))


def is_correction(text: str) -> bool:
    """True for an "Actions taken" entry that records a correction (not a change made to an eval)."""
    return parse_correction(text) is not None


def _class(name: str) -> str:
    return name if _TOKEN.fullmatch(name) else _code(name)


def _code(value: str) -> str:
    """Inline code that survives backticks inside the value."""
    value = re.sub(r"\s+", " ", value).strip()
    fence = "`" * (max((len(m) for m in re.findall(r"`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


# --------------------------------------------------------------------------- the report's own lines

_LINES = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")
_PIPE = re.compile(r"(?<!\\)\|")
_CLASS_FIELD = re.compile(rf"^(\s*[-*+]\s+\*\*{layout.CLASSIFICATION}\*\*:[ \t]*)([^\r\n]*?)([ \t]*)(\r\n|\n|\r)?$")


def with_shown_correction(text: str, eval_path: str, shown: str) -> tuple[str, int]:
    """`text` with the failure `eval_path`'s class shown as `shown` in our layout's classification table
    row and in its per-failure `**Classification**` field; returns the text and how many lines changed.

    Only those lines change; a report in another layout changes nowhere (its "Actions taken" entry
    is what history reads the correction from).
    """
    from .document import heading_lines

    lines = [part for part in _LINES.split(text) if part]
    headings = heading_lines(text)
    changed = 0
    for index, (first, after, level, title) in enumerate(headings):
        end = next((h[0] for h in headings[index + 1 :] if h[2] <= level), len(lines))
        if level == 2 and title.strip() == layout.CLASSIFICATION_TABLE:
            changed += _table_rows(lines, after, end, eval_path, shown)
        elif level == 3 and _under(headings, index, layout.PER_FAILURE):
            ref = F.heading_parts(title).ref
            if ref is not None and ref.path == eval_path:
                stop = headings[index + 1][0] if index + 1 < len(headings) else len(lines)
                changed += _class_field(lines, after, stop, shown)
    return "".join(lines), changed


def _under(headings, index: int, title: str) -> bool:
    """True when the heading at `index` sits in the `## title` section."""
    for first, after, level, text in reversed(headings[:index]):
        if level < headings[index][2]:
            return level == 2 and text.strip() == title
    return False


def _table_rows(lines: list[str], start: int, end: int, eval_path: str, shown: str) -> int:
    rows = [i for i in range(start, min(end, len(lines))) if lines[i].lstrip().startswith("|")]
    if len(rows) < 3:
        return 0
    header = [c.strip() for c in _cells(lines[rows[0]])[1]]
    if layout.CLASSIFICATION not in header or "Eval" not in header:
        return 0
    eval_col, class_col = header.index("Eval"), header.index(layout.CLASSIFICATION)
    changed = 0
    for i in rows[2:]:
        spans, cells = _cells(lines[i])
        if max(eval_col, class_col) >= len(cells):
            continue
        cell = cells[eval_col].strip().replace("\\|", "|")
        ref = F.exact_ref(cell) or F.eval_ref(cell, loose=True)
        if ref is None or ref.path != eval_path:
            continue
        a, b = spans[class_col]
        value = shown.replace("|", "\\|")
        lines[i] = f"{lines[i][:a]} {value} {lines[i][b:]}"
        changed += 1
    return changed


def _cells(line: str) -> tuple[list[tuple[int, int]], list[str]]:
    """The (start, end) offsets and texts of a table row's cells (between its unescaped pipes)."""
    pipes = [m.start() for m in _PIPE.finditer(line)]
    spans = [(a + 1, b) for a, b in zip(pipes, pipes[1:])]
    return spans, [line[a:b] for a, b in spans]


def _class_field(lines: list[str], start: int, end: int, shown: str) -> int:
    for i in range(start, min(end, len(lines))):
        match = _CLASS_FIELD.match(lines[i])
        if match:
            lines[i] = f"{match.group(1)}{shown}{match.group(4) or ''}"
            return 1
    return 0


# --------------------------------------------------------------------------- recording


def record_correction(
    report: Path,
    eval_path: str,
    classification: str,
    reason: str,
    date: str | None = None,
    *,
    current: Callable[[str], tuple[str, str | None]],
    also: Callable[[Path, str, CorrectionEntry], None] | None = None,
) -> CorrectionEntry:
    """Record that the failure `eval_path` of `report` is of class `classification`, for `reason`.

    `current(text)` reads the report's text and returns (the failure's class now, the class a
    classifier first gave it when it was corrected before, else None); it raises `BadInput` when
    the correction is refused (the class is the same). `also(report, entry, correction)` runs
    under the lock once the markdown is written, to bring its JSON and HTML siblings up to date.
    """
    from .actions import _locked, read_report_text, with_action
    from .reader import parse_report
    from ..pipeline.reportfile import replace_file

    if report.suffix.lower() != ".md":
        raise BadInput(f"{report}: corrections are recorded in the markdown report (.md)")
    correction_entry(eval_path, "x", classification, reason, date)  # a bad --reason is refused before any reading
    target = report.resolve()
    with _locked(target.parent):
        original = read_report_text(report, target)
        now, first = current(original)
        entry = correction_entry(eval_path, now, classification, reason, date)
        since = first if first and first != classification else now  # back to the first class: from the one it undoes
        shown, _ = with_shown_correction(original, eval_path, layout.corrected_class(classification, since))
        updated = with_action(shown, entry)
        record = parse_report(updated, report.name)
        if not any(entry in a.text for a in record.actions) or not any(
            f.eval_path == eval_path and f.corrected_from is not None
            and F.corrected_parts(f.classification_raw or "")[0] == classification
            for f in record.findings
        ):
            raise EvalAnalysisError(f"{report}: could not record the correction where the history reader finds it; file unchanged")
        try:
            replace_file(target, updated)
        except OSError as exc:
            raise EvalAnalysisError(f"cannot write {report}: {exc.strerror or exc}") from None
        correction = parse_correction(entry)
        assert correction is not None
        if also is not None:
            also(target, entry, correction)
    return correction


# --------------------------------------------------------------------------- the analysis (JSON, HTML)


def corrected_analysis(analysis: RunAnalysis, correction: CorrectionEntry) -> RunAnalysis:
    """`analysis` with the failure `correction.eval_path` given the corrected class.

    Its verdict keeps what the classifier said (reasoning, confidence, evidence) and records the
    correction: the class before it (the classifier's, kept across later corrections), the reason
    and the date. A failure that was not analysed gets a verdict of classifier `maintainer`.
    """
    failures = tuple(corrected_failure(f, correction) if f.eval_path == correction.eval_path else f for f in analysis.failures)
    return evolve(analysis, failures=failures)


def corrected_failure(f: FailureAnalysis, correction: CorrectionEntry, original: str | None = None) -> FailureAnalysis:
    """`f` with the corrected class; `original` (default: the class before any correction) is recorded as such."""
    v = f.verdict
    if v is None:
        original = original or NOT_ANALYSED
        v = Verdict(correction.classification, correction.reason or "corrected by a maintainer", 1.0, MAINTAINER)
    elif original is None:
        first = v.correction.original if v.correction is not None else v.classification
        original = v.classification if first == correction.classification else first  # back to the first class
    fixed = Correction(original, correction.reason, correction.date)
    return evolve(f, classification=correction.classification, verdict=evolve(v, classification=correction.classification, correction=fixed))


def carry_own_corrections(
    failures: list[FailureAnalysis], run_id: str, date: str
) -> tuple[list[FailureAnalysis], list[str]]:
    """The failures with the corrections a maintainer recorded in an earlier report of this same run
    applied, and those corrections as "Actions taken" entries for the new report (so a run analysed
    again keeps its maintainer's verdicts, and history keeps seeing them in the newest report).

    Pure: it reads only the failures' prior findings; `date` stands in for a correction without one.
    """
    out, entries = [], []
    for f in failures:
        own = next(
            (p for p in f.prior_findings
             if p.correction is not None and p.classification and any(same_run(r, run_id) for r in (p.run_id, *p.run_ids))),
            None,
        )
        if own is None or own.correction is None or own.classification is None:
            out.append(f)
            continue
        c = CorrectionEntry(f.eval_path, own.correction.original, own.classification, own.correction.reason,
                            own.correction.date or own.date or date)
        out.append(corrected_failure(f, c, original=own.correction.original))
        entries.append(
            f"{c.date}: {layout.RECLASSIFIED} {_code(c.eval_path)} from {_class(c.original)} to {_class(c.classification)}"
            + (f": {c.reason}" if c.reason else "")
        )
    return out, entries


# The `classifier` of a verdict a maintainer gave a failure that was not analysed.
MAINTAINER = "maintainer"
