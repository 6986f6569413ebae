"""Two runs' failures side by side: new in B, persisting, resolved, and persisting but changed.

Pure: the caller reads the runs (a source, a JSON report, a markdown report)
into `RunSide`s and `compare_runs` decides, with no I/O. "The same failure" is
the same eval path; whether its error changed is decided by
`evidence.error_fingerprint(step, error)`:

- when both sides hold the step's whole error text, by the fingerprint of it;
- when either side holds only the one-line form reports keep (a JSON or
  markdown report), by the fingerprint of the one-line form on both sides, so a
  run compared with a report is not "changed" merely because one side says more;
- when either side recorded no error text at all, by the failed step only.

A run's failure summary lists its failed evals and counts, never the evals that
ran and passed. So an eval failed in A and not failed in B is `resolved` with
`confirmed=True` only when B says which evals it ran (`RunSide.ran`); otherwise it
is resolved unconfirmed (B may not have run it), and when B's list of evals is
known and lacks it, it is `not_in_b`. Flips between experiments follow the same rule.
"""

from __future__ import annotations

from typing import Any, Iterable

from attrs import frozen

from ..evidence.errortext import one_line
from ..evidence.fingerprint import Fingerprint, error_fingerprint
from ..model import RunAnalysis, RunSummary
from ..taxonomy import DEFAULT_TAXONOMY, Taxonomy
from ..names import model_key

# How two errors of one eval were compared (`FailureChange.basis`).
FULL_ERROR = "full error"
ONE_LINE_ERROR = "one-line error"
STEP_ONLY = "failed step only"


@frozen
class ComparedFailure:
    """One failed eval as one side knows it.

    `error` is None when the side recorded no error text; `full_error` says it is
    the step's whole error text rather than the one-line form reports keep.
    `classification` is None when the side was not classified (or could not be).
    """

    eval_path: str
    category: str
    failed_step: str | None
    error: str | None
    classification: str | None = None
    full_error: bool = False


@frozen
class RunSide:
    """One side of a comparison: the run, where it came from, and its failures.

    `kind` is `run`, `bundle`, `json report` or `markdown report`; `label` what the
    user gave (or the report's path). `ran` is the set of eval paths the run ran
    (passed or failed), or None when the source cannot tell (a failure summary
    lists only the failed evals). `classified` is False when no classes are known.
    """

    label: str
    kind: str
    run_id: str | None
    model: str | None
    provider: str | None
    experiment: str | None
    failures: tuple[ComparedFailure, ...]
    date: str | None = None
    total_evals: int | None = None
    passed_count: int | None = None
    failed_count: int | None = None
    ran: frozenset[str] | None = None
    classified: bool = True

    @property
    def experiment_name(self) -> str:
        """The experiment, `default` when the run records none (as the reports write it)."""
        return self.experiment or "default"


@frozen
class FailureChange:
    """One eval's place in the comparison.

    `status` is `new` (failed in B only), `persisting` (failed in both),
    `resolved` (failed in A, not failed in B; `confirmed` when B is known to have
    run it) or `not_in_b` (failed in A; B is known not to have run it).
    `a`/`b` are the eval's failure on each side; fingerprints are given for each
    failure present, computed on `basis` (see the module's doc).
    """

    eval_path: str
    category: str
    status: str
    a: ComparedFailure | None
    b: ComparedFailure | None
    fingerprint_a: Fingerprint | None = None
    fingerprint_b: Fingerprint | None = None
    basis: str = FULL_ERROR
    confirmed: bool = True

    @property
    def class_changed(self) -> bool:
        """Both sides classified the failure, and differently."""
        if self.a is None or self.b is None or self.a.classification is None or self.b.classification is None:
            return False
        return self.a.classification != self.b.classification

    @property
    def error_changed(self) -> bool:
        """The failure persists with a different fingerprint (a different step, or error, on `basis`)."""
        if self.fingerprint_a is None or self.fingerprint_b is None:
            return False
        return self.fingerprint_a.key != self.fingerprint_b.key

    @property
    def changed(self) -> bool:
        return self.class_changed or self.error_changed


@frozen
class CategoryFlips:
    """One category's evals that flipped between two experiments of one model."""

    category: str
    fail_to_pass: tuple[str, ...] = ()
    pass_to_fail: tuple[str, ...] = ()


