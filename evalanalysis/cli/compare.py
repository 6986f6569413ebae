"""`evalanalysis compare A B`: what changed between two runs (or reports) of the benchmark.

Each of A and B is a run id, a visualizer URL, a bundle file, a JSON report
written by the `json` reporter, or a markdown report (ours or one the history
reader reads). Runs and bundles are fetched through their
source and classified with the configured classifier (offline `rules` by
default; `--no-classify` skips it); a JSON report brings its own classes. The
comparison itself is `collation.compare.compare_runs`; this module reads the
sides and renders the result: a table (plain lines when stdout is not a
terminal), markdown, or JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import BadInput, EvalAnalysisError, UsageError
from .common import PathArg, config_option, workspace
from .terminal import printable

if TYPE_CHECKING:
    from rich.console import Console

    from ..collation.compare import ComparedFailure, FailureChange, RunComparison, RunSide
    from ..pipeline.workspace import Workspace
    from ..protocols import Classifier


@click.command("compare")
@click.argument("a")
@click.argument("b")
@click.option("--format", "fmt", type=click.Choice(["terminal", "markdown", "json"]), default="terminal",
              show_default=True, help="Output format on stdout.")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON (same as --format json).")
@click.option("--markdown", "markdown_file", type=PathArg(dir_okay=False),
              help="Also write the comparison as markdown to this file (which must not exist).")
@click.option("--no-classify", is_flag=True, help="Do not classify the failures of runs and bundles (JSON reports keep theirs).")
@click.option("--classifier", help="Classifier plugin for runs and bundles: rules (offline, default), anthropic, openai, ...")
@click.option("--model", help="Model id for an LLM classifier.")
@click.option("--source", "source_name", help="Source plugin for run ids and URLs (default: convex).")
@config_option
def compare_command(
    a: str,
    b: str,
    fmt: str,
    as_json: bool,
    markdown_file: str | None,
    no_classify: bool,
    classifier: str | None,
    model: str | None,
    source_name: str | None,
    config_file: str | None,
) -> None:
    """Compare the failures of run A with run B: new in B, persisting (and changed), resolved.

    A and B are each a run id, a visualizer URL, a bundle file, a JSON report or a
    markdown report. The same failure is the same eval; a changed one has another
    class or error fingerprint. For one model in two experiments, the evals that
    flip are listed per category, and those that flip with the guidelines named.
    """
    from ..collation.compare import compare_runs

    if markdown_file is not None and (Path(markdown_file).exists() or Path(markdown_file).is_symlink()):
        raise UsageError(f"{printable(markdown_file)} already exists; choose another --markdown path")
    space = workspace(config_file, {
        "analyze.source": source_name, "classifier.name": classifier, "classifier.model": model, "analyze.history": False,
    })
    chosen = _Lazy(space, no_classify)
    side_a = load_side(a, "A", space, chosen, source_name)
    side_b = load_side(b, "B", space, chosen, source_name)
    comparison = compare_runs(side_a, side_b)
    if markdown_file is not None:
        from ..pipeline.reportfile import write_new_file

        try:
            write_new_file(Path(markdown_file), render_markdown(comparison))
        except FileExistsError:
            raise UsageError(f"{printable(markdown_file)} already exists; choose another --markdown path") from None
        except OSError as exc:
            raise UsageError(f"cannot write {printable(markdown_file)}: {exc.strerror or exc}") from None
    if as_json or fmt == "json":
        click.echo(json.dumps(comparison_to_json(comparison), indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(render_markdown(comparison), nl=False)
    else:
        print_comparison(comparison)
    if markdown_file is not None and not (as_json or fmt == "json"):
        click.echo(f"wrote {printable(markdown_file)}", err=True)


class _Lazy:
    """The classifier, built at the first run or bundle that needs one (JSON reports need none)."""

    def __init__(self, space: Workspace, off: bool):
        self.space, self.off = space, off
        self._made: Classifier | None = None

    def get(self) -> Classifier | None:
        if self.off:
            return None
        if self._made is None:
            self._made = self.space.classifier()
        return self._made


# ------------------------------------------------------------------ reading a side


def load_side(text: str, which: str, space: Workspace, classifier: _Lazy, source_name: str | None = None) -> RunSide:
    """Side `which` (A or B) from what the user typed; every error names the side."""
    try:
        return _load_side(text, which, space, classifier, source_name)
    except EvalAnalysisError as exc:
        if exc.args and isinstance(exc.args[0], str):
            exc.args = (f"{which}: {exc.args[0]}", *exc.args[1:])
        raise


def _load_side(text: str, which: str, space: Workspace, classifier: _Lazy, source_name: str | None) -> RunSide:
    from ..collation.compare import side_from_analysis, side_from_summary
    from ..runref import RunRef, resolve_run

    path = _existing_file(text)
    if path is not None and path.suffix.lower() == ".md":
        return _markdown_side(path, space)
    if path is not None:
        data = _read_json(path)
        if isinstance(data, dict) and "schema" in data and "format" not in data:
            from ..converter import analysis_from_json

            return side_from_analysis(analysis_from_json(data), str(path), "json report")
        if not isinstance(data, dict) or "format" not in data:
            raise BadInput(f"{_shown(path)} is neither a run bundle nor an evalanalysis JSON report")
        ref, kind = RunRef(None, bundle=path), "bundle"
    else:
        ref, kind = resolve_run(text), "run"
        if ref.bundle is not None:
            kind = "bundle"
    summary, analysis = space.run_failures(ref, classifier=classifier.get(), source_name=source_name)
    return side_from_summary(summary, text.strip() if kind == "run" else str(ref.bundle), kind, analysis)


def _markdown_side(path: Path, space: Workspace) -> RunSide:
    """A markdown report (ours, or one history reads) as a side: its findings, one-line errors and classes."""
    from ..collation.compare import side_from_report
    from ..history import parse_report

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{_shown(path)} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})") from None
    except OSError as exc:
        raise BadInput(f"{_shown(path)} cannot be read: {exc.strerror or exc}") from None
    record = parse_report(text, path.as_posix(), display=str(path))
    if not record.findings:
        raise BadInput(f"{_shown(path)} holds no findings a report reader can find (not a run-analysis report?)")
    return side_from_report(record, str(path), space.settings.taxonomy)


def _existing_file(text: str) -> Path | None:
    stripped = text.strip()
    if "://" in stripped or "\0" in stripped:
        return None
    try:
        path = Path(stripped)
        return path if path.is_file() else None
    except (OSError, ValueError):
        return None


def _shown(path: Path) -> str:
    text = str(path)
    return text if text.isprintable() else repr(text)


def _read_json(path: Path) -> Any:
    from ..converter import MAX_NESTING, nesting_depth_over

    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise BadInput(f"{_shown(path)} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"{_shown(path)} is not valid JSON: {exc}") from None
    except RecursionError:
        raise BadInput(f"{_shown(path)} is nested too deeply to be a bundle or a report") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise BadInput(f"{_shown(path)} holds a number too long to read ({str(exc).split(';', 1)[0]})") from None
    except OSError as exc:
        raise BadInput(f"{_shown(path)} cannot be read: {exc.strerror or exc}") from None
    if nesting_depth_over(data):
        raise BadInput(f"{_shown(path)} is nested more than {MAX_NESTING} levels deep; no bundle or report is")
    return data


# ----------------------------------------------------------------------- JSON


def comparison_to_json(c: RunComparison) -> dict[str, Any]:
    """The comparison as plain JSON data (`compare --json`)."""
    return {
        "a": _side_json(c.a),
        "b": _side_json(c.b),
        "same_model": c.same_model,
        "notes": notes(c),
        "counts": {
            "new": len(c.new),
            "persisting": len(c.persisting),
            "changed": len(c.changed),
            "error_changed": len(c.error_changed),
            "class_changed": sum(1 for x in c.persisting if x.class_changed),
            "resolved": len(c.resolved),
            "not_in_b": len(c.not_in_b),
        },
        "resolved_confirmed": c.resolved_confirmed,
        "new": [_change_json(x) for x in c.new],
        "persisting": [_change_json(x) for x in c.persisting],
        "resolved": [_change_json(x) for x in c.resolved],
        "not_in_b": [_change_json(x) for x in c.not_in_b],
        "experiments": _flips_json(c),
    }


def _side_json(s: RunSide) -> dict[str, Any]:
    return {
        "label": s.label, "kind": s.kind, "run_id": s.run_id, "model": s.model, "provider": s.provider,
        "experiment": s.experiment_name, "date": s.date, "total_evals": s.total_evals, "passed_count": s.passed_count,
        "failed_count": s.failed_count, "classified": s.classified, "lists_evals_run": s.ran is not None,
    }


def _change_json(x: FailureChange) -> dict[str, Any]:
    def side(f: ComparedFailure | None) -> dict[str, Any] | None:
        if f is None:
            return None
        return {"class": f.classification, "step": f.failed_step, "error": f.error}

    def fingerprint(fp) -> dict[str, str] | None:
        return None if fp is None else {"key": fp.key, "text": fp.text}

    present = x.b or x.a
    return {
        "eval_path": x.eval_path,
        "category": x.category,
        "status": x.status,
        "class": present.classification if present else None,
        "step": present.failed_step if present else None,
        "class_a": x.a.classification if x.a else None,
        "class_b": x.b.classification if x.b else None,
        "step_a": x.a.failed_step if x.a else None,
        "step_b": x.b.failed_step if x.b else None,
        "fingerprint_a": fingerprint(x.fingerprint_a),
        "fingerprint_b": fingerprint(x.fingerprint_b),
        "basis": x.basis,
        "class_changed": x.class_changed,
        "error_changed": x.error_changed,
        "changed": x.changed,
        "confirmed": x.confirmed,
        "in_a": side(x.a),
        "in_b": side(x.b),
    }


def _flips_json(c: RunComparison) -> dict[str, Any] | None:
    f = c.flips
    if f is None:
        return None
    return {
        "a": f.experiment_a,
        "b": f.experiment_b,
        "guidelines_a": f.guidelines_a,
        "guidelines_b": f.guidelines_b,
        "flips": [{"category": x.category, "fail_to_pass": list(x.fail_to_pass), "pass_to_fail": list(x.pass_to_fail)}
                  for x in f.categories],
        "fail_to_pass": list(f.fail_to_pass),
        "pass_to_fail": list(f.pass_to_fail),
        "fail_to_pass_confirmed": f.fail_to_pass_confirmed,
        "pass_to_fail_confirmed": f.pass_to_fail_confirmed,
        "guideline_sensitive": list(f.guideline_sensitive),
    }


# ---------------------------------------------------------------- shared wording


def notes(c: RunComparison) -> list[str]:
    """What a reader must know to read the comparison right: other models, unconfirmed resolutions, bases."""
    out = []
    if not c.same_model:
        out.append(f"the models differ: A is {c.a.model}, B is {c.b.model}")
    elif c.a.experiment_name == c.b.experiment_name and c.a.run_id == c.b.run_id and c.a.run_id:
        out.append("A and B are the same run")
    if c.resolved and not c.resolved_confirmed:
        out.append("B lists only its failed evals, so 'resolved' means not failed in B: B may not have run them")
    if c.flips and c.flips.pass_to_fail and not c.flips.pass_to_fail_confirmed:
        out.append("A lists only its failed evals, so a pass-to-fail flip means not failed in A")
    bases = {x.basis for x in c.persisting}
    from ..collation.compare import ONE_LINE_ERROR, STEP_ONLY

    if ONE_LINE_ERROR in bases:
        out.append("errors from a report are its one-line form: those fingerprints are of the one-line error on both sides")
    if STEP_ONLY in bases:
        out.append("a side recorded no error text for some failures: those were compared by failed step only")
    for side, which in ((c.a, "A"), (c.b, "B")):
        if not side.classified:
            out.append(f"{which} was not classified (--no-classify)")
    return out


def _side_line(s: RunSide) -> str:
    rate = f", {s.passed_count}/{s.total_evals} passed" if s.total_evals is not None else ""
    date = f", {s.date}" if s.date and s.kind.endswith("report") else ""
    return (f"{s.kind} {s.label}: run {s.run_id or '?'}, {s.model or '?'} ({s.provider or 'provider unknown'}), "
            f"experiment {s.experiment_name}{date}{rate}, {len(s.failures)} failures")


def _arrow(a: object, b: object) -> str:
    a, b = a if a is not None else "-", b if b is not None else "-"
    return str(a) if a == b else f"{a} → {b}"


def _row(x: FailureChange) -> tuple[str, str, str, str, str, str]:
    """(status, eval, step, class, fingerprint, note) of one change, plain text."""
    status = {"new": "new", "resolved": "resolved" if x.confirmed else "resolved?", "not_in_b": "not in B",
              "persisting": "changed" if x.changed else "persisting"}[x.status]
    step = _arrow(x.a.failed_step if x.a else None, x.b.failed_step if x.b else None) if x.a and x.b else (
        (x.a or x.b).failed_step or "unknown")  # type: ignore[union-attr]
    klass = _arrow(x.a.classification if x.a else None, x.b.classification if x.b else None) if x.a and x.b else (
        (x.a or x.b).classification or "-")  # type: ignore[union-attr]
    keys = [fp.key for fp in (x.fingerprint_a, x.fingerprint_b) if fp is not None]
    fingerprint = _arrow(*keys) if len(keys) == 2 else keys[0]
    shown = x.fingerprint_b or x.fingerprint_a
    text = _short(shown.text if shown is not None else "", 120)
    if x.error_changed and x.fingerprint_a is not None and x.fingerprint_b is not None:
        text = f"{_short(x.fingerprint_a.text, 70)} ⇒ {_short(x.fingerprint_b.text, 70)}"
    marks = []
    if x.error_changed:
        marks.append("different error")
    if x.class_changed:
        marks.append("class changed")
    note = "; ".join(marks) + (": " if marks and text else "") + text
    return status, x.eval_path, step, klass, fingerprint, note


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rows(c: RunComparison) -> list[FailureChange]:
    changed = [x for x in c.persisting if x.changed]
    same = [x for x in c.persisting if not x.changed]
    return [*c.new, *changed, *same, *c.resolved, *c.not_in_b]


def _counts_line(c: RunComparison) -> str:
    parts = [f"{len(c.new)} new in B", f"{len(c.persisting)} persisting ({len(c.changed)} changed)",
             f"{len(c.resolved)} resolved" + ("" if c.resolved_confirmed or not c.resolved else " (unconfirmed)")]
    if c.not_in_b:
        parts.append(f"{len(c.not_in_b)} not run in B")
    return ", ".join(parts)


def _flip_lines(c: RunComparison) -> list[str]:
    f = c.flips
    if f is None:
        return []
    lines = [f"Experiments: {f.experiment_a} (A) vs {f.experiment_b} (B), same model {c.b.model}"]
    if not f.categories:
        lines.append("  no eval flips")
    for cat in f.categories:
        parts = []
        if cat.fail_to_pass:
            parts.append(f"fail→pass {len(cat.fail_to_pass)}: {', '.join(cat.fail_to_pass)}")
        if cat.pass_to_fail:
            parts.append(f"pass→fail {len(cat.pass_to_fail)}: {', '.join(cat.pass_to_fail)}")
        lines.append(f"  {cat.category or '(no category)'}: " + "; ".join(parts))
    lines.append("  " + _guideline_line(f))
    return lines


def _guideline_line(f) -> str:
    if not f.guidelines_differ:
        return "both experiments give the guidelines alike: no eval is called guideline-sensitive"
    with_ = f.experiment_a if f.guidelines_a else f.experiment_b
    without = f.experiment_b if f.guidelines_a else f.experiment_a
    sensitive = ", ".join(f.guideline_sensitive) or "none"
    return f"guideline-sensitive (flip between {with_}, with guidelines, and {without}, without): {sensitive}"


# ----------------------------------------------------------------- terminal


def render_plain(c: RunComparison) -> str:
    """The comparison as plain lines, for pipes and logs."""
    lines = [f"A: {_side_line(c.a)}", f"B: {_side_line(c.b)}"]
    lines += [f"note: {n}" for n in notes(c)]
    lines.append(_counts_line(c))
    for x in _rows(c):
        status, path, step, klass, fingerprint, note = _row(x)
        lines.append(f"  {status:<10} {path}  [{step}] {klass}  {fingerprint}" + (f"  {note}" if note else ""))
    lines += _flip_lines(c)
    return "\n".join(printable(line) for line in lines)


STATUS_STYLES = {"new": "red", "changed": "yellow", "persisting": "", "resolved": "green", "resolved?": "green",
                 "not in B": "dim"}


def comparison_table(c: RunComparison):
    """The comparison as a rich table (every value untrusted: given as Text, never as markup)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Compare A → B: {_counts_line(c)}", title_justify="left", expand=False)
    for name, opts in (("Status", {"no_wrap": True}), ("Eval", {"overflow": "fold"}), ("Step", {"no_wrap": True}),
                       ("Class", {"overflow": "fold"}), ("Fingerprint", {"no_wrap": True}), ("Note", {"overflow": "fold"})):
        table.add_column(name, **opts)
    for x in _rows(c):
        status, *cells = _row(x)
        table.add_row(Text(status, style=STATUS_STYLES.get(status, "")), *(Text(printable(v)) for v in cells))
    return table


