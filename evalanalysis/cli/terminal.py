"""What `analyze` shows in a terminal: a progress bar on stderr while failures are worked on, then a summary table.

The bar is drawn on stderr, so it appears when stderr is a terminal (whatever
stdout is: `analyze RUN | tee log` still shows it) and neither `--quiet` nor
`--json` is given. The summary is a table when stdout is a terminal. Rich
decides what a terminal is: `TTY_COMPATIBLE=1` (or `FORCE_COLOR`) forces one,
`TTY_COMPATIBLE=0` rules one out. Without a terminal the summary is plain text.

Both list which failure got which class, grouped by class: at most
`PER_CLASS` failures of each class (those that need review first), then
"and N more"; `limit=None` (`--all-failures`) lists every one.

Names and paths come from the database; their control characters are shown as
`\\xNN` so a crafted run cannot move the cursor, retitle the window or write the
clipboard through escape sequences.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import click

# rich (and collation) load when a bar or a table is drawn: `printable` alone, all `history` needs, costs nothing.
if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as ProgressBar, TaskID
    from rich.table import Table

    from ..history.records import ReportRecord
    from ..llm.prices import Price
    from ..model import FailureAnalysis, RunAnalysis, Usage
    from ..pipeline.orchestrate import Progress

PER_CLASS = 8  # failures listed under each class before "and N more"
ALL_FLAG = "--all-failures"
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CLASS_STYLES = {
    "model_fault": "red",
    "overly_strict": "yellow",
    "ambiguous_task": "blue",
    "infrastructure": "cyan",
    "known_gap": "magenta",
}


def printable(text: object) -> str:
    """`text` with its control characters (ESC, BEL, C1, newlines) written out as `\\xNN`."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def show_progress(stderr: Console, *, quiet: bool) -> bool:
    """True when a person watches the stream the bar is drawn on (stderr) and asked for no silence."""
    return not quiet and stderr.is_terminal


class AnalysisProgress:
    """A progress bar fed by `analyze_run`'s `Progress` events; does nothing when disabled.

    Use as a context manager and pass the instance as `on_progress`.
    """

    def __init__(self, console: Console, enabled: bool, price: Price | None = None) -> None:
        self.console = console
        self.enabled = enabled
        self.price = price  # the classifier's `Price`, if any: the bar then shows dollars
        self._bar: ProgressBar | None = None
        self._task: TaskID | None = None
        self._working: dict[str, str] = {}  # eval path -> stage, in start order
        self._all_done = False

    @classmethod
    def for_command(cls, *, quiet: bool, stderr: Console | None = None, price: Price | None = None) -> AnalysisProgress:
        """The bar `analyze` uses: on stderr, shown only when stderr is a person's terminal."""
        if not stderr:
            from rich.console import Console

            stderr = Console(stderr=True)
        return cls(stderr, enabled=show_progress(stderr, quiet=quiet), price=price)

    def __enter__(self) -> AnalysisProgress:
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as ProgressBar, SpinnerColumn, TextColumn, TimeElapsedColumn
            from rich.table import Column

            # The bar and the count keep their room; the failure being worked on gets
            # what is left and is cut with an ellipsis on a narrow terminal.
            self._bar = ProgressBar(
                SpinnerColumn(),
                TextColumn("[bold]{task.description}"),
                BarColumn(bar_width=None, table_column=Column(ratio=1, min_width=10)),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.fields[spent]}", markup=False),
                TextColumn(
                    "{task.fields[current]}",
                    markup=False,
                    table_column=Column(ratio=2, no_wrap=True, overflow="ellipsis"),
                ),
                console=self.console,
                transient=False,
                expand=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("Fetching run", total=None, current="", spent="")
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            if exc_type is None and self._task is not None:
                self._bar.update(self._task, current="")
            self._bar.stop()
            self._bar = None

    def __call__(self, event: Progress) -> None:
        if self._bar is None or self._task is None:
            return
        if event.stage == "run":
            from ..collation.facts import plural

            label = f"Analysing {plural(event.total, 'failure')}" if event.total else "No failed evals"
            self._bar.update(self._task, description=label, total=event.total, completed=0)
        elif event.stage in ("fetching", "classifying") and event.eval_path:
            self._working.pop(event.eval_path, None)
            self._working[event.eval_path] = event.stage
        elif event.stage == "batch":  # a provider batch polled: its requests, not the failures, are counted
            self._bar.update(self._task, description="Provider batch", total=event.total or None, completed=event.done)
            self._bar.update(self._task, current=printable(event.detail or ""))
            return
        elif event.stage == "done":
            if event.eval_path:
                self._working.pop(event.eval_path, None)
            self._bar.update(self._task, completed=event.done)
            self._all_done = event.done >= event.total
            if event.usage is not None and (event.usage.requests or event.usage.cached):
                self._bar.update(self._task, spent=spent_text(event.usage, self.price is not None))
        self._bar.update(self._task, current=self._current())

    def _current(self) -> str:
        if not self._working:
            # Collating and an LLM's synthesis follow the last failure; say what the wait is for.
            return "finding patterns across failures" if self._all_done else ""
        path, stage = next(reversed(self._working.items()))
        more = len(self._working) - 1
        return f"{stage} {printable(path)}" + (f" (+{more} more)" if more else "")


