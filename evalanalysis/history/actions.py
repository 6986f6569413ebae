"""`evalanalysis actions`: add a dated entry to a report's "Actions taken" section, touching nothing else.

The section is found with the markdown parser (so a `## Actions taken` inside
a code block is not it), the entry goes after the section's last line (or
replaces its "None"), and every other byte of the file stays as it was. The
new text is read back with the history reader before it is written, and the
file is replaced atomically under a lock on its directory, so two concurrent
`actions` commands both land.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from pathlib import Path
from typing import Callable, Mapping

import attrs

from .. import layout
from ..errors import BadInput, EvalAnalysisError
from ..model import RunAnalysis
from ..protocols import Reporter
from ..pipeline.reportfile import check_inside, replace_file, replace_reports, report_dir, report_stem
from .document import heading_lines
from .reader import NOT_A_REPORT, is_actions_heading, parse_report

_EVAL_ARG = re.compile(r"^[\w.+-]+(?:/[\w.+-]+)*$")
_NONE_LINE = re.compile(r"^\s*(?:[-*+]\s+)?[*_]*\s*(?:none|n/?a|nothing(?: yet)?)\s*\.?\s*[*_]*\s*$", re.I)
_ORDERED = re.compile(r"^(\s*)(\d+)([.)])\s")
_BULLET = re.compile(r"^(\s*)([-*+])\s")


def action_entry(text: str, evals: tuple[str, ...] = (), date: str | None = None) -> str:
    """The entry as it is written: `2026-03-01: <text> (evals: `a/b`)`, on one line."""
    body = re.sub(r"\s+", " ", text).strip()
    if not body:
        raise BadInput("--add needs the text of the action taken")
    for e in evals:
        if not _EVAL_ARG.match(e):
            raise BadInput(f"--eval {e!r} is not an eval path; expected category/name, e.g. 000-fundamentals/003-crons")
    when = date or dt.date.today().isoformat()
    return f"{when}: {body}" + (f" (evals: {', '.join(f'`{e}`' for e in evals)})" if evals else "")


def with_action(text: str, entry: str) -> str:
    """`text` with `entry` in its "Actions taken" section (created at the end if missing).

    The section is the first whose heading says "Actions taken" where the history
    reader then finds the entry: one under a heading it skips (a pattern titled
    with such words) is passed over.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    # Lines as markdown-it counts them (\n, \r\n or \r), not str.splitlines' wider set.
    lines = [part for part in re.split(r"(?<=\n)|(?<=\r)(?!\n)", text) if part]
    headings = heading_lines(text)
    for first, after, level, title in headings:
        if is_actions_heading(level, title):
            updated = _inserted(lines, headings, (first, after, level), newline, entry)
            if any(entry in a.text for a in parse_report(updated).actions):
                return updated
    lead = "" if not text else (newline if text.endswith(("\n", "\r")) else newline * 2)
    return f"{text}{lead}## {layout.ACTIONS_TAKEN}{newline}{newline}- {entry}{newline}"


def _inserted(lines: list[str], headings, target: tuple[int, int, int], newline: str, entry: str) -> str:
    """The text of `lines` with `entry` at the end of the section whose heading is `target`."""
    first, after, level = target
    start = after - 1  # the heading's last line (a setext heading's underline)
    end = next((i for i, _, lvl, _ in headings if i > first and lvl <= level), len(lines))
    body = [i for i in range(after, min(end, len(lines))) if lines[i].strip()]
    if len(body) == 1 and _NONE_LINE.match(lines[body[0]]):
        line = lines[body[0]]
        ending = line[len(line.rstrip("\r\n")) :]
        return "".join(lines[: body[0]]) + f"- {entry}{ending}" + "".join(lines[body[0] + 1 :])
    if not body:
        insert = f"{newline}- {entry}{newline}" + (newline if end < len(lines) else "")
        return "".join(lines[: start + 1]) + _terminated(lines[start], newline, insert)[1] + "".join(lines[start + 1 :])
    last = body[-1]
    ordered, bullet = _ORDERED.match(lines[last]), _BULLET.match(lines[last])
    if ordered:
        item = f"{ordered.group(1)}{int(ordered.group(2)) + 1}{ordered.group(3)} {entry}{newline}"
    elif bullet:
        item = f"{bullet.group(1)}{bullet.group(2)} {entry}{newline}"
    else:
        item = f"{newline}- {entry}{newline}"  # after a paragraph, a blank line starts the list
    head, insert = _terminated(lines[last], newline, item)
    return "".join(lines[:last]) + head + insert + "".join(lines[last + 1 :])


def _terminated(line: str, newline: str, insert: str) -> tuple[str, str]:
    """(line, text to insert after it): a last line without a line break gets one before the insert,
    and the insert then ends without one, so the original bytes stay a prefix and suffix."""
    if line.endswith(("\n", "\r")):
        return line, insert
    return line, newline + insert.removesuffix(newline)


