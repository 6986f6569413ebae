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
from typing import Iterable, NamedTuple

from .fields import model_key
from .records import ReportRecord

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    root TEXT NOT NULL, rel TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    parser INTEGER NOT NULL, record TEXT NOT NULL, has_actions INTEGER NOT NULL, warnings TEXT NOT NULL,
    PRIMARY KEY (root, rel)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS findings (
    root TEXT NOT NULL, rel TEXT NOT NULL, model_key TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_by_name ON findings (root, name);
CREATE INDEX IF NOT EXISTS findings_by_model ON findings (root, model_key);
CREATE INDEX IF NOT EXISTS findings_by_rel ON findings (root, rel);
"""


class Version(NamedTuple):
    size: int
    mtime_ns: int


class FindingRow(NamedTuple):
    """One stored finding: the report it is from and its fields in `finding_fields` order."""

    rel: str
    data: list


# The order of a finding's fields in its stored JSON list (compact, and fast to load).
FINDING_FIELDS = (
    "run_id", "run_ids", "date", "provider", "model", "eval_path",
    "classification_raw", "failed_step", "repeat", "note", "actions",
)


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
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            db.execute("BEGIN IMMEDIATE")
            try:
                if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                    db.execute("DROP TABLE IF EXISTS reports")
                    db.execute("DROP TABLE IF EXISTS findings")
                    for statement in filter(str.strip, _SCHEMA.split(";")):
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return db

    def versions(self, root: str, parser: int) -> dict[str, Version]:
        """The file version each cached report of `root` was parsed at, for reader version `parser`."""
        with self._lock:
            rows = self._db.execute("SELECT rel, size, mtime_ns, parser FROM reports WHERE root = ?", (root,)).fetchall()
        return {rel: Version(size, mtime) if p == parser else Version(-1, -1) for rel, size, mtime, p in rows}

    def update(self, root: str, parsed: Iterable[tuple[str, Version, ReportRecord]], gone: Iterable[str], parser: int) -> None:
        """Replace the rows of `parsed` reports and drop `gone` ones, in one transaction."""
        report_rows, finding_rows, rels = [], [], []
        for rel, version, record in parsed:
            rels.append(rel)
            meta = record.to_json()
            meta.pop("findings")
            report_rows.append(
                (root, rel, version.size, version.mtime_ns, parser, json.dumps(meta), int(bool(record.actions)), "\n".join(record.warnings))
            )
            key = model_key(record.model)
            for f in record.findings:
                data = [
                    f.run_id or record.run_id, list(record.run_ids), record.date, record.provider, record.model,
                    f.eval_path, f.classification_raw, f.failed_step, f.repeat, f.note, list(f.actions),
                ]
                finding_rows.append((root, rel, key, f.name, json.dumps(data)))
        stale = [(root, rel) for rel in [*rels, *gone]]
        if not stale:
            return
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("DELETE FROM reports WHERE root = ? AND rel = ?", stale)
                self._db.executemany("DELETE FROM findings WHERE root = ? AND rel = ?", stale)
                self._db.executemany("INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?)", report_rows)
                self._db.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?)", finding_rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def findings_named(self, root: str, name: str) -> list[FindingRow]:
        with self._lock:
            rows = self._db.execute("SELECT rel, data FROM findings WHERE root = ? AND name = ?", (root, name)).fetchall()
        return [FindingRow(rel, json.loads(data)) for rel, data in rows]

    def findings_of(self, root: str, key: str | None) -> list[FindingRow]:
        """Every finding of `root`, or only those of the model with `model_key` `key`."""
        with self._lock:
            if key is None:
                rows = self._db.execute("SELECT rel, data FROM findings WHERE root = ?", (root,)).fetchall()
            else:
                rows = self._db.execute("SELECT rel, data FROM findings WHERE root = ? AND model_key = ?", (root, key)).fetchall()
        return [FindingRow(rel, json.loads(data)) for rel, data in rows]

    def categories(self, root: str, name: str) -> set[str]:
        """The categories full eval paths give the eval `name`."""
        return {row.data[5].rsplit("/", 1)[0] for row in self.findings_named(root, name) if "/" in row.data[5]}

    def records_with_actions(self, root: str) -> list[tuple[str, dict]]:
        with self._lock:
            rows = self._db.execute("SELECT rel, record FROM reports WHERE root = ? AND has_actions = 1", (root,)).fetchall()
        return [(rel, json.loads(record)) for rel, record in rows]

    def warnings(self, root: str) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT warnings FROM reports WHERE root = ? AND warnings != ''", (root,)).fetchall()
        return [w for (text,) in rows for w in text.split("\n")]

    def close(self) -> None:
        with self._lock:
            self._db.close()