@frozen
class ExperimentFlips:
    """Which evals flip between experiment A and experiment B of one model.

    `fail_to_pass` failed in A and not in B (`confirmed` when B is known to have
    run them), `pass_to_fail` the reverse (`confirmed` when A is known to have run
    them). `guideline_sensitive` lists the flipping evals when exactly one of the
    two experiments gives the model the guidelines (e.g. `default` vs `no_guidelines`).
    """

    experiment_a: str
    experiment_b: str
    categories: tuple[CategoryFlips, ...]
    guidelines_a: bool
    guidelines_b: bool
    fail_to_pass_confirmed: bool = False
    pass_to_fail_confirmed: bool = False

    @property
    def guidelines_differ(self) -> bool:
        return self.guidelines_a != self.guidelines_b

    @property
    def fail_to_pass(self) -> tuple[str, ...]:
        return tuple(e for c in self.categories for e in c.fail_to_pass)

    @property
    def pass_to_fail(self) -> tuple[str, ...]:
        return tuple(e for c in self.categories for e in c.pass_to_fail)

    @property
    def guideline_sensitive(self) -> tuple[str, ...]:
        return (*self.fail_to_pass, *self.pass_to_fail) if self.guidelines_differ else ()


@frozen
class RunComparison:
    """A against B: every eval failed on either side, grouped, plus the experiment flips when they apply."""

    a: RunSide
    b: RunSide
    new: tuple[FailureChange, ...]
    persisting: tuple[FailureChange, ...]
    resolved: tuple[FailureChange, ...]
    not_in_b: tuple[FailureChange, ...] = ()
    flips: ExperimentFlips | None = None

    @property
    def same_model(self) -> bool:
        return model_key(self.a.model) == model_key(self.b.model)

    @property
    def changed(self) -> tuple[FailureChange, ...]:
        """The persisting failures whose class or error fingerprint changed."""
        return tuple(c for c in self.persisting if c.changed)

    @property
    def error_changed(self) -> tuple[FailureChange, ...]:
        return tuple(c for c in self.persisting if c.error_changed)

    @property
    def resolved_confirmed(self) -> bool:
        """Every resolved failure is known to have run (and passed) in B."""
        return all(c.confirmed for c in self.resolved)


def has_guidelines(experiment: str | None) -> bool:
    """Whether an experiment gives the model the guidelines: all but the `*no_guidelines` ones."""
    return not (experiment or "default").endswith("no_guidelines")


def compare_runs(a: RunSide, b: RunSide) -> RunComparison:
    """Compare the failures of `a` with those of `b` (see the module's doc for what counts as what)."""
    in_a = _by_path(a.failures)
    in_b = _by_path(b.failures)
    new, persisting, resolved, not_in_b = [], [], [], []
    for path, failure in in_b.items():
        if path not in in_a:
            new.append(_change(path, "new", None, failure, confirmed=a.ran is not None and path in a.ran))
    for path, failure in in_a.items():
        other = in_b.get(path)
        if other is not None:
            persisting.append(_change(path, "persisting", failure, other))
        elif b.ran is not None and path not in b.ran:
            not_in_b.append(_change(path, "not_in_b", failure, None, confirmed=True))
        else:
            resolved.append(_change(path, "resolved", failure, None, confirmed=b.ran is not None))
    flips = _flips(a, b, new, resolved) if _is_experiment_pair(a, b) else None
    return RunComparison(a, b, _sorted(new), _sorted(persisting), _sorted(resolved), _sorted(not_in_b), flips)


def _by_path(failures: Iterable[ComparedFailure]) -> dict[str, ComparedFailure]:
    out: dict[str, ComparedFailure] = {}
    for failure in failures:
        out.setdefault(failure.eval_path, failure)  # a run lists an eval once; a report listing it twice: the first
    return out


def _sorted(changes: list[FailureChange]) -> tuple[FailureChange, ...]:
    return tuple(sorted(changes, key=lambda c: c.eval_path))


def _change(path: str, status: str, a: ComparedFailure | None, b: ComparedFailure | None, confirmed: bool = True) -> FailureChange:
    basis = _basis(a, b)
    return FailureChange(
        eval_path=path,
        category=(a or b).category,  # type: ignore[union-attr]
        status=status,
        a=a,
        b=b,
        fingerprint_a=_fingerprint(a, basis),
        fingerprint_b=_fingerprint(b, basis),
        basis=basis,
        confirmed=confirmed,
    )


def _basis(a: ComparedFailure | None, b: ComparedFailure | None) -> str:
    present = [f for f in (a, b) if f is not None]
    if any(f.error is None for f in present):
        return STEP_ONLY
    if all(f.full_error for f in present):
        return FULL_ERROR
    return ONE_LINE_ERROR