def read_report_text(report: Path, target: Path) -> str:
    """The text of the markdown report at `target` (`report` as the user named it), refusing what is
    missing, unreadable, not UTF-8 or not a run-analysis report, each with a one-line message."""
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"report {report} does not exist") from None
    except OSError as exc:
        raise EvalAnalysisError(f"cannot read {report}: {exc.strerror or exc}") from None
    try:
        original = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"{report} is not UTF-8 text; refusing to rewrite it") from None
    if not _is_report(original, report.name):
        raise BadInput(
            f"{report} does not look like a run-analysis report (no run metadata, findings or "
            "\"Actions taken\" section); file unchanged"
        )
    return original


def record_action(
    report: Path,
    text: str,
    evals: tuple[str, ...] = (),
    date: str | None = None,
    also: Callable[[Path, str], None] | None = None,
) -> str:
    """Append an action to `report`'s "Actions taken" section, atomically; returns the entry written.

    `also(report, entry)` runs under the same lock once the markdown is written,
    to bring the report's siblings (JSON, HTML) up to date.
    """
    if report.suffix.lower() != ".md":
        raise BadInput(f"{report}: actions are recorded in the markdown report (.md)")
    entry = action_entry(text, evals, date)
    target = report.resolve()  # a symlinked report is updated where it lives, not replaced by a copy
    with _locked(target.parent):
        original = read_report_text(report, target)
        updated = with_action(original, entry)
        recorded = [a.text for a in parse_report(updated, report.name).actions]
        if not any(entry in a for a in recorded):
            raise EvalAnalysisError(f"{report}: could not place the entry where the history reader finds it; file unchanged")
        try:
            replace_file(target, updated)
        except OSError as exc:
            raise EvalAnalysisError(f"cannot write {report}: {exc.strerror or exc}") from None
        if also is not None:
            also(target, entry)
    return entry


def replace_analysis(
    analysis: RunAnalysis,
    reporters: Mapping[str, Reporter],
    reports_dir: str | os.PathLike[str],
    siblings: Mapping[str, Reporter] | None = None,
) -> list[Path] | None:
    """Rewrite the report this run already has for this date, keeping its "Actions taken" entries
    (for `analyze --replace`); None when it has none, to write a new report instead.

    The report replaced is the newest of `{stem}.md`, `{stem}_2.md`, ... that names
    this run. `siblings` are reporters of other formats, used where that report
    already has a file of theirs (its JSON or HTML), so no sibling is left stale.
    Runs under the directory lock `evalanalysis actions` takes, so an action
    recorded meanwhile is not lost.
    """
    folder = report_dir(reports_dir, analysis)
    if not folder.is_dir():
        return None
    check_inside(Path(reports_dir), folder)
    with _locked(folder):
        found = _report_of_run(folder, report_stem(analysis), analysis.run.id)
        if found is None:
            return None
        markdown, text = found
        kept = [a.text for a in parse_report(text, markdown.name).actions]
        chosen = dict(reporters)
        for name, reporter in (siblings or {}).items():
            if name not in chosen and markdown.with_suffix(reporter.suffix).is_file():
                chosen[name] = reporter
        for path in (markdown.with_suffix(r.suffix) for r in chosen.values()):
            if path.is_symlink():
                raise BadInput(f"{path} is a symbolic link; --replace rewrites only regular report files")
        updated = attrs.evolve(analysis, actions_taken=tuple(dict.fromkeys([*kept, *analysis.actions_taken])))
        return replace_reports(updated, chosen, folder, markdown.stem)


def _report_of_run(folder: Path, stem: str, run_id: str) -> tuple[Path, str] | None:
    """(path, text) of the highest-numbered `{stem}[_N].md` in `folder` whose run is `run_id`."""
    name = re.compile(rf"{re.escape(stem)}(?:_(\d+))?\.md")
    numbered = []
    for path in folder.iterdir():
        match = name.fullmatch(path.name)
        if match:
            numbered.append((int(match.group(1) or 1), path))
    for _, path in sorted(numbered, reverse=True):
        if path.is_symlink():
            raise BadInput(f"{path} is a symbolic link; --replace rewrites only regular report files")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EvalAnalysisError(f"cannot read {path} to replace it: {getattr(exc, 'strerror', None) or exc}") from None
        if run_id in parse_report(text, path.name).run_ids:
            return path, text
    return None


def _is_report(text: str, name: str) -> bool:
    """True for a file the history reader takes as a report, or one that already has an "Actions taken" section."""
    if not any(NOT_A_REPORT in w for w in parse_report(text, name).warnings):
        return True
    return any(is_actions_heading(level, title) for _, _, level, title in heading_lines(text))


@contextlib.contextmanager
def _locked(folder: Path):
    """An exclusive lock on the report's directory (POSIX flock; elsewhere no lock)."""
    try:
        import fcntl
    except ImportError:  # Windows: atomic replace still keeps the file whole
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
