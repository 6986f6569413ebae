"""`evalanalysis history [PROVIDER/MODEL]`: what earlier reports found, grouped by eval."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import UsageError
from ..names import model_key
from .common import PathArg, config_option, workspace
from .terminal import printable

# The index, the data model and attrs load when the command runs: `history --help` needs none of them.
if TYPE_CHECKING:
    from ..model import PriorFinding

# SPEC section 5: the keys of each object `history --json` prints.
JSON_KEYS = (
    "report", "run_id", "date", "provider", "model", "eval_path",
    "classification", "classification_raw", "failed_step", "repeat",
)


@click.command("history")
@click.argument("model", required=False, metavar="[PROVIDER/MODEL]")
@click.option("--reports-dir", type=PathArg(file_okay=False), help="Where reports/{provider}/{model}/ live.")
@click.option("--eval", "eval_path", metavar="CATEGORY/NAME", help="Only findings about this eval.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per prior finding.")
@config_option
def history_command(model: str | None, reports_dir: str | None, eval_path: str | None, as_json: bool, config_file: str | None) -> None:
    """Prior findings of earlier reports, grouped by eval with counts (all models, or MODEL's)."""
    space = workspace(config_file, {"analyze.reports_dir": reports_dir})
    folder = Path(space.settings.analyze.reports_dir)
    if not folder.is_dir():
        raise UsageError(f"reports directory {folder} does not exist; pass --reports-dir DIR")
    wanted = model.split("/", 1)[1] if model and "/" in model else model
    if model is not None and not model_key(wanted):
        raise UsageError(f"{model!r} is not a model; expected PROVIDER/MODEL, e.g. anthropic/claude-opus-4-6")
    index = space.history_index()
    findings = index.findings(wanted)
    if eval_path:
        findings = [f for f in findings if f.eval_path == eval_path or f.eval_path == eval_path.rsplit("/", 1)[-1]]
    for warning in index.warnings:
        click.echo(f"warning: {printable(warning)}", err=True)
    if as_json:
        click.echo(json.dumps([{key: getattr(f, key) for key in JSON_KEYS} for f in findings], indent=2, ensure_ascii=False))
        return
    # Reports hold database text: no control character reaches the terminal.
    text = render_history(findings, folder, index.reports, model, superseded=len(index.superseded))
    click.echo("\n".join(printable(line) for line in text.split("\n")))


def render_history(findings: list[PriorFinding], folder: Path, reports: int, model: str | None, superseded: int = 0) -> str:
    """Findings grouped by eval, most findings first; each eval's newest first.

    `reports` counts the current reports; `superseded` the older reports of the same runs left out.
    """
    from ..collation.facts import plural  # with the evidence readers behind it: only to word the counts

    whose = f" for {model}" if model else ""
    older = f"; {plural(superseded, 'older report')} of the same run superseded" if superseded else ""
    if not findings:
        return f"No findings{whose} in {folder} ({plural(reports, 'report')} read{older})."
    by_eval: dict[str, list[PriorFinding]] = defaultdict(list)
    for f in findings:
        by_eval[f.eval_path].append(f)
    lines = [
        f"{plural(len(findings), 'finding')}{whose} about {plural(len(by_eval), 'eval')} in {folder} "
        f"({plural(reports, 'report')}{older})",
        "",
    ]
    for path, group in sorted(by_eval.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        classes = Counter(f.classification or f.classification_raw or "unclassified" for f in group)
        models = {model_key(f.model) for f in group if f.model}
        summary = ", ".join(f"{c} {n}" for c, n in classes.most_common())
        lines.append(f"{path}: {len(group)} ({summary})" + (f", {len(models)} models" if len(models) > 1 else ""))
        for f in group:
            run = (f.run_id or "?")[:8]
            cls = f.classification or "?"
            if f.classification_raw and f.classification_raw != cls:
                cls += f" [{f.classification_raw}]"
            lines.append(
                f"  {f.date or 'undated':<10}  {f.model or '?':<28} {run:<8}  {f.failed_step or '-':<8} {cls}"
                + ("  (repeat)" if f.repeat else "")
            )
        lines.append("")
    return "\n".join(lines).rstrip()


COMMANDS = [history_command]
