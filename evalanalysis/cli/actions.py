"""`evalanalysis actions REPORT --add TEXT`: record an action taken into a report's "Actions taken" section."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import attrs
import click

from ..converter import analysis_from_json
from ..errors import BadInput, EvalAnalysisError
from ..history.actions import action_entry, record_action
from ..history.reader import parse_report
from ..pipeline.reportfile import replace_file
from .common import PathArg, check_date, workspace

# Reporters whose files beside the markdown are rendered again with the new entry.
SIBLINGS = {".json": "json", ".html": "html"}


@click.command("actions")
@click.argument("report", type=PathArg(dir_okay=False))
@click.option("--add", "text", required=True, help="What was done, e.g. 'Downgraded prefer-const to warn'.")
@click.option("--eval", "evals", multiple=True, metavar="CATEGORY/NAME", help="An eval the action addresses (repeatable).")
@click.option("--date", callback=check_date, help="Date of the entry YYYY-MM-DD (default today).")
def actions_command(report: str, text: str, evals: tuple[str, ...], date: str | None) -> None:
    """Record an action taken in REPORT so later analyses cite it rather than recommend it again.

    The markdown report is edited in place (every other byte kept); its JSON
    and HTML siblings, when present, are rendered again with the entry.
    """
    if evals:
        action_entry(text, evals, date)  # a malformed --eval is named as such before it is looked up
        check_evals(Path(report), evals)
    refreshed: list[Path] = []
    entry = record_action(Path(report), text, evals, date, also=lambda md, line: refreshed.extend(refresh_siblings(md, line)))
    click.echo(f"recorded in {report}: {entry}")
    for path in refreshed:
        click.echo(f"updated {Path(report).with_suffix(path.suffix)}")


def check_evals(report: Path, evals: tuple[str, ...]) -> None:
    """Refuse an `--eval` that is not one of the report's failures: a typo would cite an action for nothing.

    A report that cannot be read is left to `record_action`, which says why.
    """
    try:
        record = parse_report(report.read_text(encoding="utf-8"), report.name)
    except (OSError, UnicodeDecodeError):
        return
    known = list(dict.fromkeys(f.eval_path for f in record.findings))
    names = {path.rsplit("/", 1)[-1] for path in known}
    bare = {path for path in known if "/" not in path}  # a human report may name evals without their category
    for wanted in evals:
        name = wanted.rsplit("/", 1)[-1]
        if wanted in known or ("/" not in wanted and name in names) or name in bare:
            continue
        close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean {close[0]}?"
        elif known:
            shown = ", ".join(known[:10]) + (f" and {len(known) - 10} more" if len(known) > 10 else "")
            hint = f"its failures are {shown}"
        else:
            hint = "it lists no failures"
        raise BadInput(f"--eval {wanted!r} is not a failure in {report}; {hint}")


def refresh_siblings(markdown: Path, entry: str) -> list[Path]:
    """Add `entry` to the JSON report beside `markdown` and render it and the HTML page again."""
    source = markdown.with_suffix(".json")
    try:
        analysis = analysis_from_json(json.loads(source.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return []
    except (OSError, ValueError, EvalAnalysisError) as exc:
        click.echo(f"warning: {source} not updated: {str(exc).splitlines()[0]}", err=True)
        return []
    analysis = attrs.evolve(analysis, actions_taken=(*analysis.actions_taken, entry))
    space = workspace(None, {})
    updated = []
    for suffix, name in SIBLINGS.items():
        path = markdown.with_suffix(suffix)
        if path.is_file() and name in space.registry.names("reporter"):
            replace_file(path, space.registry.create("reporter", name, space.settings).render(analysis))
            updated.append(path)
    return updated


COMMANDS = [actions_command]