def print_comparison(c: RunComparison, console: Console | None = None) -> None:
    """Tables for a person at a terminal, plain lines otherwise (as `analyze` prints its summary)."""
    if console is None:
        from rich.console import Console

        console = Console()
    if not console.is_terminal:
        click.echo(render_plain(c))
        return
    from rich.table import Table
    from rich.text import Text

    head = Table(show_header=False, box=None, pad_edge=False)
    head.add_column(style="bold", no_wrap=True)
    head.add_column(overflow="fold")
    head.add_row("A", Text(printable(_side_line(c.a))))
    head.add_row("B", Text(printable(_side_line(c.b))))
    for note in notes(c):
        head.add_row(Text("Note", style="yellow"), Text(printable(note)))
    console.print(head)
    console.print(comparison_table(c))
    if c.flips is not None:
        flips = Table(title=printable(f"Experiment flips: {c.flips.experiment_a} → {c.flips.experiment_b}"),
                      title_justify="left")
        flips.add_column("Category", no_wrap=True)
        flips.add_column("Fail → pass", overflow="fold")
        flips.add_column("Pass → fail", overflow="fold")
        for cat in c.flips.categories:
            flips.add_row(Text(printable(cat.category or "(no category)")), Text(printable(", ".join(cat.fail_to_pass) or "-")),
                          Text(printable(", ".join(cat.pass_to_fail) or "-")))
        console.print(flips)
        console.print(Text(printable(_guideline_line(c.flips))))


