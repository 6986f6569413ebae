"""The history index over a reports directory: prior findings per model and eval (the `History` role).

Opening an index stats every `*.md` under the directory, re-reads only the files
whose (size, mtime_ns) or reader version changed since they were cached, and
answers lookups from the store. Within one process the store is shared, so a
second index over the same directory parses nothing; across processes the disk
cache does the same.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..model import DEFAULT_TAXONOMY, Correction, PriorFinding, RecordedAction, Taxonomy
from ..names import CATEGORY_NUMBER, model_key, same_category, same_run
from .store import DATA_FIELDS, HEAD_FIELDS, FindingRow, Store, Version
from .version import PARSER_VERSION

if TYPE_CHECKING:
    from .records import ReportRecord

CACHE_FILE = "history.sqlite3"
MAX_REPORT_BYTES = 5_000_000
BATCH = 500  # reports parsed per cache transaction: progress survives an interrupted cold build

_STORES: dict[str, Store] = {}
_STORES_LOCK = threading.Lock()


def read_report(reports_dir: str | os.PathLike[str], rel: str) -> ReportRecord:
    """Read one report file; trouble becomes a warning naming the file, never an exception."""
    # The reader (and the markdown parser under it) loads only when a report must be read:
    # a warm index answers from the cache without it.
    from .reader import parse_report
    from .records import ReportRecord

    path = Path(reports_dir) / rel
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            return ReportRecord(rel, warnings=(f"{path}: larger than {MAX_REPORT_BYTES // 1_000_000} MB; skipped",))
        data = path.read_bytes()
    except OSError as exc:
        return ReportRecord(rel, warnings=(f"{path}: cannot read ({exc.strerror or exc})",))
    warnings: tuple[str, ...] = ()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        warnings = (f"{path}: not valid UTF-8; undecodable bytes replaced",)
    try:
        record = parse_report(text, rel, display=str(path))
    except Exception as exc:  # parse_report is built never to raise; if it does, one file must not sink the rest
        return ReportRecord(rel, warnings=(*warnings, f"{path}: could not be read ({type(exc).__name__}: {exc})"))
    if warnings:
        from attrs import evolve

        record = evolve(record, warnings=(*warnings, *record.warnings))
    return record


def scan_reports(reports_dir: Path) -> dict[str, Version]:
    """Every `*.md` under `reports_dir` (relative posix path -> version); hidden files and dirs and
    READMEs (which describe a folder, never a run) skipped."""
    found: dict[str, Version] = {}
    stack = [(str(reports_dir), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name.lower() == "readme.md":
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.name.endswith(".md") and entry.is_file():
                    st = entry.stat()
                    found[prefix + entry.name] = Version(st.st_size, st.st_mtime_ns)
            except OSError:
                continue
    return found


class ReportIndex:
    """Prior findings from the reports under `reports_dir`, classes normalised to `taxonomy`."""

    def __init__(self, reports_dir: str | os.PathLike[str], *, taxonomy: Taxonomy = DEFAULT_TAXONOMY, store: Store | None = None):
        self.reports_dir = Path(reports_dir)
        self.taxonomy = taxonomy
        self.store = store or Store(None)
        self.root_key = str(self.reports_dir.resolve())
        self.reports = 0  # current reports: those no newer report of the same run supersedes
        self.superseded: frozenset[str] = frozenset()
        self.parsed = 0
        self.warnings: tuple[str, ...] = ()
        self._memo: dict[tuple[str, str], tuple[PriorFinding, ...]] = {}
        self._classes: dict[str, str | None] = {}
        self._root_text = "" if str(self.reports_dir) == "." else str(self.reports_dir)  # as `Path(".") / rel` gives
        self.refresh()

    def refresh(self) -> ReportIndex:
        """Bring the index up to date with the directory: parse new and changed reports, forget deleted ones."""
        files = scan_reports(self.reports_dir)
        cached = self.store.versions(self.root_key, PARSER_VERSION)
        stale = sorted(rel for rel, version in files.items() if cached.get(rel) != version)
        gone = [rel for rel in cached if rel not in files]
        self.store.update(self.root_key, [], gone, PARSER_VERSION)
        for start in range(0, len(stale), BATCH):
            batch = stale[start : start + BATCH]
            self.store.update(self.root_key, [(rel, files[rel], read_report(self.reports_dir, rel)) for rel in batch], (), PARSER_VERSION)
        # Which reports a newer one supersedes reads every report's run facts; the answer is kept with a
        # fingerprint of the files it came from, so a warm start over unchanged files reads one row instead.
        fingerprint = files_fingerprint(files)
        known = self.store.superseded(self.root_key, fingerprint)
        if known is None:
            known = superseded_reports(self.store.heads(self.root_key))
            self.store.save_superseded(self.root_key, fingerprint, known)
        self.superseded = known
        self.reports, self.parsed = len(files) - len(self.superseded), len(stale)
        self._memo.clear()
        self.warnings = tuple(([self.store.warning] if self.store.warning else []) + self.store.warnings(self.root_key))
        return self

    def prior_findings(self, provider: str, model: str, eval_path: str) -> tuple[PriorFinding, ...]:
        """Findings about `eval_path`: this model's first, then other models', each newest first.

        A finding whose report gives only the eval's name counts when no report
        puts that name in a different category. Models match by `model_key`
        (case and any `provider/` prefix ignored), so one model reached through
        two providers is one model.
        """
        key = (model_key(model), eval_path)
        if key not in self._memo:
            found = self._about(eval_path)
            mine = [f for f in found if model_key(f.model) == key[0]]
            others = [f for f in found if model_key(f.model) != key[0]]
            self._memo[key] = (*newest_first(mine), *newest_first(others))
        return self._memo[key]

    def findings_about(self, eval_path: str) -> tuple[PriorFinding, ...]:
        """Every model's findings about `eval_path`, newest first."""
        return tuple(newest_first(self._about(eval_path)))

    def findings(self, model: str | None = None) -> list[PriorFinding]:
        """All findings (or one model's), sorted by eval path, each eval's newest first."""
        rows = self.store.findings_of(self.root_key, model_key(model) if model else None)
        resolved: dict[str, str] = {}
        out = []
        for row in rows:
            if row.rel in self.superseded:
                continue
            path = row.eval_path
            if path not in resolved:
                resolved[path] = self._resolve_name(path)
            out.append(self._finding(row, resolved[path]))
        return sorted(newest_first(out), key=lambda f: f.eval_path)

    def corrected_findings(self) -> list[PriorFinding]:
        """Every finding whose class a maintainer corrected (`actions --reclassify`), in every report,
        superseded ones included (a correction is a label wherever it was recorded); newest correction first."""
        out = []
        for row in self.store.findings_of(self.root_key, None):
            if len(row.data) > DATA_FIELDS.index("corrected_from") and row.fields().get("corrected_from"):
                out.append(self._finding(row, self._resolve_name(row.eval_path)))
        return sorted(out, key=lambda f: ((f.correction.date if f.correction else None) or "", f.date or "", f.report), reverse=True)

    def report_records(self) -> list[ReportRecord]:
        """Every report of the directory as the reader got it (findings included, with the error text each
        quotes), from the cache: sorted by path, superseded ones too (`superseded` names them). Bare eval
        names and un-numbered categories are completed as `findings` completes them."""
        from attrs import evolve

        from .records import ReportFinding, ReportRecord

        by_report = self.store.findings_by_report(self.root_key)
        resolved: dict[str, str] = {}
        out = []
        for rel, _mtime, meta in sorted(self.store.records(self.root_key)):
            findings = []
            for data in by_report.get(rel, ()):
                values = dict(zip(DATA_FIELDS, data))
                path = values["eval_path"]
                if path not in resolved:
                    resolved[path] = self._resolve_name(path)
                findings.append(ReportFinding(
                    eval_path=resolved[path], classification_raw=values["classification_raw"],
                    failed_step=values["failed_step"], repeat=bool(values["repeat"]), note=values["note"],
                    actions=tuple(values["actions"]), run_id=values["own_run_id"], error=values.get("error"),
                    corrected_from=values.get("corrected_from"), correction_reason=values.get("correction_reason"),
                    correction_date=values.get("correction_date"),
                ))
            out.append(evolve(ReportRecord.from_json({**meta, "path": rel}), findings=tuple(findings)))
        return out

    def recorded_actions(self) -> tuple[RecordedAction, ...]:
        """Every "Actions taken" entry of every report, newest report first."""
        actions = []
        for rel, meta in self.store.records_with_actions(self.root_key):
            run_ids = meta.get("run_ids") or [None]
            for entry in meta.get("actions", ()):
                evals = tuple(self._resolve_name(e) for e in entry.get("evals", ()))
                actions.append(RecordedAction(entry["text"], str(self.reports_dir / rel), run_ids[0], meta.get("date"), evals))
        return tuple(sorted(actions, key=lambda a: (a.date or "", a.report), reverse=True))

    def previous_report(self, model: str, experiment: str | None, run_id: str | None, date: str | None) -> str | None:
        """The path (relative to the reports directory) of the newest current report of `model` in
        `experiment` (None counts as `default`, as reports write it) about another run than `run_id`,
        dated no later than `date`; None when there is none. Undated reports are never "previous"."""
        key, wanted = model_key(model), experiment or "default"
        best: tuple | None = None
        for rel, mtime_ns, meta in self.store.records(self.root_key):
            if rel in self.superseded or model_key(meta.get("model")) != key:
                continue
            if (meta.get("experiment") or "default") != wanted or not meta.get("date"):
                continue
            if date is not None and meta["date"] > date:
                continue
            if run_id is not None and any(same_run(r, run_id) for r in meta.get("run_ids") or ()):
                continue
            number = _NUMBER_SUFFIX.search(rel.rsplit("/", 1)[-1].rsplit(".", 1)[0])
            rank = (meta["date"], int(number.group(1)) if number else 1, mtime_ns, rel)
            if best is None or rank > best:
                best = rank
        return None if best is None else best[-1]

    def _about(self, eval_path: str) -> list[PriorFinding]:
        category, _, name = eval_path.rpartition("/")
        rows = [row for row in self.store.findings_named(self.root_key, name) if row.rel not in self.superseded]
        categories = {row.eval_path.rsplit("/", 1)[0] for row in rows if "/" in row.eval_path}
        found = []
        for row in rows:
            path = row.eval_path
            if path == eval_path or not category:
                found.append(self._finding(row, path))
            elif "/" in path and _same_unless_placed(path.rsplit("/", 1)[0], category, categories):
                found.append(self._finding(row, eval_path))  # `queries/x` written for `002-queries/x`
            elif "/" not in path and all(same_category(c, category) for c in categories):
                found.append(self._finding(row, eval_path))
        return found

    def _resolve_name(self, eval_ref: str) -> str:
        """A bare name, or a path with an un-numbered category (`queries/x`), completed when the
        reports put that eval in one category (`002-queries/x`); else as written."""
        category, _, name = eval_ref.rpartition("/")
        if category and CATEGORY_NUMBER.match(category):
            return eval_ref
        known = {c for c in self.store.categories(self.root_key, name) if not category or same_category(c, category)}
        choices = {c for c in known if CATEGORY_NUMBER.match(c)} or known
        if len(choices) == 1:
            choice = next(iter(choices))
            if all(same_category(c, choice) for c in known):
                return f"{choice}/{name}"
        return eval_ref

    def _finding(self, row: FindingRow, eval_path: str) -> PriorFinding:
        f = row.fields()
        raw = f["classification_raw"]
        classes = self._classes  # thousands of findings share a handful of class texts
        corrected_from = f.get("corrected_from")
        if raw and raw not in classes:
            # A corrected class is the one before `(corrected from ...)`: the original is no qualifier of it.
            if corrected_from:  # rare: the field parser loads only for a corrected class
                from .fields import corrected_parts

                raw_class = corrected_parts(raw)[0]
            else:
                raw_class = raw
            classes[raw] = self.taxonomy.normalise(raw_class)
        correction = None
        if corrected_from:
            correction = Correction(corrected_from, f.get("correction_reason") or "", f.get("correction_date"))
        return PriorFinding(
            report=os.path.join(self._root_text, *row.rel.split("/")),
            run_id=f["own_run_id"] or f["run_id"],
            date=f["date"],
            provider=f["provider"],
            model=f["model"],
            eval_path=eval_path,
            classification=classes[raw] if raw else None,
            classification_raw=raw,
            failed_step=f["failed_step"],
            repeat=bool(f["repeat"]),
            note=f["note"],
            actions=tuple(f["actions"]),
            run_ids=tuple(f["run_ids"]),
            correction=correction,
            error=f.get("error"),
        )


