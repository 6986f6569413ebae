"""The site's index over every report: series of pass rates, the latest failures by eval and model,
and the known-gap candidates. Pure: `build_index` reads no file and no clock.

"The same failure" across models is `evidence.error_fingerprint(step, error)` of
the one-line error the reports keep (JSON and our markdown quote the same one).
A report that quotes no error (older hand-written reports often give only the
class and the step) is matched by its failed step alone, and the candidate says
which models were matched that way.
"""

from __future__ import annotations

import re
from typing import Iterable

from attrs import frozen

from ..evidence.fingerprint import error_fingerprint
from ..names import model_key

# A known-gap candidate: failing with one fingerprint for more than this share of the models with a report...
CANDIDATE_SHARE = 0.5
# ... and for at least this many models.
CANDIDATE_MIN_MODELS = 3

# How the failures of a candidate were matched (`KnownGapCandidate.basis`).
BY_ERROR = "error"
BY_ERROR_AND_STEP = "error; failed step only where no error is recorded"
BY_STEP = "failed step only (no error recorded)"


@frozen
class SiteFailure:
    """One failed eval as a report records it; `error` is the one-line error it quotes, or None."""

    eval_path: str
    failed_step: str | None
    error: str | None
    classification: str | None
    classification_raw: str | None = None


@frozen
class SiteReport:
    """One report as the site shows it.

    `path` is the markdown report's path relative to the reports directory (posix);
    `source` says what was read (`json`: the JSON sibling; `markdown`: the markdown read
    back); `html` and `json` are the siblings' relative paths when they exist.
    Counts are None when the report does not give them; `pass_pct` and
    `corrected_pct` are percentages. `superseded` reports (a newer report of
    the same run exists) are listed but left out of the series and the matrix.
    """

    path: str
    source: str
    model: str
    provider: str | None
    experiment: str
    date: str | None
    run_id: str | None
    failures: tuple[SiteFailure, ...] = ()
    total: int | None = None
    passed: int | None = None
    corrected: int | None = None
    pass_pct: float | None = None
    corrected_pct: float | None = None
    html: str | None = None
    json: str | None = None
    superseded: bool = False

    @property
    def key(self) -> str:
        return model_key(self.model)

    @property
    def link(self) -> str:
        """The page to open for this report: its HTML when there is one, else the markdown."""
        return self.html or self.path

    @property
    def rank(self) -> tuple:
        """Newest last: by date (undated first), then the `_N` number of a second report that day, then path."""
        stem = self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        number = _NUMBER_SUFFIX.search(stem)
        return (self.date or "", int(number.group(1)) if number else 1, self.path)


_NUMBER_SUFFIX = re.compile(r"\d{4}-\d{2}-\d{2}_(\d{1,4})$")


@frozen
class RatePoint:
    """One dated report of a series."""

    date: str
    report: str
    run_id: str | None
    pass_pct: float | None
    corrected_pct: float | None
    label: str  # `55/66 (83.3%)` or the percentage alone


@frozen
class Series:
    """One model in one experiment: its dated reports' rates, oldest first, and all its reports, newest first."""

    key: str
    model: str
    provider: str | None
    experiment: str
    points: tuple[RatePoint, ...]
    reports: tuple[SiteReport, ...]
    undated: int = 0


@frozen
class Column:
    """A model of the matrix and the report its column shows (its newest current report)."""

    key: str
    model: str
    provider: str | None
    experiment: str
    date: str | None
    report: str
    link: str


@frozen
class Cell:
    """One model's latest failure of one eval."""

    column: str
    classification: str | None
    failed_step: str | None
    error: str | None


@frozen
class KnownGapCandidate:
    """An eval failing the same way (`fingerprint`) for most models: likely a gap of the eval, not of the models.

    `models` are the models failing that way; of them, `by_step_only` were matched by
    their failed step alone because their reports record no error text.
    """

    eval_path: str
    fingerprint: str
    failed_step: str
    models: tuple[str, ...]
    by_step_only: tuple[str, ...]
    models_with_report: int
    basis: str
    classes: tuple[tuple[str, int], ...] = ()  # the classes those models' reports gave it, most common first


@frozen
class Row:
    """One eval that fails in some model's latest report: its cells by column key."""

    eval_path: str
    cells: tuple[Cell, ...]
    candidate: KnownGapCandidate | None = None


