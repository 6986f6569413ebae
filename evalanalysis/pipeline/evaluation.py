"""Agreement of a classifier with a labelled set: labels, matching, and the metrics `evaluate` prints.

Labels are JSON lines `{"run_id", "eval_path", "classification"}` (extra keys,
e.g. a `note` on where the label came from, are allowed and ignored), and the
corrections maintainers recorded in reports (`actions --reclassify`), which
replace a file's label of the same failure. The
metrics are the usual ones, written out here because each is a few lines:

- accuracy: agreeing pairs / all pairs;
- per class: precision = tp / predicted, recall = tp / expected (0 when the
  denominator is 0), F1 their harmonic mean (0 when both are 0);
- macro-F1: the mean F1 over the classes that occur as expected or predicted;
- Cohen's kappa: (p_o - p_e) / (1 - p_e) with p_e from the two marginals;
  None when p_e is 1 (both sides used one and the same class throughout).

Calibration asks whether a verdict's confidence and its `needs_review` mean
what they say:

- a reliability table: the verdicts in five confidence bins ([0, 0.2), ...,
  [0.8, 1.0]), each with its count, mean confidence and accuracy;
- expected calibration error (ECE): the mean over verdicts of
  |accuracy - mean confidence| of their bin (0 is perfectly calibrated);
- accuracy of the verdicts marked `needs_review` and of the others, with the
  share of verdicts in each: an unmarked verdict should be right more often;
- eval-side precision and recall: how many of the failures the labels put on
  the eval's side (roles `overly_strict`, `ambiguous_task`) were found, and how
  many found were.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

from typing import Any

from attrs import evolve, frozen

from ..errors import BadInput
from ..evidence import note_describes
from ..model import EvalDetail, FailedEval, FailureAnalysis, PriorFinding, RecordedAction, RunAnalysis, RunSummary, Taxonomy
from ..names import same_run
from ..protocols import Source

# --------------------------------------------------------------------------- GAPS-free


class WithoutGaps:
    """A source whose evals have no GAPS.txt: how today's convex-evals runs look (upstream deleted every
    GAPS.txt on 2026-02-27), for measuring a classifier on the world its verdicts now face."""

    def __init__(self, source: Source):
        self.source = source
        self.location = getattr(source, "location", "the source")

    async def fetch_run(self, run_id: str | None) -> RunSummary | None:
        return await self.source.fetch_run(run_id)

    async def fetch_eval(self, failed: FailedEval) -> EvalDetail:
        detail = await self.source.fetch_eval(failed)
        files = detail.eval_source_files
        if not files:
            return detail
        kept = {path: text for path, text in files.items() if path.rsplit("/", 1)[-1] != "GAPS.txt"}
        return evolve(detail, eval_source_files=kept)

    async def aclose(self) -> Any:
        aclose = getattr(self.source, "aclose", None)
        if aclose is not None:
            await aclose()


# --------------------------------------------------------------------------- held out


class ReportsBefore:
    """A history that knows only the reports written before the run's own report: what a maintainer
    had when that run came in. A run with no report of its own in the directory cannot be placed in
    time; it gets every report but its own (`cutoff` None)."""

    def __init__(self, index: Any, run_id: str):
        own = [f.date for f in index.findings() if f.date and any(same_run(r, run_id) for r in (f.run_id, *f.run_ids))]
        self.index, self.cutoff = index, min(own) if own else None

    def _kept(self, date: str | None) -> bool:
        return self.cutoff is None or (date is not None and date < self.cutoff)

    def prior_findings(self, provider: str, model: str, eval_path: str) -> tuple[PriorFinding, ...]:
        return tuple(p for p in self.index.prior_findings(provider, model, eval_path) if self._kept(p.date))

    def recorded_actions(self) -> tuple[RecordedAction, ...]:
        return tuple(a for a in self.index.recorded_actions() if self._kept(a.date))


class OtherRuns:
    """A history without the run's own reports: a classifier scored against labels must not read
    the verdicts recorded for the very failures it is scored on (a maintainer's corrections among them)."""

    def __init__(self, index: Any, run_id: str):
        self.index, self.run_id = index, run_id

    def prior_findings(self, provider: str, model: str, eval_path: str) -> tuple[PriorFinding, ...]:
        found = self.index.prior_findings(provider, model, eval_path)
        return tuple(p for p in found if not any(same_run(r, self.run_id) for r in (p.run_id, *p.run_ids)))

    def recorded_actions(self) -> tuple[RecordedAction, ...]:
        return self.index.recorded_actions()


# --------------------------------------------------------------------------- labels


@frozen
class Label:
    """One expert label; `line` is its 1-based line in the labels file (for messages)."""

    run_id: str
    eval_path: str
    classification: str
    line: int = 0
    source: str = ""  # where a label that is not a file's line came from (a maintainer's correction)

    @property
    def key(self) -> tuple[str, str]:
        return (self.run_id, self.eval_path)

    @property
    def where(self) -> str:
        return self.source or f"line {self.line}"


@frozen
class LabelSet:
    """The labels `evaluate` scores with: the files' and the maintainers' corrections, corrections winning."""

    labels: tuple[Label, ...]
    from_files: int
    from_corrections: int
    overridden: int  # file labels a correction replaced
    skipped: tuple[str, ...] = ()  # corrections that could not be labels, and why


def corrections_as_labels(index: Any, taxonomy: Taxonomy) -> tuple[list[Label], list[str]]:
    """Every correction recorded in the reports of `index` as a label (the newest per failure), and
    the corrections that cannot be one (no run id, or a class the taxonomy lacks), each with why."""
    labels: dict[tuple[str, str], Label] = {}
    skipped: list[str] = []
    for f in index.corrected_findings():  # newest correction first
        where = f"correction in {f.report}"
        if not f.run_id:
            skipped.append(f"{f.eval_path}: {where} names no run")
            continue
        if f.classification is None:
            skipped.append(f"{f.eval_path}: {where}: class {f.classification_raw!r} is not one of {', '.join(taxonomy.names)}")
            continue
        label = Label(f.run_id, f.eval_path, f.classification, 0, where)
        labels.setdefault(label.key, label)
    return list(labels.values()), skipped


def merged_labels(files: Sequence[Label], corrections: Sequence[Label], skipped: Sequence[str] = ()) -> LabelSet:
    """The file labels with the corrections added; a correction replaces a file's label of the same failure
    (same eval path, same run: a run id prefix of 8 or more characters names the run)."""
    kept = [label for label in files if not any(_same_failure(label, c) for c in corrections)]
    return LabelSet(tuple([*kept, *corrections]), len(files), len(corrections), len(files) - len(kept), tuple(skipped))


def _same_failure(a: Label, b: Label) -> bool:
    return a.eval_path == b.eval_path and same_run(a.run_id, b.run_id)


def load_labels(path: Path, taxonomy: Taxonomy) -> tuple[Label, ...]:
    """The labels in a JSON-lines file, classes normalised to `taxonomy`; `BadInput` names file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"cannot read labels file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BadInput(f"labels file {path} is not UTF-8 text") from None
    labels: list[Label] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        label = _parse_label(raw, taxonomy, f"{path}:{number}", number)
        if label.key in seen:
            raise BadInput(
                f"{path}:{number}: second label for {label.eval_path} in run {label.run_id} "
                f"(first on line {seen[label.key]})"
            )
        seen[label.key] = number
        labels.append(label)
    if not labels:
        raise BadInput(f"labels file {path} holds no labels; expected JSON lines with run_id, eval_path, classification")
    return tuple(labels)


def load_label_files(paths: Sequence[Path], taxonomy: Taxonomy) -> tuple[Label, ...]:
    """The labels of several files, which must not label the same failure twice."""
    seen: dict[tuple[str, str], str] = {}
    labels: list[Label] = []
    for path in paths:
        for label in load_labels(path, taxonomy):
            where = f"{path}:{label.line}"
            if label.key in seen:
                raise BadInput(f"{where}: second label for {label.eval_path} in run {label.run_id} (first at {seen[label.key]})")
            seen[label.key] = where
            labels.append(label)
    return tuple(labels)


def _parse_label(raw: str, taxonomy: Taxonomy, where: str, number: int) -> Label:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{where}: not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise BadInput(f"{where}: expected an object with run_id, eval_path, classification")
    values = {}
    for key in ("run_id", "eval_path", "classification"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise BadInput(f"{where}: {key!r} must be a non-empty string")
        values[key] = value.strip()
    cls = taxonomy.normalise(values["classification"])
    if cls is None:
        raise BadInput(
            f"{where}: unknown classification {values['classification']!r}; "
            f"expected one of {', '.join(taxonomy.names)}"
        )
    return Label(values["run_id"], values["eval_path"], cls, number)


# --------------------------------------------------------------------------- metrics


@frozen
class ClassScore:
    """Precision, recall and F1 of one class; `support` labels expected it, `predicted` times it was given."""

    name: str
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int


def confusion_matrix(pairs: Iterable[tuple[str, str]], classes: Sequence[str]) -> tuple[tuple[int, ...], ...]:
    """Counts of (expected, got) pairs: row = expected class, column = predicted class, in `classes` order."""
    index = {c: i for i, c in enumerate(classes)}
    rows = [[0] * len(classes) for _ in classes]
    for expected, got in pairs:
        rows[index[expected]][index[got]] += 1
    return tuple(tuple(row) for row in rows)


def accuracy(pairs: Sequence[tuple[str, str]]) -> float:
    """Share of pairs where the prediction equals the label (0.0 for no pairs)."""
    return sum(e == g for e, g in pairs) / len(pairs) if pairs else 0.0


def class_scores(pairs: Sequence[tuple[str, str]], classes: Sequence[str]) -> tuple[ClassScore, ...]:
    """Per-class precision, recall and F1."""
    support = Counter(e for e, _ in pairs)
    predicted = Counter(g for _, g in pairs)
    hits = Counter(e for e, g in pairs if e == g)
    scores = []
    for name in classes:
        precision = hits[name] / predicted[name] if predicted[name] else 0.0
        recall = hits[name] / support[name] if support[name] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(ClassScore(name, precision, recall, f1, support[name], predicted[name]))
    return tuple(scores)


def macro_f1(pairs: Sequence[tuple[str, str]], classes: Sequence[str]) -> float:
    """Mean F1 over the classes that occur (as expected or predicted) in `pairs`."""
    present = [s for s in class_scores(pairs, classes) if s.support or s.predicted]
    return sum(s.f1 for s in present) / len(present) if present else 0.0


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of the two raters in `pairs`; None when chance agreement is 1 (undefined)."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(e == g for e, g in pairs) / n
    expected_counts = Counter(e for e, _ in pairs)
    got_counts = Counter(g for _, g in pairs)
    chance = sum(expected_counts[c] * got_counts[c] for c in expected_counts) / (n * n)
    if chance >= 1.0:
        return None
    return (observed - chance) / (1 - chance)


# --------------------------------------------------------------------------- matching


@frozen
class Disagreement:
    """A labelled failure the classifier put in another class."""

    run_id: str
    eval_path: str
    expected: str
    got: str
    confidence: float | None
    reasoning: str


@frozen
class Unmatched:
    """A label with no failure, a failure with no label, or a labelled failure that was not analysed."""

    run_id: str
    eval_path: str
    detail: str = ""


@frozen
class ReliabilityBin:
    """The verdicts whose confidence lies in [low, high) (the last bin includes 1.0)."""

    low: float
    high: float
    count: int
    mean_confidence: float | None
    accuracy: float | None


@frozen
class ReviewGroup:
    """The verdicts marked `needs_review` (or not): how many, what share of all, how many right."""

    count: int
    share: float
    accuracy: float | None


@frozen
class EvalSide:
    """Failures on the eval's side (overly strict, ambiguous task): found by the classifier vs labelled."""

    labelled: int
    predicted: int
    found: int
    precision: float | None
    recall: float | None


@frozen
class Calibration:
    bins: tuple[ReliabilityBin, ...]
    ece: float | None
    reviewed: ReviewGroup
    unreviewed: ReviewGroup
    eval_side: EvalSide


EVAL_SIDE_ROLES = ("overly_strict", "ambiguous_task")
BIN_EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def calibration(scored: Sequence[tuple[str, str, float, bool]], taxonomy: Taxonomy) -> Calibration:
    """The calibration of verdicts given as (expected, got, confidence, needs_review)."""
    total = len(scored)
    bins = []
    error = 0.0
    for i, (low, high) in enumerate(zip(BIN_EDGES, BIN_EDGES[1:])):
        last = i == len(BIN_EDGES) - 2
        inside = [v for v in scored if low <= v[2] < high or (last and v[2] == high)]
        if inside:
            right = sum(e == g for e, g, _, _ in inside) / len(inside)
            mean = sum(c for _, _, c, _ in inside) / len(inside)
            error += abs(right - mean) * len(inside)
            bins.append(ReliabilityBin(low, high, len(inside), round(mean, 3), round(right, 3)))
        else:
            bins.append(ReliabilityBin(low, high, 0, None, None))

    def group(marked: bool) -> ReviewGroup:
        chosen = [v for v in scored if v[3] is marked]
        right = sum(e == g for e, g, _, _ in chosen)
        return ReviewGroup(len(chosen), round(len(chosen) / total, 3) if total else 0.0,
                           round(right / len(chosen), 3) if chosen else None)

    def eval_side(name: str) -> bool:
        known = next((c for c in taxonomy.classes if c.name == name), None)
        return known is not None and known.role in EVAL_SIDE_ROLES

    labelled = [v for v in scored if eval_side(v[0])]
    predicted = [v for v in scored if eval_side(v[1])]
    found = sum(1 for e, g, _, _ in predicted if eval_side(e))
    side = EvalSide(
        len(labelled), len(predicted), found,
        round(found / len(predicted), 3) if predicted else None,
        round(found / len(labelled), 3) if labelled else None,
    )
    return Calibration(tuple(bins), round(error / total, 3) if total else None, group(True), group(False), side)


@frozen
class Evaluation:
    """Everything `evaluate` reports about one classifier against one labelled set."""

    classifier: str
    classes: tuple[str, ...]
    evaluated: int
    accuracy: float
    macro_f1: float
    kappa: float | None
    per_class: tuple[ClassScore, ...]
    confusion: tuple[tuple[int, ...], ...]
    disagreements: tuple[Disagreement, ...]
    missing: tuple[Unmatched, ...]
    unlabelled: tuple[Unmatched, ...]
    not_analysed: tuple[Unmatched, ...]
    calibration: Calibration | None = None
    priors: tuple[PriorAgreement, ...] = ()
    by_evidence: tuple[EvidenceScore, ...] = ()


@frozen
class EvidenceScore:
    """The verdicts one kind of evidence decided (`Verdict.decided_by`; `unstated` when the classifier does
    not say): how many, how often right, and their mean confidence. A kind whose accuracy is far from its
    confidence is the one to re-weigh."""

    decided_by: str
    count: int
    accuracy: float
    mean_confidence: float


def evidence_scores(scored: Iterable[tuple[str, str, float, str]]) -> tuple[EvidenceScore, ...]:
    """Per `decided_by`, from (expected, got, confidence, decided_by) of every scored verdict; most used first."""
    groups: dict[str, list[tuple[bool, float]]] = {}
    for expected, got, confidence, decided_by in scored:
        groups.setdefault(decided_by, []).append((expected == got, confidence))
    return tuple(
        EvidenceScore(name, len(rows), round(sum(r for r, _ in rows) / len(rows), 3), round(sum(c for _, c in rows) / len(rows), 3))
        for name, rows in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )


@frozen
class PriorAgreement:
    """How often earlier reports' verdicts on a labelled failure's eval, at its failed step, gave the label's
    class, by what the earlier note says about this failure's error (`evidence.note_describes`)."""

    relation: str  # same, unknown, different
    count: int
    agreed: int

    @property
    def rate(self) -> float | None:
        return round(self.agreed / self.count, 3) if self.count else None


def prior_agreement(failures: Iterable[tuple[FailureAnalysis, str]]) -> tuple[PriorAgreement, ...]:
    """Per relation (same, unknown, different), how many earlier verdicts there were on the labelled
    `failures` (each with its label's class) and how many matched the label: the reliability of history
    as evidence. Each earlier report counts once per failure; findings at another failed step do not count."""
    counts: dict[str, list[int]] = {relation: [0, 0] for relation in RELATIONS}
    for failure, label in failures:
        seen: set[str] = set()
        for prior in failure.prior_findings:
            if not prior.classification or prior.report in seen:
                continue
            if failure.failed_step and prior.failed_step and prior.failed_step != failure.failed_step:
                continue
            seen.add(prior.report)
            relation = note_describes(prior.note, failure.error, earlier_error=prior.error)
            counts[relation][0] += 1
            counts[relation][1] += prior.classification == label
    return tuple(PriorAgreement(relation, n, agreed) for relation, (n, agreed) in counts.items())


RELATIONS = ("same", "unknown", "different")


def evaluate_analyses(analyses: Iterable[RunAnalysis], labels: Sequence[Label], taxonomy: Taxonomy, classifier: str) -> Evaluation:
    """Match each failure of `analyses` to its label by (run id, eval path) and score the verdicts."""
    by_key = {label.key: label for label in labels}
    by_path: dict[str, list[Label]] = {}
    for label in labels:  # labels that name their run by a prefix (a correction in a hand-written report)
        by_path.setdefault(label.eval_path, []).append(label)
    pairs: list[tuple[str, str]] = []
    scored: list[tuple[str, str, float, bool]] = []
    disagreements: list[Disagreement] = []
    unlabelled: list[Unmatched] = []
    not_analysed: list[Unmatched] = []
    found: set[tuple[str, str]] = set()
    labelled_failures: list[tuple[FailureAnalysis, str]] = []
    decided: list[tuple[str, str, float, str]] = []
    for analysis in analyses:
        for failure in analysis.failures:
            key = (analysis.run.id, failure.eval_path)
            label = by_key.get(key) or next((c for c in by_path.get(failure.eval_path, ()) if same_run(c.run_id, key[0])), None)
            if label is None:
                unlabelled.append(Unmatched(*key, failure.classification or "not analysed"))
                continue
            found.add(label.key)
            labelled_failures.append((failure, label.classification))
            if failure.classification is None or failure.verdict is None:
                not_analysed.append(Unmatched(*key, failure.not_analysed_reason or "not analysed"))
                continue
            pairs.append((label.classification, failure.classification))
            scored.append((label.classification, failure.classification, failure.verdict.confidence, failure.verdict.needs_review))
            decided.append((label.classification, failure.classification, failure.verdict.confidence,
                            failure.verdict.decided_by or "unstated"))
            if label.classification != failure.classification:
                verdict = failure.verdict
                disagreements.append(
                    Disagreement(*key, label.classification, failure.classification, verdict.confidence, verdict.reasoning)
                )
    missing = [Unmatched(*label.key, label.where) for label in labels if label.key not in found]
    classes = tuple(taxonomy.names) + tuple(sorted({c for pair in pairs for c in pair} - set(taxonomy.names)))
    return Evaluation(
        classifier=classifier,
        classes=classes,
        evaluated=len(pairs),
        accuracy=accuracy(pairs),
        macro_f1=macro_f1(pairs, classes),
        kappa=cohen_kappa(pairs),
        per_class=class_scores(pairs, classes),
        confusion=confusion_matrix(pairs, classes),
        disagreements=tuple(disagreements),
        missing=tuple(missing),
        unlabelled=tuple(unlabelled),
        not_analysed=tuple(not_analysed),
        calibration=calibration(scored, taxonomy),
        priors=prior_agreement(labelled_failures),
        by_evidence=evidence_scores(decided),
    )