def spent_text(u: Usage, priced: bool) -> str:
    """Tokens (and dollars) so far, for the progress bar: `12,345 in / 678 out tok (9,000 cache read) $0.0123`."""
    from ..llm.prices import dollars

    text = f"{u.input_tokens:,} in / {u.output_tokens:,} out tok"
    if u.cache_read_tokens:
        text += f" ({u.cache_read_tokens:,} cache read)"
    return text + (f" {dollars(u.cost_usd)}" if priced else "")


def render_summary(a: RunAnalysis, paths: list[Path], *, limit: int | None = PER_CLASS) -> str:
    """The plain-text summary, for pipes, logs and scripts."""
    lines = [
        printable(f"Run {a.run.id}: {a.run.model} ({a.run.provider or 'provider unknown'}), experiment {a.run.experiment or 'default'}"),
        f"Pass rate: {a.pass_rate}" + (f"; corrected: {a.corrected_pass_rate}" if a.corrected_pass_rate else ""),
        "Failures by step: " + _steps(a),
        *([printable(f"Changes: {a.since_previous.summary}")] if a.since_previous is not None else []),
        "Classes: " + ", ".join(f"{printable(c)} {n}" for c, n in _class_counts(a).most_common()),
        "Failures by class:",
    ]
    for name, shown, hidden in failures_by_class(a, limit):
        lines.append(f"  {printable(name)} ({len(shown) + hidden})")
        lines += [f"    {_failure_line(i, f)}" for i, f in shown]
        if hidden:
            lines.append(f"    {_more(hidden)}")
    lines.append(printable(a.net_impact.summary))
    if a.usage.requests or a.usage.cached:
        lines.append(
            f"LLM usage: {a.usage.requests} requests, {a.usage.input_tokens} in / {a.usage.output_tokens} out tokens"
            f", {a.usage.cached} cached"
        )
    lines += ["Reports:"] + [f"  {printable(p)}" for p in paths]
    return "\n".join(lines)


def failures_by_class(
    a: RunAnalysis, limit: int | None = PER_CLASS
) -> list[tuple[str, list[tuple[int, FailureAnalysis]], int]]:
    """(class, the failures listed with their report number, how many more) per class, the largest class first.

    Within a class the failures that need review come first, then report order.
    """
    groups: dict[str, list[tuple[int, FailureAnalysis]]] = {name: [] for name, _ in _class_counts(a).most_common()}
    for i, f in enumerate(a.failures, 1):
        groups[_class_of(f)].append((i, f))
    out = []
    for name, members in groups.items():
        members.sort(key=lambda m: (not _needs_review(m[1]), m[0]))
        shown = members if limit is None else members[:limit]
        out.append((name, shown, len(members) - len(shown)))
    return out


def _class_of(f: FailureAnalysis) -> str:
    from ..model import NOT_ANALYSED

    return f.classification or NOT_ANALYSED


def _needs_review(f: FailureAnalysis) -> bool:
    return bool(f.verdict and f.verdict.needs_review)


def _confidence(f: FailureAnalysis) -> str:
    return f"{f.verdict.confidence:.2f}" if f.verdict else "-"


def _note(f: FailureAnalysis) -> str:
    """What follows the confidence: the review mark, or why the failure was not analysed."""
    if _needs_review(f):
        return "needs review"
    if f.verdict is None:
        return f"not analysed: {f.not_analysed_reason or 'unknown'}"[:80]
    return ""


