"""`evalanalysis actions REPORT --add TEXT`: record an action taken into a report's "Actions taken" section."""

from __future__ import annotations

from pathlib import Path

import click

from ..history.actions import record_action
from .common import check_date


@click.command("actions")
@click.argument("report", type=click.Path(dir_okay=False))
@click.option("--add", "text", required=True, help="What was done, e.g. 'Downgraded prefer-const to warn'.")
@click.option("--eval", "evals", multiple=True, metavar="CATEGORY/NAME", help="An eval the action addresses (repeatable).")
@click.option("--date", callback=check_date, help="Date of the entry YYYY-MM-DD (default today).")
def actions_command(report: str, text: str, evals: tuple[str, ...], date: str | None) -> None:
    """Record an action taken in REPORT so later analyses cite it rather than recommend it again."""
    entry = record_action(Path(report), text, evals, date)
    click.echo(f"recorded in {report}: {entry}")


COMMANDS = [actions_command]
