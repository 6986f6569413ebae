"""Benchmark of how far verdicts can be trusted: agreement, calibration and eval-side detection of a
classifier on the shipped labelled set, held out, with each eval's GAPS.txt and without it.

Run from a clone with the project installed: `python benchmarks/calibration.py [--classifier rules]`.
It analyses every example and fixture bundle (no cache) and scores the verdicts
against examples/labels/*.jsonl, four ways: with history held out (each run sees
only the fixture reports written before its own, `evaluate --held-out`) and with
no history at all, each as the bundles are and with every GAPS.txt hidden
(`evaluate --without-gaps`), as in today's convex-evals runs. Ends with one line
for the held-out figures:

    RESULT kappa=<k> ece=<e> eval_side_recall=<r> eval_side_precision=<p> unreviewed_accuracy=<a>
      unreviewed_share=<s> reviewed_accuracy=<a> gaps_free_kappa=<k> gaps_free_ece=<e>
      gaps_free_unreviewed_accuracy=<a> gaps_free_known_gap_recall=<r> no_history_gaps_free_kappa=<k>
      prior_same_agreement=<a> prior_unknown_agreement=<a> prior_different_agreement=<a>

These labels are the ones the rules were developed against, and the fixture
reports are the labels' source: the figures are a development aid, not a
result; on reports nobody tuned for they are lower.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_services import quiet_settings  # noqa: E402
from generated_runs import machine  # noqa: E402

import evalanalysis as ea  # noqa: E402
from evalanalysis.pipeline.evaluation import ReportsBefore, WithoutGaps, evaluate_analyses, load_label_files  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def measure(classifier_name: str, without_gaps: bool, workdir: Path, held_out: bool = True):
    reports = ROOT / "tests" / "data" / "reports"
    settings = quiet_settings(workdir, **{"classifier.name": classifier_name, "classifier.synthesis": False,
                                          "analyze.history": held_out, "analyze.reports_dir": str(reports),
                                          "cache.enabled": False})
    space = ea.Workspace(settings)
    labels = load_label_files(sorted((ROOT / "examples" / "labels").glob("*.jsonl")), settings.taxonomy)
    bundles = sorted((ROOT / "examples" / "runs").glob("*.json")) + sorted((ROOT / "examples" / "runs" / "fixtures").glob("*.json"))
    classifier = space.classifier()
    index = space.history_index(reports) if held_out else None
    history_for = (lambda summary: ReportsBefore(index, summary.run.id)) if held_out else None
    analyses = [space.analyze(ea.resolve_run(str(b)), classifier=classifier, adapt_source=WithoutGaps if without_gaps else None,
                              history_for=history_for)
                for b in bundles]
    return evaluate_analyses(analyses, labels, settings.taxonomy, classifier.name)


def show(title: str, result) -> None:
    cal = result.calibration
    print(f"{title}: {result.evaluated} labelled failures; accuracy {result.accuracy:.3f}, macro-F1 {result.macro_f1:.3f}, "
          f"kappa {result.kappa:.3f}, ECE {cal.ece:.3f}")
    print(f"  not marked needs_review: {cal.unreviewed.count} ({cal.unreviewed.share:.0%}), right {cal.unreviewed.accuracy}; "
          f"marked: {cal.reviewed.count}, right {cal.reviewed.accuracy}")
    side = cal.eval_side
    print(f"  eval side: {side.found} found of {side.labelled} labelled, {side.predicted} predicted")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classifier", default="rules")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        with_gaps = measure(args.classifier, False, Path(tmp))
        gaps_free = measure(args.classifier, True, Path(tmp))
        bare = measure(args.classifier, True, Path(tmp), held_out=False)
    print(machine())
    show("held out, with GAPS.txt", with_gaps)
    show("held out, without GAPS.txt", gaps_free)
    show("no history, without GAPS.txt", bare)
    known_gap = next(s for s in gaps_free.per_class if s.name == "KNOWN_GAP")
    cal, free = with_gaps.calibration, gaps_free.calibration
    priors = {p.relation: p.rate for p in with_gaps.priors}

    def fmt(x):
        return "n/a" if x is None else f"{x:.3f}"

    print(
        f"RESULT kappa={with_gaps.kappa:.3f} ece={cal.ece:.3f} eval_side_recall={cal.eval_side.recall:.3f} "
        f"eval_side_precision={cal.eval_side.precision:.3f} unreviewed_accuracy={cal.unreviewed.accuracy:.3f} "
        f"unreviewed_share={cal.unreviewed.share:.3f} reviewed_accuracy={fmt(cal.reviewed.accuracy)} "
        f"gaps_free_kappa={gaps_free.kappa:.3f} gaps_free_ece={free.ece:.3f} "
        f"gaps_free_unreviewed_accuracy={free.unreviewed.accuracy:.3f} gaps_free_known_gap_recall={known_gap.recall:.3f} "
        f"no_history_gaps_free_kappa={bare.kappa:.3f} prior_same_agreement={fmt(priors.get('same'))} "
        f"prior_unknown_agreement={fmt(priors.get('unknown'))} prior_different_agreement={fmt(priors.get('different'))}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
