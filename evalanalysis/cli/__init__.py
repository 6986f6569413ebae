"""The `evalanalysis` command. Each subcommand lives in its own module and registers here."""

from __future__ import annotations

import click

from .common import DEBUG, EvalAnalysisGroup


@click.group(cls=EvalAnalysisGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="evalanalysis")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Triage the failed evals of an LLM benchmark run and write reports."""
    if debug:
        ctx.meta[DEBUG] = True


def _register_commands() -> None:
    from . import actions, analyze, evaluate, history, info, snapshot

    for module in (analyze, snapshot, history, actions, evaluate, info):
        for command in module.COMMANDS:
            main.add_command(command)


_register_commands()