_NUMBER_SUFFIX = re.compile(r"\d{4}-\d{2}-\d{2}_(\d{1,4})$")


def files_fingerprint(files: dict[str, Version]) -> str:
    """One digest of every report's path and version and the reader version: equal digests, equal reports."""
    digest = hashlib.sha256(str(PARSER_VERSION).encode())
    for rel in sorted(files):
        size, mtime_ns = files[rel]
        digest.update(f"\0{rel}\0{size}\0{mtime_ns}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def superseded_reports(heads: list[tuple[str, int, tuple]]) -> frozenset[str]:
    """The reports a newer report of the same run (same run ids, same model) supersedes.

    A run analysed again gets a new report beside the old one (`_2`, `_3`: an old
    report may hold a maintainer's edits and is never overwritten); history counts
    the newest only. Newest is decided by the report's date, then its `_N` number
    (none counts as 1), then its modification time, then its path, so the answer
    never depends on the order the files were read. Reports that name no run are
    never superseded.
    """
    by_run: dict[tuple, list[tuple]] = {}
    for rel, mtime_ns, head in heads:
        facts = dict(zip(HEAD_FIELDS, head))
        run_ids = tuple(facts["run_ids"] or ())
        if not run_ids:
            continue
        stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        number = _NUMBER_SUFFIX.search(stem)
        rank = (facts["date"] or "", int(number.group(1)) if number else 1, mtime_ns, rel)
        by_run.setdefault((model_key(facts["model"]), run_ids), []).append(rank)
    return frozenset(rank[-1] for ranks in by_run.values() for rank in sorted(ranks)[:-1])


def _same_unless_placed(written: str, category: str, known: set[str]) -> bool:
    """True when a category written without its number (`queries`) stands for `category`
    (`002-queries`) and no report puts the eval under another number (`001-queries`)."""
    if not same_category(written, category):
        return False
    return all(c == category for c in known if CATEGORY_NUMBER.match(c) and same_category(c, written))


class DeferredHistory:
    """A `History` (and `ActionLog`) that opens its index at the first lookup, so a run
    without failures reads no reports and creates no cache."""

    def __init__(self, open_index: Callable[[], ReportIndex]):
        self._open = open_index
        self._index: ReportIndex | None = None
        self._lock = threading.Lock()

    @property
    def index(self) -> ReportIndex:
        with self._lock:
            if self._index is None:
                self._index = self._open()
            return self._index

    def prior_findings(self, provider: str, model: str, eval_path: str) -> tuple[PriorFinding, ...]:
        return self.index.prior_findings(provider, model, eval_path)

    def recorded_actions(self) -> tuple[RecordedAction, ...]:
        return self.index.recorded_actions()


def newest_first(findings: list[PriorFinding]) -> list[PriorFinding]:
    """Newest report first (undated ones last), then by report path for a stable order."""
    return sorted(findings, key=lambda f: (f.date or "", f.report), reverse=True)


def open_history(
    reports_dir: str | os.PathLike[str], *, taxonomy: Taxonomy = DEFAULT_TAXONOMY, cache_dir: str | os.PathLike[str] | None = None
) -> ReportIndex:
    """An up-to-date index of `reports_dir`, cached in `cache_dir` (None: in this process's memory only).

    Stores are shared per cache file within a process, so opening the same
    directory again re-reads only what changed on disk.
    """
    # No reports yet, nothing worth a cache file: keep the (empty) index in memory.
    on_disk = cache_dir is not None and Path(reports_dir).is_dir()
    key = str(Path(cache_dir).resolve() / CACHE_FILE) if on_disk else ":memory:"
    with _STORES_LOCK:
        store = _STORES.get(key)
        if store is None:
            store = _STORES[key] = Store(Path(key) if on_disk else None)
            if on_disk:  # once per process: the cache holds only directories that still exist
                store.forget_missing_roots()
    return ReportIndex(reports_dir, taxonomy=taxonomy, store=store)
