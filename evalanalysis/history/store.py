"""The parsed-report cache: one sqlite database (stdlib `sqlite3`) shared by every process.

One file instead of one per report because a warm start on 10,000 reports must
cost one query, not 10,000 file reads. Rows are keyed by (reports directory,
relative path) and carry the file version (size, mtime_ns) and the reader
version they were parsed with; findings sit in their own indexed table so a
lookup by eval or model touches only the rows it needs. Every update is one
transaction (atomic; concurrent processes serialise on sqlite's lock, and a
reader sees either the old rows or the new ones). `Store(None)` keeps the same
tables in memory, for when the disk cache is disabled or unusable.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, NamedTuple

from ..names import model_key

if TYPE_CHECKING:
    from .records import ReportRecord

SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 30.0

# A reports directory is stored once (roots) and a report's run facts once (reports.head), so the
# per-finding rows stay small: the cache of 10,000 reports is about the size of the reports.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS roots (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY, root_id INTEGER NOT NULL, rel TEXT NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, parser INTEGER NOT NULL,
    head TEXT NOT NULL, record TEXT NOT NULL, has_actions INTEGER NOT NULL, warnings TEXT NOT NULL,
    UNIQUE (root_id, rel)
);
CREATE TABLE IF NOT EXISTS findings (
    report_id INTEGER NOT NULL, root_id INTEGER NOT NULL, model_key TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_by_name ON findings (root_id, name);
CREATE INDEX IF NOT EXISTS findings_by_model ON findings (root_id, model_key);
CREATE INDEX IF NOT EXISTS findings_by_report ON findings (report_id)
"""


_DERIVED = "CREATE TABLE IF NOT EXISTS derived (root TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, superseded TEXT NOT NULL)"


class Version(NamedTuple):
    size: int
    mtime_ns: int


# The order of the values in a report's stored `head` and a finding's stored `data` (compact, fast to load).
HEAD_FIELDS = ("run_id", "run_ids", "date", "provider", "model")
DATA_FIELDS = ("own_run_id", "eval_path", "classification_raw", "failed_step", "repeat", "note", "actions",
               "corrected_from", "correction_reason", "correction_date", "error")


class FindingRow(NamedTuple):
    """One stored finding with its report's path and run facts."""

    rel: str
    head: tuple
    data: list

    @property
    def eval_path(self) -> str:
        return self.data[1]

    def fields(self) -> dict:
        values = dict(zip(HEAD_FIELDS, self.head))
        values.update(zip(DATA_FIELDS, self.data))
        return values


