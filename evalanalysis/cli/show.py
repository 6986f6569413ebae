"""`evalanalysis show REPORT`: a report's summary again, in the format `analyze` printed it.

REPORT is a JSON report, or a markdown (or HTML) report whose JSON report sits
beside it under the same name. A markdown report without one (an older or
hand-written report) is read back with `evalanalysis.history.parse_report`,
and what it holds is shown: the run, the model, the classes and each
failure's class.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import BadInput, UsageError
from .common import PathArg, config_option
from .terminal import ALL_FLAG, PER_CLASS, printable

if TYPE_CHECKING:
    from rich.console import Console

    from ..history.records import ReportFinding, ReportRecord
    from ..model import RunAnalysis
    from ..taxonomy import Taxonomy

SUFFIXES = (".md", ".json", ".html")  # a report's files, in the order `analyze` lists them
UNCLASSIFIED = "UNCLASSIFIED"


@click.command("show")
@click.argument("report", type=PathArg())
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (the JSON report, or what the markdown holds).")
@click.option(ALL_FLAG, "all_failures", is_flag=True,
              help=f"List every failure under its class (default: {PER_CLASS} per class, then 'and N more').")
@config_option
def show_command(report: str, as_json: bool, all_failures: bool, config_file: str | None) -> None:
    """Print the summary of REPORT (a JSON or markdown report) again, as `analyze` printed it."""
    path = Path(report)
    limit = None if all_failures else PER_CLASS
    if not path.exists():
        raise UsageError(f"report {printable(path)} does not exist")
    if path.is_dir():
        raise UsageError(f"{printable(path)} is a directory; pass a report file (.json or .md) written by analyze")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"{printable(path)} is not a report: expected a .json or .md file written by analyze")
    sibling = path.with_suffix(".json")
    files = [p for p in (path.with_suffix(s) for s in SUFFIXES) if p.is_file()]
    if suffix == ".json" or sibling.is_file():
        analysis = load_analysis(sibling if suffix != ".json" else path)
        if as_json:
            from ..converter import analysis_to_json

            click.echo(json.dumps(analysis_to_json(analysis), indent=2, ensure_ascii=False))
            return
        from .terminal import print_summary

        print_summary(analysis, files, limit=limit)
        return
    if suffix == ".html":
        raise UsageError(f"{printable(path)}: an HTML report is shown from its JSON report, and {printable(sibling.name)} is not beside it")
    record = load_record(path)
    for warning in record.warnings:
        click.echo(f"warning: {printable(warning)}", err=True)
    taxonomy = _taxonomy(config_file)
    if as_json:
        click.echo(json.dumps(record_json(record, taxonomy), indent=2, ensure_ascii=False))
        return
    print_record(record, taxonomy, files, limit=limit)


def _read(path: Path) -> str:
    from ..history.index import MAX_REPORT_BYTES

    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise BadInput(f"{printable(path)} is larger than {MAX_REPORT_BYTES // 1_000_000} MB; not a report")
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"{printable(path)} is not UTF-8 text, so not a report written by analyze") from None
    except OSError as exc:
        raise UsageError(f"cannot read {printable(path)}: {exc.strerror or exc}") from None


def load_analysis(path: Path) -> RunAnalysis:
    """A JSON report as a `RunAnalysis`, or a one-line `BadInput` naming the file."""
    from ..converter import analysis_from_json

    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise BadInput(f"{printable(path)} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    try:
        return analysis_from_json(data)
    except BadInput as exc:
        raise BadInput(f"{printable(path)}: {printable(exc)}"[:400]) from None


def load_record(path: Path) -> ReportRecord:
    """A markdown report read back by the history reader; refuses a file that holds no run and no finding."""
    from attrs import evolve

    from ..history import parse_report
    from ..history.reader import NOT_A_REPORT

    # As under a reports directory: {provider}/{model}/{file} fills in what the text leaves out.
    record = parse_report(_read(path), "/".join(path.parts[-3:]), display=str(path))
    if any(NOT_A_REPORT in warning for warning in record.warnings):
        raise BadInput(f"{printable(path)} does not look like a run-analysis report ({NOT_A_REPORT})")
    return evolve(record, path=str(path))


def _taxonomy(config_file: str | None) -> Taxonomy:
    from .common import workspace

    return workspace(config_file, {}).settings.taxonomy


def class_of(finding: ReportFinding, taxonomy: Taxonomy) -> str:
    """The finding's class in `taxonomy`, else as the report wrote it, else UNCLASSIFIED."""
    raw = finding.classification_raw
    return (taxonomy.normalise(raw) if raw else None) or (raw or UNCLASSIFIED)


def record_json(record: ReportRecord, taxonomy: Taxonomy) -> dict[str, Any]:
    """What a markdown report holds, as `show --json` prints it."""
    return {
        "report": record.path,
        "run_id": record.run_id,
        "run_ids": list(record.run_ids),
        "provider": record.provider,
        "model": record.model,
        "experiment": record.experiment,
        "date": record.date,
        "pass_rate": record.pass_rate,
        "classes": dict(Counter(class_of(f, taxonomy) for f in record.findings).most_common()),
        "failures": [
            {
                "eval_path": f.eval_path,
                "failed_step": f.failed_step,
                "classification": class_of(f, taxonomy),
                "classification_raw": f.classification_raw,
                "repeat": f.repeat,
            }
            for f in record.findings
        ],
        "warnings": list(record.warnings),
    }