@frozen
class SiteIndex:
    """Everything the site shows."""

    reports: tuple[SiteReport, ...]
    series: tuple[Series, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    warnings: tuple[str, ...] = ()

    @property
    def candidates(self) -> tuple[KnownGapCandidate, ...]:
        return tuple(row.candidate for row in self.rows if row.candidate is not None)

    @property
    def models(self) -> int:
        return len({r.key for r in self.reports})


def build_index(reports: Iterable[SiteReport], warnings: Iterable[str] = ()) -> SiteIndex:
    """The site's index over `reports` (any order)."""
    reports = tuple(sorted(reports, key=lambda r: (r.key, r.experiment, r.rank), reverse=False))
    current = [r for r in reports if not r.superseded]
    columns = _columns(current)
    latest = {c.key: next(r for r in current if r.path == c.report) for c in columns}
    return SiteIndex(
        reports=reports,
        series=_series(reports),
        columns=columns,
        rows=_rows(columns, latest),
        warnings=tuple(warnings),
    )


def _series(reports: tuple[SiteReport, ...]) -> tuple[Series, ...]:
    groups: dict[tuple[str, str], list[SiteReport]] = {}
    for r in reports:
        groups.setdefault((r.key, r.experiment), []).append(r)
    out = []
    for (key, experiment), group in sorted(groups.items()):
        group.sort(key=lambda r: r.rank)
        current = [r for r in group if not r.superseded]
        points = tuple(
            RatePoint(r.date, r.path, r.run_id, r.pass_pct, r.corrected_pct, rate_label(r.passed, r.total, r.pass_pct))
            for r in current if r.date and (r.pass_pct is not None or r.corrected_pct is not None)
        )
        newest = group[-1]
        out.append(Series(key, newest.model, newest.provider, experiment, points, tuple(reversed(group)),
                          undated=sum(1 for r in current if not r.date)))
    return tuple(out)


def _columns(current: list[SiteReport]) -> tuple[Column, ...]:
    newest: dict[str, SiteReport] = {}
    for r in current:
        if r.key not in newest or r.rank > newest[r.key].rank:
            newest[r.key] = r
    return tuple(
        Column(key, r.model, r.provider, r.experiment, r.date, r.path, r.link) for key, r in sorted(newest.items())
    )


def _rows(columns: tuple[Column, ...], latest: dict[str, SiteReport]) -> tuple[Row, ...]:
    failing: dict[str, dict[str, SiteFailure]] = {}
    for column in columns:
        for f in latest[column.key].failures:
            failing.setdefault(f.eval_path, {}).setdefault(column.key, f)  # an eval listed twice: the first
    names = {c.key: c.model for c in columns}
    rows = []
    for path, by_model in failing.items():
        cells = tuple(Cell(key, f.classification, f.failed_step, f.error) for key, f in by_model.items())
        rows.append(Row(path, cells, _candidate(path, by_model, len(columns), names)))
    rows.sort(key=lambda row: (row.candidate is None, -len(row.cells), row.eval_path))
    return tuple(rows)


def _candidate(path: str, by_model: dict[str, SiteFailure], models: int, names: dict[str, str]) -> KnownGapCandidate | None:
    """The largest group of models failing `path` with one fingerprint, when it is most of the models."""
    if len(by_model) < CANDIDATE_MIN_MODELS or len(by_model) <= models * CANDIDATE_SHARE:
        return None
    with_error: dict[str, list[str]] = {}
    fingerprints = {}
    for key, f in by_model.items():
        if f.error:
            fp = error_fingerprint(f.failed_step, f.error)
            fingerprints[fp.key] = fp
            with_error.setdefault(fp.key, []).append(key)
    step_only: dict[str, list[str]] = {}
    for key, f in by_model.items():
        if not f.error:
            step_only.setdefault(error_fingerprint(f.failed_step, None).step, []).append(key)
    groups = []  # (members, matched by step only, fingerprint shown, step)
    for fkey, members in with_error.items():
        fp = fingerprints[fkey]
        extra = step_only.get(fp.step, [])
        groups.append((members + extra, extra, str(fp), fp.step))
    for step, members in step_only.items():
        groups.append((members, members, step, step))
    if not groups:
        return None
    members, extra, shown, step = max(groups, key=lambda g: (len(g[0]), len(g[0]) - len(g[1]), g[2]))
    if len(members) < CANDIDATE_MIN_MODELS or len(members) <= models * CANDIDATE_SHARE:
        return None
    basis = BY_STEP if len(extra) == len(members) else BY_ERROR_AND_STEP if extra else BY_ERROR
    counts: dict[str, int] = {}
    for m in members:
        cls = by_model[m].classification or "not classified"
        counts[cls] = counts.get(cls, 0) + 1
    return KnownGapCandidate(
        eval_path=path,
        fingerprint=shown,
        failed_step=step,
        models=tuple(sorted(names[m] for m in members)),
        by_step_only=tuple(sorted(names[m] for m in extra)),
        models_with_report=models,
        basis=basis,
        classes=tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


_FRACTION = re.compile(r"(\d{1,9})\s*/\s*(\d{1,9})")
_PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*%")


def parse_rate(text: str | None) -> tuple[int | None, int | None, float | None]:
    """(passed, total, percentage) of a pass rate as a report writes it: `55/66 (83.3%)`; several
    runs' rates (`68/74, 67/74`) add up; a bare `71%` gives the percentage alone."""
    if not text:
        return None, None, None
    fractions = [(int(a), int(b)) for a, b in _FRACTION.findall(text) if int(b) > 0 and int(a) <= int(b)]
    if fractions:
        passed, total = sum(a for a, _ in fractions), sum(b for _, b in fractions)
        return passed, total, 100 * passed / total
    percent = _PERCENT.search(text)
    if percent and float(percent.group(1)) <= 100:
        return None, None, float(percent.group(1))
    return None, None, None


def rate_label(passed: int | None, total: int | None, pct: float | None) -> str:
    if passed is not None and total:
        return f"{passed}/{total} ({100 * passed / total:.1f}%)"
    return f"{pct:.1f}%" if pct is not None else "-"