# ----------------------------------------------------------------- markdown


def _md(text: object) -> str:
    """Untrusted text in a markdown table cell or line: no line breaks, control characters, HTML, links or pipes."""
    flat = " ".join(printable(text).split())
    for old, new in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;"), ("[", "\\["), ("]", "\\]"),
                     ("`", "\\`"), ("*", "\\*")):
        flat = flat.replace(old, new)
    return flat


def _md_code(text: object) -> str:
    """Inline code that survives backticks in the value (pipes escaped for a table cell)."""
    flat = " ".join(printable(text).split())
    if not flat:
        return ""
    import re

    fence = "`" * (max((len(m) for m in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}".replace("|", "\\|")


def render_markdown(c: RunComparison) -> str:
    """The comparison as a markdown document."""
    out = [f"# Run comparison: {_md(c.a.run_id or c.a.label)} → {_md(c.b.run_id or c.b.label)}", "",
           f"- **A**: {_md(_side_line(c.a))}", f"- **B**: {_md(_side_line(c.b))}"]
    out += [f"- **Note**: {_md(n)}" for n in notes(c)]
    out += [f"- **Counts**: {_md(_counts_line(c))}", ""]
    head = "| Status | Eval | Category | Step | Class | Fingerprint | Note |\n|---|---|---|---|---|---|---|"

    def table(title: str, changes: tuple[FailureChange, ...] | list[FailureChange]) -> None:
        out.append(f"## {title} ({len(changes)})")
        out.append("")
        if not changes:
            out.extend(["None.", ""])
            return
        out.append(head)
        for x in changes:
            status, path, step, klass, fingerprint, note = _row(x)
            out.append(f"| {status} | {_md_code(path)} | {_md(x.category)} | {_md(step)} | {_md(klass)} | "
                       f"{_md_code(fingerprint)} | {_md(note)} |")
        out.append("")

    table("New in B", c.new)
    table("Persisting", [*c.changed, *(x for x in c.persisting if not x.changed)])
    table("Resolved" + ("" if c.resolved_confirmed or not c.resolved else " (not failed in B; unconfirmed)"), c.resolved)
    if c.not_in_b:
        table("Not run in B", c.not_in_b)
    if c.flips is not None:
        f = c.flips
        out += [f"## Experiments: {_md(f.experiment_a)} → {_md(f.experiment_b)}", ""]
        if f.categories:
            out += ["| Category | Fail → pass | Pass → fail |", "|---|---|---|"]
            out += [f"| {_md(x.category or '(no category)')} | {_md(', '.join(x.fail_to_pass) or '-')} | "
                    f"{_md(', '.join(x.pass_to_fail) or '-')} |" for x in f.categories]
        else:
            out.append("No eval flips.")
        out.append("")
        out.append(_md(_guideline_line(f)))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


COMMANDS = [compare_command]
