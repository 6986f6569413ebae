"""`evalanalysis actions REPORT`: record an action taken (`--add TEXT`) or a maintainer's correction of a
failure's class (`--reclassify EVAL CLASS --reason TEXT`) in a report."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Callable

import attrs
import click

from ..converter import analysis_from_json
from ..errors import BadInput, EvalAnalysisError, UsageError
from ..history.actions import action_entry, record_action
from ..history.reader import parse_report
from ..pipeline.reportfile import replace_file
from .common import PathArg, check_date, workspace

# Reporters whose files beside the markdown are rendered again with the new entry.
SIBLINGS = {".json": "json", ".html": "html"}


@click.command("actions")
@click.argument("report", type=PathArg(dir_okay=False))
@click.option("--add", "text", help="What was done, e.g. 'Downgraded prefer-const to warn'.")
@click.option("--eval", "evals", multiple=True, metavar="CATEGORY/NAME", help="With --add: an eval the action addresses (repeatable).")
@click.option("--reclassify", nargs=2, metavar="EVAL CLASS", default=None,
              help="Correct the class of the failure EVAL (category/name) to CLASS, e.g. OVERLY_STRICT.")
@click.option("--reason", help="With --reclassify (required): why the class is corrected.")
@click.option("--date", callback=check_date, help="Date of the entry YYYY-MM-DD (default today).")
def actions_command(
    report: str, text: str | None, evals: tuple[str, ...], reclassify: tuple[str, str] | None, reason: str | None,
    date: str | None,
) -> None:
    """Record an action taken in REPORT, or a maintainer's correction of one failure's class.

    --add TEXT records what was done, so later analyses cite it rather than
    recommend it again. --reclassify EVAL CLASS --reason TEXT corrects the class
    of the failure EVAL; later analyses, history and `evaluate --corrections-from`
    take it as a maintainer's verdict.

    The markdown report is edited in place (every other byte kept); its JSON
    and HTML siblings, when present, are rendered again with the entry.
    """
    if (text is None) == (reclassify is None):
        raise UsageError("give exactly one of --add TEXT or --reclassify EVAL CLASS")
    if reclassify is not None:
        if evals:
            raise UsageError("--eval goes with --add; --reclassify names its eval itself")
        if reason is None:
            raise UsageError("--reclassify needs --reason TEXT: why the class is corrected")
        reclassify_failure(Path(report), *reclassify, reason, date)
        return
    if reason is not None:
        raise UsageError("--reason goes with --reclassify EVAL CLASS")
    if evals:
        action_entry(text, evals, date)  # a malformed --eval is named as such before it is looked up
        check_evals(Path(report), evals)
    refreshed: list[Path] = []
    entry = record_action(Path(report), text, evals, date, also=lambda md, line: refreshed.extend(refresh_siblings(md, line)))
    click.echo(f"recorded in {report}: {entry}")
    for path in refreshed:
        click.echo(f"updated {Path(report).with_suffix(path.suffix)}")


def reclassify_failure(report: Path, wanted: str, cls: str, reason: str, date: str | None) -> None:
    """`--reclassify`: check the eval and the class, then record the correction and refresh the siblings."""
    from ..history import fields as F
    from ..history.corrections import corrected_analysis, correction_entry, record_correction
    from ..model import NOT_ANALYSED

    correction_entry(wanted, "x", "x", reason, date)  # an empty --reason is refused first
    space = workspace(None, {})
    taxonomy = space.settings.taxonomy
    chosen = taxonomy.normalise(cls)
    if chosen is None:
        raise BadInput(f"unknown class {cls!r}; the classes are {', '.join(taxonomy.names)}")
    if report.suffix.lower() != ".md":
        raise BadInput(f"{report}: corrections are recorded in the markdown report (.md)")
    check_evals(report, (wanted,), option="--reclassify")
    eval_path = _eval_path(report, wanted)

    def current(text: str) -> tuple[str, str | None]:
        finding = next((f for f in parse_report(text, report.name).findings if f.eval_path == eval_path), None)
        if finding is None:
            raise BadInput(f"--reclassify {wanted!r} is not a failure in {report}; file unchanged")
        raw = finding.classification_raw or NOT_ANALYSED
        shown = F.corrected_parts(raw)[0]
        now = NOT_ANALYSED if shown.strip().upper() == NOT_ANALYSED else taxonomy.normalise(shown) or shown
        if now == chosen:
            raise BadInput(f"{eval_path} is already {chosen} in {report}; nothing recorded")
        first = finding.corrected_from
        return now, (taxonomy.normalise(first) or first) if first else None

    refreshed: list[Path] = []

    def siblings(md: Path, entry: str, correction) -> None:
        change = lambda analysis: corrected_analysis(analysis, correction)  # noqa: E731
        refreshed.extend(refresh_siblings(md, entry, change))

    correction = record_correction(report, eval_path, chosen, reason, date, current=current, also=siblings)
    click.echo(
        f"recorded in {report}: {correction.eval_path} reclassified from {correction.original} to {correction.classification}"
    )
    for path in refreshed:
        click.echo(f"updated {report.with_suffix(path.suffix)}")
    newer = newer_report_of_run(report)
    if newer is not None:
        click.echo(
            f"warning: {newer} is a newer report of the same run; history reads that one, so record the "
            "correction there too (evaluate --corrections-from reads both)",
            err=True,
        )


def newer_report_of_run(report: Path) -> Path | None:
    """A report beside `report` of the same run that supersedes it in history (see `superseded_reports`)."""
    from ..history.index import superseded_reports

    heads = []
    for path in sorted(report.parent.glob("*.md")):
        try:
            record = parse_report(path.read_text(encoding="utf-8"), path.name)
            heads.append((path.name, path.stat().st_mtime_ns,
                          (record.run_id, list(record.run_ids), record.date, record.provider, record.model)))
        except (OSError, UnicodeDecodeError):
            continue
    if report.name not in superseded_reports(heads):
        return None
    mine = next((h for h in heads if h[0] == report.name), None)
    same = [h for h in heads if mine is not None and h[0] != report.name and h[2][1] == mine[2][1] and h[2][4] == mine[2][4]]
    current = [h for h in same if h[0] not in superseded_reports(heads)]
    return report.parent / current[0][0] if current else None


def _eval_path(report: Path, wanted: str) -> str:
    """The eval path the report gives the failure `wanted` names (a bare name completed)."""
    try:
        record = parse_report(report.read_text(encoding="utf-8"), report.name)
    except (OSError, UnicodeDecodeError):
        return wanted  # `record_correction` says why the report cannot be read
    known = list(dict.fromkeys(f.eval_path for f in record.findings))
    if wanted in known:
        return wanted
    name = wanted.rsplit("/", 1)[-1]
    same = [p for p in known if p.rsplit("/", 1)[-1] == name]
    if len(same) > 1:
        raise BadInput(f"--reclassify {wanted!r} names several failures in {report} ({', '.join(same)}); give the full path")
    return same[0] if same else wanted


def check_evals(report: Path, evals: tuple[str, ...], option: str = "--eval") -> None:
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
        raise BadInput(f"{option} {wanted!r} is not a failure in {report}; {hint}")


def refresh_siblings(markdown: Path, entry: str, change: Callable | None = None) -> list[Path]:
    """Add `entry` to the JSON report beside `markdown` (and apply `change` to its analysis, e.g. a
    correction), and render it and the HTML page again."""
    source = markdown.with_suffix(".json")
    try:
        analysis = analysis_from_json(json.loads(source.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return []
    except (OSError, ValueError, EvalAnalysisError) as exc:
        click.echo(f"warning: {source} not updated: {str(exc).splitlines()[0]}", err=True)
        return []
    analysis = attrs.evolve(analysis, actions_taken=(*analysis.actions_taken, entry))
    if change is not None:
        analysis = change(analysis)
    space = workspace(None, {})
    updated = []
    for suffix, name in SIBLINGS.items():
        path = markdown.with_suffix(suffix)
        if path.is_file() and name in space.registry.names("reporter"):
            replace_file(path, space.registry.create("reporter", name, space.settings).render(analysis))
            updated.append(path)
    return updated


COMMANDS = [actions_command]