def _failure_line(i: int, f: FailureAnalysis) -> str:
    note = _note(f)
    return printable(f"{i:>3}. {f.eval_path}  {f.failed_step or 'unknown'}  {_confidence(f)}" + (f"  {note}" if note else ""))


def _more(hidden: int) -> str:
    return f"and {hidden} more ({ALL_FLAG} lists every failure)"


def failures_table(a: RunAnalysis, limit: int | None = PER_CLASS) -> Table:
    """Which failure got which class: grouped by class, each group cut at `limit` with "and N more"."""
    from rich.box import SQUARE
    from rich.table import Table

    table = Table(title="Failures by class", title_justify="left", expand=False, box=SQUARE)
    table.add_column("Class", no_wrap=True)
    table.add_column("#", justify="right")
    table.add_column("Eval", overflow="fold")
    table.add_column("Failed step", overflow="fold")
    table.add_column("Confidence", justify="right")
    table.add_column("Note", overflow="fold", max_width=30)
    for name, shown, hidden in failures_by_class(a, limit):
        label = f"[{_class_style(a, name)}]{_markup(name)}[/] ({len(shown) + hidden})"
        for n, (i, f) in enumerate(shown):
            note = _note(f)
            table.add_row(
                label if n == 0 else "", str(i), _markup(f.eval_path), _markup(f.failed_step or "unknown"), _confidence(f),
                f"[yellow]{_markup(note)}[/]" if _needs_review(f) else _markup(note),
                end_section=n == len(shown) - 1 and not hidden,
            )
        if hidden:
            table.add_row("", "", f"[dim]{_markup(_more(hidden))}[/]", "", "", "", end_section=True)
    return table


def summary_table(a: RunAnalysis) -> Table:
    """The summary as a rich table: run, pass rates, classes, steps, net impact, usage."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Run analysis: {_markup(a.run.model)}", show_header=False, title_justify="left", expand=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row("Run", _markup(f"{a.run.id} ({a.run.provider or 'provider unknown'}, experiment {a.run.experiment or 'default'})"))
    table.add_row("Pass rate", a.pass_rate)
    if a.corrected_pass_rate is not None:
        table.add_row("Corrected pass rate", a.corrected_pass_rate)
    table.add_row("Classes", _classes_cell(a))
    table.add_row("Failures by step", escape(_steps(a)))
    if a.since_previous is not None:
        table.add_row("Changes", _markup(a.since_previous.summary))
    table.add_row("Net impact", _markup(a.net_impact.summary))
    if a.usage.requests or a.usage.cached:
        table.add_row(
            "LLM usage",
            f"{a.usage.requests} requests, {a.usage.input_tokens} input / {a.usage.output_tokens} output tokens"
            f" ({a.usage.cached} cached)",
        )
    return table


def print_summary(
    a: RunAnalysis, paths: list[Path], console: Console | None = None, *, limit: int | None = PER_CLASS
) -> None:
    """A table for a person at a terminal, plain lines otherwise.

    The report paths follow the table one per line, never folded, so they can be
    copied whole however narrow the terminal.
    """
    if not console:
        from rich.console import Console

        console = Console()
    if console.is_terminal:
        console.print(summary_table(a))
        if a.failures:
            console.print(failures_table(a, limit))
        console.print("Reports:", style="bold")
        for path in paths:
            console.print(f"  {printable(path)}", soft_wrap=True, markup=False, highlight=False)
    else:
        click.echo(render_summary(a, paths, limit=limit))


def _markup(text: object) -> str:
    """Untrusted text for a rich markup string: no control characters, no markup."""
    from rich.markup import escape

    return escape(printable(text))


def _steps(a: RunAnalysis) -> str:
    return ", ".join(f"{printable(step)} {n}" for step, n in a.failures_by_step.items())


def _class_counts(a: RunAnalysis) -> Counter[str]:
    from ..model import NOT_ANALYSED

    return Counter(f.classification or NOT_ANALYSED for f in a.failures)


def _classes_cell(a: RunAnalysis) -> str:
    return ", ".join(f"[{_class_style(a, name)}]{_markup(name)}[/] {count}" for name, count in _class_counts(a).most_common())


def _class_style(a: RunAnalysis, name: str) -> str:
    cls = a.taxonomy.get(name)
    return CLASS_STYLES.get(cls.role, "bold") if cls else "dim"