def _groups(record: ReportRecord, taxonomy: Taxonomy, limit: int | None) -> list[tuple[str, list[tuple[int, ReportFinding]], int]]:
    counts = Counter(class_of(f, taxonomy) for f in record.findings)
    groups: dict[str, list[tuple[int, ReportFinding]]] = {name: [] for name, _ in counts.most_common()}
    for i, f in enumerate(record.findings, 1):
        groups[class_of(f, taxonomy)].append((i, f))
    return [(name, members if limit is None else members[:limit], 0 if limit is None else max(0, len(members) - limit))
            for name, members in groups.items()]


def _note(finding: ReportFinding, name: str) -> str:
    notes = []
    if finding.classification_raw and finding.classification_raw != name:
        notes.append(f"written {finding.classification_raw}")
    if finding.repeat:
        notes.append("repeat")
    return ", ".join(notes)


def _run_line(record: ReportRecord) -> str:
    runs = ", ".join(record.run_ids) or "unknown"
    return f"{runs}: {record.model or 'model unknown'} ({record.provider or 'provider unknown'}), experiment {record.experiment or 'default'}"


def render_record(record: ReportRecord, taxonomy: Taxonomy, paths: list[Path], *, limit: int | None = PER_CLASS) -> str:
    """The plain-text summary of a markdown-only report."""
    counts = Counter(class_of(f, taxonomy) for f in record.findings)
    lines = [
        printable(f"Run {_run_line(record)}"),
        printable(f"Date: {record.date or 'unknown'}"),
        printable(f"Pass rate: {record.pass_rate or 'unknown'}"),
        "Classes: " + (", ".join(f"{printable(c)} {n}" for c, n in counts.most_common()) or "none"),
        "Failures by class:",
    ]
    for name, shown, hidden in _groups(record, taxonomy, limit):
        lines.append(f"  {printable(name)} ({len(shown) + hidden})")
        for i, f in shown:
            note = _note(f, name)
            lines.append(printable(f"    {i:>3}. {f.eval_path}  {f.failed_step or 'unknown'}" + (f"  {note}" if note else "")))
        if hidden:
            lines.append(f"    and {hidden} more ({ALL_FLAG} lists every failure)")
    lines.append("(read from the markdown report: no JSON report beside it, so no confidences or reasoning)")
    lines += ["Reports:"] + [f"  {printable(p)}" for p in paths]
    return "\n".join(lines)


def print_record(
    record: ReportRecord, taxonomy: Taxonomy, paths: list[Path], console: Console | None = None, *, limit: int | None = PER_CLASS
) -> None:
    """A markdown-only report's summary: tables for a terminal, plain lines otherwise."""
    if not console:
        from rich.console import Console

        console = Console()
    if not console.is_terminal:
        click.echo(render_record(record, taxonomy, paths, limit=limit))
        return
    from rich.box import SQUARE
    from rich.table import Table

    from .terminal import CLASS_STYLES, _markup

    def styled(name: str) -> str:
        cls = taxonomy.get(name)
        return f"[{CLASS_STYLES.get(cls.role, 'bold') if cls else 'dim'}]{_markup(name)}[/]"

    counts = Counter(class_of(f, taxonomy) for f in record.findings)
    table = Table(title=f"Run analysis: {_markup(record.model or 'model unknown')}", show_header=False, title_justify="left")
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row("Run", _markup(_run_line(record)))
    table.add_row("Date", _markup(record.date or "unknown"))
    table.add_row("Pass rate", _markup(record.pass_rate or "unknown"))
    table.add_row("Classes", ", ".join(f"{styled(c)} {n}" for c, n in counts.most_common()) or "none")
    console.print(table)
    if record.findings:
        failures = Table(title="Failures by class", title_justify="left", box=SQUARE)
        for column in ("Class", "#", "Eval", "Failed step", "Note"):
            failures.add_column(column, justify="right" if column == "#" else "left", overflow="fold", no_wrap=column == "Class",
                                max_width=30 if column == "Note" else None)
        for name, shown, hidden in _groups(record, taxonomy, limit):
            for n, (i, f) in enumerate(shown):
                failures.add_row(
                    f"{styled(name)} ({len(shown) + hidden})" if n == 0 else "", str(i), _markup(f.eval_path),
                    _markup(f.failed_step or "unknown"), _markup(_note(f, name)), end_section=n == len(shown) - 1 and not hidden,
                )
            if hidden:
                failures.add_row("", "", f"[dim]and {hidden} more ({ALL_FLAG} lists every failure)[/]", "", "", end_section=True)
        console.print(failures)
    console.print("Read from the markdown report (no JSON report beside it): no confidences or reasoning.",
                  style="dim", highlight=False)
    console.print("Reports:", style="bold")
    for path in paths:
        console.print(f"  {printable(path)}", soft_wrap=True, markup=False, highlight=False)


COMMANDS = [show_command]
