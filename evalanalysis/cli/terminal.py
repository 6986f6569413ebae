"""What `analyze` shows in a terminal: a progress bar on stderr while failures are worked on, then a summary table.

The bar is drawn on stderr, so it appears when stderr is a terminal (whatever
stdout is: `analyze RUN | tee log` still shows it) and neither `--quiet` nor
`--json` is given. The summary is a table when stdout is a terminal. Rich
decides what a terminal is: `TTY_COMPATIBLE=1` (or `FORCE_COLOR`) forces one,
`TTY_COMPATIBLE=0` rules one out. Without a terminal the summary is plain text.

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

    from ..llm.prices import Price
    from ..model import RunAnalysis, Usage
    from ..pipeline.orchestrate import Progress

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


def render_summary(a: RunAnalysis, paths: list[Path]) -> str:
    """The plain-text summary, for pipes, logs and scripts."""
    lines = [
        printable(f"Run {a.run.id}: {a.run.model} ({a.run.provider or 'provider unknown'}), experiment {a.run.experiment or 'default'}"),
        f"Pass rate: {a.pass_rate}" + (f"; corrected: {a.corrected_pass_rate}" if a.corrected_pass_rate else ""),
        "Failures by step: " + _steps(a),
        "Classes: " + ", ".join(f"{printable(c)} {n}" for c, n in _class_counts(a).most_common()),
        printable(a.net_impact.summary),
    ]
    if a.usage.requests or a.usage.cached:
        lines.append(
            f"LLM usage: {a.usage.requests} requests, {a.usage.input_tokens} in / {a.usage.output_tokens} out tokens"
            f", {a.usage.cached} cached"
        )
    lines += ["Reports:"] + [f"  {printable(p)}" for p in paths]
    return "\n".join(lines)


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
    table.add_row("Net impact", _markup(a.net_impact.summary))
    if a.usage.requests or a.usage.cached:
        table.add_row(
            "LLM usage",
            f"{a.usage.requests} requests, {a.usage.input_tokens} input / {a.usage.output_tokens} output tokens"
            f" ({a.usage.cached} cached)",
        )
    return table


def print_summary(a: RunAnalysis, paths: list[Path], console: Console | None = None) -> None:
    """A table for a person at a terminal, plain lines otherwise.

    The report paths follow the table one per line, never folded, so they can be
    copied whole however narrow the terminal.
    """
    if not console:
        from rich.console import Console

        console = Console()
    if console.is_terminal:
        console.print(summary_table(a))
        console.print("Reports:", style="bold")
        for path in paths:
            console.print(f"  {printable(path)}", soft_wrap=True, markup=False, highlight=False)
    else:
        click.echo(render_summary(a, paths))


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
    parts = []
    for name, count in _class_counts(a).most_common():
        cls = a.taxonomy.get(name)
        style = CLASS_STYLES.get(cls.role, "bold") if cls else "dim"
        parts.append(f"[{style}]{_markup(name)}[/] {count}")
    return ", ".join(parts)
