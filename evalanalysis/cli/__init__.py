"""The `evalanalysis` command. Each subcommand lives in its own module and is listed here.

A command's module (and the libraries behind it) is imported only when that
command runs: `evalanalysis --help` lists every command from `COMMANDS` below,
and `evalanalysis history` never loads what `analyze` needs.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from .common import DEBUG, EvalAnalysisGroup

# command -> (module of this package whose `COMMANDS` holds it, the first paragraph of its help).
# `--help` shows the help from here; tests/test_startup.py checks it matches each command's own.
COMMANDS: dict[str, tuple[str, str]] = {
    "actions": ("actions", "Record an action taken in REPORT, or a maintainer's correction of one failure's class."),
    "analyze": ("analyze", "Analyse the failed evals of RUN: a run id, a visualizer URL or a bundle file."),
    "cache": ("cache", "Show what the on-disk cache holds (`cache info`), or remove LLM results from it (`cache clear`)."),
    "compare": ("compare", "Compare the failures of run A with run B: new in B, persisting (and changed), resolved."),
    "config": ("info", "Show the resolved settings and where each came from."),
    "evaluate": ("evaluate", "Classify the failures of each BUNDLE (or run) and compare the verdicts with the labels."),
    "history": ("history", "Prior findings of earlier reports, grouped by eval with counts (all models, or MODEL's)."),
    "logs": ("logs", "Show the prompt log, newest first: each prompt sent to an LLM, its answer, tokens and latency."),
    "plugins": ("info", "List installed sources, classifiers and reporters, and any plugin too broken to load (with why)."),
    "show": ("show", "Print the summary of REPORT (a JSON or markdown report) again, as `analyze` printed it."),
    "site": ("site", "Write a static site over every report: pass rates over time, latest failures by eval and model, known-gap candidates."),
    "snapshot": ("snapshot", "Save RUN (id, visualizer URL or bundle) as a bundle FILE for offline analysis (`-o -`: stdout)."),
}


class LazyGroup(EvalAnalysisGroup):
    """The group whose commands are imported on first use, from the `COMMANDS` table."""

    _listing = False  # True while `--help` lists the commands: the table's help stands in for unloaded ones

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, summary = COMMANDS[cmd_name]
            if self._listing:
                return click.Command(cmd_name, help=summary)
            self._load(module)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        # An unknown name: load every command, so the error suggests the close ones as it always did.
        if args and args[0] not in self.commands and args[0] not in COMMANDS:
            for module in sorted({module for module, _ in COMMANDS.values()}):
                self._load(module)
        return super().resolve_command(ctx, args)

    def _load(self, module: str) -> None:
        for command in importlib.import_module(f".{module}", __name__).COMMANDS:
            if command.name not in self.commands:  # one added with `add_command` wins
                self.add_command(command)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="evalanalysis")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Triage the failed evals of an LLM benchmark run and write reports."""
    if debug:
        ctx.meta[DEBUG] = True


def __getattr__(name: str) -> Any:
    # `evalanalysis.cli.analyze` and the other modules stay reachable as attributes, as when all were imported here.
    if name in {"terminal", *(module for module, _ in COMMANDS.values())}:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
