"""`evalanalysis evaluate --labels FILE BUNDLE...`: how far a classifier agrees with expert labels
(a labels file's, and the corrections maintainers recorded in reports: `--corrections-from DIR`)."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import click

from ..errors import BadInput, UsageError
from ..pipeline.evaluation import (
    Evaluation, LabelSet, OtherRuns, ReportsBefore, WithoutGaps, corrections_as_labels, evaluate_analyses, load_label_files,
    merged_labels,
)
from ..runref import resolve_run
from .common import PathArg, config_option, workspace


@click.command("evaluate")
@click.argument("bundles", nargs=-1, required=True)
@click.option(
    "--labels", "labels_files", multiple=True, type=PathArg(dir_okay=False),
    help="JSON lines: run_id, eval_path, classification (repeat for several files).",
)
@click.option(
    "--corrections-from", "corrections_dir", type=PathArg(file_okay=False),
    help="Also take as labels every correction (actions --reclassify) in the reports under DIR; they win over --labels.",
)
@click.option("--reports-dir", type=PathArg(file_okay=False), help="Read prior findings from the reports under DIR (default: no history).")
@click.option("--classifier", help="Classifier to evaluate (default from config: rules).")
@click.option("--model", help="Model id for an LLM classifier.")
@click.option("--concurrency", type=click.IntRange(min=1), help="Failures classified at once (default 4).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the caches (LLM results, parsed reports).")
@click.option("--held-out", is_flag=True,
              help="With --reports-dir: each run sees only the reports written before its own report.")
@click.option("--without-gaps", is_flag=True,
              help="Hide every GAPS.txt from the classifier, as in today's convex-evals runs (upstream deleted them).")
@click.option("--json", "as_json", is_flag=True, help="Print the evaluation as JSON.")
@config_option
def evaluate_command(
    bundles: tuple[str, ...],
    labels_files: tuple[str, ...],
    corrections_dir: str | None,
    reports_dir: str | None,
    classifier: str | None,
    model: str | None,
    concurrency: int | None,
    no_cache: bool,
    held_out: bool,
    without_gaps: bool,
    as_json: bool,
    config_file: str | None,
) -> None:
    """Classify the failures of each BUNDLE (or run) and compare the verdicts with the labels."""
    space = workspace(
        config_file,
        {
            "classifier.name": classifier,
            "classifier.model": model,
            "analyze.concurrency": concurrency,
            "cache.enabled": False if no_cache else None,
            # History only on request: without it the same labels give the same scores wherever they are run.
            "analyze.history": reports_dir is not None,
            "analyze.reports_dir": reports_dir,
            # Patterns and recommendations play no part in agreement.
            "classifier.synthesis": False,
        },
    )
    settings = space.settings
    if not labels_files and corrections_dir is None:
        raise UsageError("evaluate needs labels: --labels FILE.jsonl and/or --corrections-from DIR")
    if held_out and reports_dir is None:
        raise UsageError("--held-out needs --reports-dir: the reports each run may see are those written before it")
    file_labels = load_label_files([Path(f) for f in labels_files], settings.taxonomy)
    corrections: list = []
    skipped: list[str] = []
    if corrections_dir is not None:
        if not Path(corrections_dir).is_dir():
            raise UsageError(f"reports directory {corrections_dir} does not exist; --corrections-from reads the reports `analyze` wrote")
        corrections, skipped = corrections_as_labels(space.history_index(corrections_dir), settings.taxonomy)
    labels = merged_labels(file_labels, corrections, skipped)
    if not labels.labels:
        raise BadInput(f"no correction is recorded in the reports under {corrections_dir}, and no --labels file is given")
    refs = [resolve_run(b) for b in bundles]
    chosen = space.classifier()
    adapt = WithoutGaps if without_gaps else None
    index = space.history_index() if reports_dir is not None else None
    # A run's history is known once its summary says which run it is (a bundle names it only inside). It never
    # holds the run's own reports, whose verdicts (and corrections) are what is scored against.
    held = None
    if index is not None:
        held = (lambda summary: ReportsBefore(index, summary.run.id)) if held_out else (lambda summary: OtherRuns(index, summary.run.id))
    analyses = [space.analyze(ref, classifier=chosen, adapt_source=adapt, history_for=held) for ref in refs]
    result = evaluate_analyses(analyses, labels.labels, settings.taxonomy, getattr(chosen, "name", settings.classifier.name))
    if not result.evaluated and not result.not_analysed:
        where = ", ".join([*labels_files, *([f"the corrections under {corrections_dir}"] if corrections_dir else [])])
        raise BadInput(
            f"no label in {where} matches a failure of the {len(refs)} run(s) given "
            "(labels match on run_id and eval_path)"
        )
    mode = {
        "history": "held_out" if held_out else ("other_reports" if reports_dir is not None else "none"),
        "gaps_txt": not without_gaps,
    }
    counts = labels_to_json(labels)
    if as_json:
        click.echo(json.dumps({**evaluation_to_json(result), "mode": mode, "labels": counts}, indent=2, ensure_ascii=False))
    else:
        click.echo(render_evaluation(result, len(refs), mode, counts))


def labels_to_json(labels: LabelSet) -> dict:
    """Where the labels came from: the files, the corrections in reports (which replace a file's label)."""
    return {
        "total": len(labels.labels),
        "from_files": labels.from_files,
        "from_corrections": labels.from_corrections,
        "corrections_replacing_file_labels": labels.overridden,
        "corrections_skipped": list(labels.skipped),
    }


def evaluation_to_json(result: Evaluation) -> dict:
    """The evaluation as plain JSON: metrics, per-class scores, matrix by name, and every listed failure."""
    data = attrs.asdict(result)
    data["by_evidence"] = {e.decided_by: {k: v for k, v in attrs.asdict(e).items() if k != "decided_by"} for e in result.by_evidence}
    data["priors"] = {p.relation: {"count": p.count, "agreed": p.agreed, "rate": p.rate} for p in result.priors}
    data["per_class"] = {s.name: {k: v for k, v in attrs.asdict(s).items() if k != "name"} for s in result.per_class}
    data["confusion"] = {
        expected: dict(zip(result.classes, row)) for expected, row in zip(result.classes, result.confusion)
    }
    if not result.evaluated:  # nothing scored is no score, not a score of 0
        data["accuracy"] = data["macro_f1"] = None
    return data


HISTORY_MODES = {
    "none": "no history",
    "other_reports": "history: every report but the run's own",
    "held_out": "history held out: only the reports written before the run's own",
}


def render_evaluation(result: Evaluation, runs: int, mode: dict | None = None, labels: dict | None = None) -> str:
    """The plain-text evaluation: metrics, per-class table, confusion matrix, then everything that did not agree."""
    lines = [f"Classifier {result.classifier} on {result.evaluated} labelled failures from {runs} run(s)."]
    if mode is not None:
        gaps = "GAPS.txt shown" if mode["gaps_txt"] else "GAPS.txt hidden"
        lines.append(f"({HISTORY_MODES[mode['history']]}; {gaps})")
    if labels is not None and (labels["from_corrections"] or labels["corrections_skipped"]):
        replacing = labels["corrections_replacing_file_labels"]
        lines.append(
            f"(labels: {labels['total']}, {labels['from_corrections']} from maintainers' corrections in reports"
            + (f", {replacing} of them replacing a file's label" if replacing else "")
            + (f"; {len(labels['corrections_skipped'])} corrections not usable as labels" if labels["corrections_skipped"] else "")
            + ")"
        )
        lines += [f"  skipped: {why}" for why in labels["corrections_skipped"]]
    lines.append("")
    if result.evaluated:
        lines += _metrics(result)
        lines += _calibration(result)
    else:  # every labelled failure went unanalysed: there is nothing to score, not a score of 0
        lines += ["No labelled failure could be scored: none was analysed (see below).", ""]
    lines += _listed(result)
    return "\n".join(lines)


def _metrics(result: Evaluation) -> list[str]:
    kappa = "n/a (one class throughout)" if result.kappa is None else f"{result.kappa:.3f}"
    hits = result.evaluated - len(result.disagreements)
    lines = [
        f"accuracy   {result.accuracy:.3f} ({hits}/{result.evaluated})",
        f"macro-F1   {result.macro_f1:.3f}",
        f"kappa      {kappa}",
        "",
    ]
    width = max(len(c) for c in result.classes)
    lines.append(f"{'class':<{width}}  precision  recall     f1  expected  predicted")
    for s in result.per_class:
        lines.append(f"{s.name:<{width}}  {s.precision:9.3f}  {s.recall:6.3f}  {s.f1:5.3f}  {s.support:8d}  {s.predicted:9d}")
    lines += ["", "Confusion matrix (rows: expected, columns: got):"]
    cols = [max(len(c), 3) for c in result.classes]
    lines.append(" " * width + "  " + "  ".join(f"{c:>{w}}" for c, w in zip(result.classes, cols)))
    for name, row in zip(result.classes, result.confusion):
        lines.append(f"{name:<{width}}  " + "  ".join(f"{n:>{w}}" for n, w in zip(row, cols)))
    return lines + [""]


def _calibration(result: Evaluation) -> list[str]:
    """Whether confidence and `needs_review` mean what they say (see `pipeline.evaluation`)."""
    cal = result.calibration
    if cal is None:
        return []
    ece = "n/a" if cal.ece is None else f"{cal.ece:.3f}"
    lines = [f"Calibration (ECE {ece}: the mean gap between confidence and accuracy):",
             "confidence  verdicts  mean conf  accuracy"]
    for b in cal.bins:
        span = f"{b.low:.1f}-{b.high:.1f}"
        mean = "-" if b.mean_confidence is None else f"{b.mean_confidence:.2f}"
        right = "-" if b.accuracy is None else f"{b.accuracy:.3f}"
        lines.append(f"{span:<10}  {b.count:8d}  {mean:>9}  {right:>8}")

    def group(name: str, g) -> str:
        right = "n/a" if g.accuracy is None else f"{g.accuracy:.3f}"
        return f"{name:<22} {g.count:4d} ({g.share:.0%} of verdicts), accuracy {right}"

    side = cal.eval_side
    precision = "n/a" if side.precision is None else f"{side.precision:.3f}"
    recall = "n/a" if side.recall is None else f"{side.recall:.3f}"
    lines += [
        "",
        group("marked needs_review", cal.reviewed),
        group("not marked", cal.unreviewed),
        f"eval-side (overly strict, ambiguous): {side.found} found of {side.labelled} labelled, "
        f"{side.predicted} predicted; precision {precision}, recall {recall}",
        "",
    ]
    if result.by_evidence:
        width = max(len(e.decided_by) for e in result.by_evidence)
        lines.append("By the evidence that decided:")
        lines.append(f"  {'decided by':<{width}}  verdicts  accuracy  mean conf")
        for e in result.by_evidence:
            lines.append(f"  {e.decided_by:<{width}}  {e.count:8d}  {e.accuracy:8.3f}  {e.mean_confidence:9.2f}")
        lines.append("")
    if any(p.count for p in result.priors):
        words = {"same": "note describes this error", "unknown": "note does not say", "different": "note describes another"}
        lines.append("Earlier reports' verdicts at the same step that gave the label's class:")
        for p in result.priors:
            rate = "-" if p.rate is None else f"{p.rate:.3f}"
            lines.append(f"  {words[p.relation]:<26} {p.agreed:4d} of {p.count:4d}  ({rate})")
        lines.append("")
    return lines


def _listed(result: Evaluation) -> list[str]:
    lines = [f"Disagreements ({len(result.disagreements)}):"] if result.evaluated else []
    for d in result.disagreements:
        confidence = "" if d.confidence is None else f" (confidence {d.confidence:.2f})"
        lines.append(f"- {d.eval_path} [run {d.run_id[:8]}]: expected {d.expected}, got {d.got}{confidence}")
        lines.append(f"    {d.reasoning}")
    if result.evaluated and not result.disagreements:
        lines.append("  none")
    for title, items in (
        ("Labels with no failure in the runs", result.missing),
        ("Failures without a label, not scored", result.unlabelled),
        ("Labelled failures not analysed, not scored", result.not_analysed),
    ):
        if items:
            lines += ["", f"{title} ({len(items)}):"]
            lines += [f"- {u.eval_path} [run {u.run_id[:8]}]: {u.detail}" for u in items]
    return lines


COMMANDS = [evaluate_command]