class Store:
    """Parsed reports by (root, rel); thread-safe; `path` None means in memory only."""

    def __init__(self, path: Path | None):
        self.path = path
        self.warning: str | None = None
        self._lock = threading.Lock()
        self._db = self._connect(path)

    def _connect(self, path: Path | None) -> sqlite3.Connection:
        if path is None:
            return self._prepare(sqlite3.connect(":memory:", check_same_thread=False))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return self._prepare(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False))
        except sqlite3.DatabaseError as exc:
            # A damaged cache is only a cache: move it aside and start again.
            try:
                os.replace(path, path.with_name(f"{path.name}.broken-{int(time.time())}"))
                return self._prepare(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False))
            except (OSError, sqlite3.Error):
                self.warning = f"history cache {path} unusable ({exc}); reading reports without it"
        except OSError as exc:
            self.warning = f"history cache {path} unusable ({exc.strerror or exc}); reading reports without it"
        self.path = None
        return self._prepare(sqlite3.connect(":memory:", check_same_thread=False))

    @staticmethod
    def _prepare(db: sqlite3.Connection) -> sqlite3.Connection:
        db.isolation_level = None  # explicit transactions only
        try:
            db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            pass  # e.g. a filesystem without shared memory: the default journal is still atomic
        db.execute("PRAGMA synchronous=NORMAL")
        # Derived facts (the superseded reports), keyed by a fingerprint of the files they were derived from:
        # a cache written by a version without this table gains it, and a row that no longer fits is ignored.
        db.execute(_DERIVED)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            db.execute("BEGIN IMMEDIATE")
            try:
                if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                    for table in ("findings", "reports", "roots"):
                        db.execute(f"DROP TABLE IF EXISTS {table}")
                    for statement in filter(str.strip, _SCHEMA.split(";")):
                        db.execute(statement)
                    db.execute("DELETE FROM derived")
                    db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return db

    def forget_missing_roots(self) -> int:
        """Drop the rows of reports directories that no longer exist (a deleted or renamed folder's
        reports would otherwise stay in the cache for good); returns how many directories went."""
        with self._lock:
            gone = [(i,) for i, path in self._db.execute("SELECT id, path FROM roots").fetchall() if not os.path.isdir(path)]
            if not gone:
                return 0
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for table, column in (("findings", "root_id"), ("reports", "root_id"), ("roots", "id")):
                    self._db.executemany(f"DELETE FROM {table} WHERE {column} = ?", gone)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return len(gone)

    def _root(self, root: str, create: bool = False) -> int | None:
        row = self._db.execute("SELECT id FROM roots WHERE path = ?", (root,)).fetchone()
        if row is None and create:
            return self._db.execute("INSERT INTO roots (path) VALUES (?)", (root,)).lastrowid
        return row[0] if row else None

    def versions(self, root: str, parser: int) -> dict[str, Version]:
        """The file version each cached report of `root` was parsed at, for reader version `parser`."""
        with self._lock:
            rows = self._db.execute(
                "SELECT rel, size, mtime_ns, parser FROM reports WHERE root_id = (SELECT id FROM roots WHERE path = ?)", (root,)
            ).fetchall()
        return {rel: Version(size, mtime) if p == parser else Version(-1, -1) for rel, size, mtime, p in rows}

    def update(self, root: str, parsed: Iterable[tuple[str, Version, ReportRecord]], gone: Iterable[str], parser: int) -> None:
        """Replace the rows of `parsed` reports and drop `gone` ones, in one transaction."""
        parsed = list(parsed)
        stale = [rel for rel, _, _ in parsed] + list(gone)
        if not stale:
            return
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                root_id = self._root(root, create=True)
                ids = [
                    (report_id,)
                    for rel in stale
                    for (report_id,) in self._db.execute("SELECT id FROM reports WHERE root_id = ? AND rel = ?", (root_id, rel))
                ]
                self._db.executemany("DELETE FROM findings WHERE report_id = ?", ids)
                self._db.executemany("DELETE FROM reports WHERE id = ?", ids)
                for rel, version, record in parsed:
                    self._insert(root_id, rel, version, record, parser)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _insert(self, root_id: int, rel: str, version: Version, record: ReportRecord, parser: int) -> None:
        meta = record.to_json()
        meta.pop("findings")
        head = [record.run_id, list(record.run_ids), record.date, record.provider, record.model]
        report_id = self._db.execute(
            "INSERT INTO reports (root_id, rel, size, mtime_ns, parser, head, record, has_actions, warnings) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (root_id, rel, version.size, version.mtime_ns, parser, json.dumps(head), json.dumps(meta),
             int(bool(record.actions)), "\n".join(record.warnings)),
        ).lastrowid
        key = model_key(record.model)
        self._db.executemany(
            "INSERT INTO findings VALUES (?, ?, ?, ?, ?)",
            [
                (report_id, root_id, key, f.name,
                 json.dumps([f.run_id, f.eval_path, f.classification_raw, f.failed_step, f.repeat, f.note, list(f.actions),
                             f.corrected_from, f.correction_reason, f.correction_date, f.error]))
                for f in record.findings
            ],
        )

    def _findings(self, where: str, args: tuple) -> list[FindingRow]:
        with self._lock:
            rows = self._db.execute(
                "SELECT r.id, r.rel, r.head, f.data FROM findings f JOIN reports r ON r.id = f.report_id WHERE " + where, args
            ).fetchall()
        heads: dict[int, tuple] = {}
        out = []
        for report_id, rel, head, data in rows:
            if report_id not in heads:
                heads[report_id] = tuple(json.loads(head))
            out.append(FindingRow(rel, heads[report_id], json.loads(data)))
        return out

    def findings_named(self, root: str, name: str) -> list[FindingRow]:
        """Findings of `root` about evals called `name` (in any category, or with none)."""
        return self._findings("f.root_id = (SELECT id FROM roots WHERE path = ?) AND f.name = ?", (root, name))

    def findings_of(self, root: str, key: str | None) -> list[FindingRow]:
        """Every finding of `root`, or only those of the model with `model_key` `key`."""
        if key is None:
            return self._findings("f.root_id = (SELECT id FROM roots WHERE path = ?)", (root,))
        return self._findings("f.root_id = (SELECT id FROM roots WHERE path = ?) AND f.model_key = ?", (root, key))

    def findings_by_report(self, root: str) -> dict[str, list[list]]:
        """Every report's stored findings (as in `DATA_FIELDS`), in the order the report gives them, by rel."""
        with self._lock:
            rows = self._db.execute(
                "SELECT r.rel, f.data FROM findings f JOIN reports r ON r.id = f.report_id "
                "WHERE f.root_id = (SELECT id FROM roots WHERE path = ?) ORDER BY f.rowid", (root,)
            ).fetchall()
        out: dict[str, list[list]] = {}
        for rel, data in rows:
            out.setdefault(rel, []).append(json.loads(data))
        return out

    def categories(self, root: str, name: str) -> set[str]:
        """The categories full eval paths give the eval `name`."""
        with self._lock:
            rows = self._db.execute(
                "SELECT data FROM findings WHERE root_id = (SELECT id FROM roots WHERE path = ?) AND name = ?", (root, name)
            ).fetchall()
        paths = (json.loads(data)[1] for (data,) in rows)
        return {p.rsplit("/", 1)[0] for p in paths if "/" in p}

    def superseded(self, root: str, fingerprint: str) -> frozenset[str] | None:
        """The superseded reports of `root` saved for files with this `fingerprint`, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT superseded FROM derived WHERE root = ? AND fingerprint = ?", (root, fingerprint)
            ).fetchone()
        return None if row is None else frozenset(json.loads(row[0]))

    def save_superseded(self, root: str, fingerprint: str, rels: frozenset[str]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO derived (root, fingerprint, superseded) VALUES (?, ?, ?)",
                (root, fingerprint, json.dumps(sorted(rels))),
            )

    def heads(self, root: str) -> list[tuple[str, int, tuple]]:
        """(rel, mtime_ns, run facts as in `HEAD_FIELDS`) of every report of `root`."""
        with self._lock:
            rows = self._db.execute(
                "SELECT rel, mtime_ns, head FROM reports WHERE root_id = (SELECT id FROM roots WHERE path = ?)", (root,)
            ).fetchall()
        return [(rel, mtime, tuple(json.loads(head))) for rel, mtime, head in rows]

    def records(self, root: str) -> list[tuple[str, int, dict]]:
        """(rel, mtime_ns, run facts and actions as `ReportRecord.to_json` gives them, without findings) of every report."""
        with self._lock:
            rows = self._db.execute(
                "SELECT rel, mtime_ns, record FROM reports WHERE root_id = (SELECT id FROM roots WHERE path = ?)", (root,)
            ).fetchall()
        return [(rel, mtime, json.loads(record)) for rel, mtime, record in rows]

    def records_with_actions(self, root: str) -> list[tuple[str, dict]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT rel, record FROM reports WHERE root_id = (SELECT id FROM roots WHERE path = ?) AND has_actions = 1", (root,)
            ).fetchall()
        return [(rel, json.loads(record)) for rel, record in rows]

    def warnings(self, root: str) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT warnings FROM reports WHERE root_id = (SELECT id FROM roots WHERE path = ?) AND warnings != ''", (root,)
            ).fetchall()
        return [w for (text,) in rows for w in text.split("\n")]

    def close(self) -> None:
        with self._lock:
            self._db.close()