def _fingerprint(failure: ComparedFailure | None, basis: str) -> Fingerprint | None:
    if failure is None:
        return None
    if basis == STEP_ONLY:
        return error_fingerprint(failure.failed_step, None)
    error = failure.error if basis == FULL_ERROR or not failure.full_error else one_line(failure.error)
    return error_fingerprint(failure.failed_step, error)


def _is_experiment_pair(a: RunSide, b: RunSide) -> bool:
    return model_key(a.model) == model_key(b.model) and a.experiment_name != b.experiment_name


def _flips(a: RunSide, b: RunSide, new: list[FailureChange], resolved: list[FailureChange]) -> ExperimentFlips:
    categories: dict[str, tuple[list[str], list[str]]] = {}
    for change in resolved:
        categories.setdefault(change.category, ([], []))[0].append(change.eval_path)
    for change in new:
        categories.setdefault(change.category, ([], []))[1].append(change.eval_path)
    return ExperimentFlips(
        experiment_a=a.experiment_name,
        experiment_b=b.experiment_name,
        categories=tuple(
            CategoryFlips(category, tuple(sorted(up)), tuple(sorted(down)))
            for category, (up, down) in sorted(categories.items())
        ),
        guidelines_a=has_guidelines(a.experiment),
        guidelines_b=has_guidelines(b.experiment),
        fail_to_pass_confirmed=all(c.confirmed for c in resolved),
        pass_to_fail_confirmed=all(c.confirmed for c in new),
    )


# --------------------------------------------------------------- sides from what was read


def side_from_summary(summary: RunSummary, label: str, kind: str, analysis: RunAnalysis | None = None) -> RunSide:
    """The side of a run read from its source: the summary's whole error texts, and the classes of
    `analysis` (the run classified) when given. The summary cannot say which evals ran."""
    analysed = {f.eval_id: f for f in analysis.failures} if analysis is not None else {}
    failures = []
    for failed in summary.failed_evals:
        step = failed.failed_step.name if failed.failed_step else None
        error = (failed.failed_step.failure_reason if failed.failed_step else None) or failed.failure_reason
        full = True
        done = analysed.get(failed.id)
        if step is None and done is not None and done.failed_step is not None:
            # The summary left the step out; the debug info named it, and only its one-line error is kept.
            step, error, full = done.failed_step, done.error, False
        failures.append(ComparedFailure(
            eval_path=failed.eval_path,
            category=failed.category,
            failed_step=step,
            error=error,
            classification=done.classification if done is not None else None,
            full_error=full and error is not None,
        ))
    run = summary.run
    return RunSide(
        label=label, kind=kind, run_id=run.id, model=run.model, provider=run.provider, experiment=run.experiment,
        failures=tuple(failures), date=None,  # the run's own date is not in its summary
        total_evals=summary.total_evals, passed_count=summary.passed_count, failed_count=summary.failed_count,
        classified=analysis is not None,
    )


def side_from_analysis(analysis: RunAnalysis, label: str, kind: str = "json report") -> RunSide:
    """The side of an analysis (a JSON report read back): its one-line errors and classes."""
    run = analysis.run
    return RunSide(
        label=label, kind=kind, run_id=run.id, model=run.model, provider=run.provider, experiment=run.experiment,
        failures=tuple(
            ComparedFailure(f.eval_path, f.category, f.failed_step, f.error, f.classification, full_error=False)
            for f in analysis.failures
        ),
        date=analysis.date, total_evals=analysis.total_evals, passed_count=analysis.passed_count,
        failed_count=analysis.failed_count, classified=True,
    )


def side_from_report(record: Any, label: str, taxonomy: Taxonomy = DEFAULT_TAXONOMY) -> RunSide:
    """The side of a markdown report read back by history (`ReportRecord`): its findings' eval paths,
    steps, one-line errors when it quotes them, and classes normalised to `taxonomy`."""
    failures = tuple(
        ComparedFailure(
            eval_path=f.eval_path,
            category=f.eval_path.rsplit("/", 1)[0] if "/" in f.eval_path else "",
            failed_step=f.failed_step,
            error=f.error,
            classification=taxonomy.normalise(f.classification_raw) if f.classification_raw else None,
        )
        for f in record.findings
    )
    return RunSide(
        label=label, kind="markdown report", run_id=record.run_id, model=record.model, provider=record.provider,
        experiment=record.experiment, failures=failures, date=record.date,
        classified=any(f.classification is not None for f in failures),
    )
