"""The prompt log: every prompt an LLM classifier sends, and what came back, in one sqlite file.

`<log dir>/prompts.sqlite3` (`[log] dir`, `EVALANALYSIS_LOG_DIR`, by default the
platformdirs user data dir) holds one row per request sent (a retry after an
invalid answer is a row of its own) and one per answer taken from the result
cache: time, run id, eval path, kind (verdict or synthesis), provider, model,
classifier, the system and user text, the answer text, the class the answer
names, tokens in and out (and cache read/write tokens when the usage has them),
latency, the error if the request failed, whether it came from the cache, and the
provider batch that answered it (`analyze --batch`: one row per request of the
batch, logged when its answers are collected).
Every text is masked with `redaction.redact` before it is stored: a server that
echoes a key back, or evidence that quotes one, never puts it on disk.
`evalanalysis logs` reads it.

The log never stops an analysis: one that cannot be opened or written (a
read-only directory, a file that is not a database, a lock held too long) is
said once on stderr and then left alone for the rest of the process. Each
process opens one connection (WAL, `synchronous=NORMAL`), on the first entry,
so a dry run or a run served wholly offline creates no file; every entry is one
short transaction, so concurrent classifications (asyncio tasks) and concurrent
processes interleave safely. The system text, the same for every prompt of a
run, is stored once and referred to by its hash.

Which failure an entry is about is set per asyncio task by `ClassifierLog.about`
(a context variable): `analyze_run` classifies each failure in a task of its own.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import hashlib
import json
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, NamedTuple, TypeVar

import attrs

from ..config import LogSettings
from .answers import AnswerError
from .redaction import redact

if TYPE_CHECKING:
    from .fence import Prompt

T = TypeVar("T")

LOG_FILE = "prompts.sqlite3"
SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 5.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS systems (sha TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    run_id TEXT,
    eval_path TEXT,
    kind TEXT,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    classifier TEXT NOT NULL,
    system_sha TEXT NOT NULL,
    user TEXT NOT NULL,
    answer TEXT,
    verdict TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cache_read_tokens INTEGER,
    cache_write_tokens INTEGER,
    latency_ms REAL,
    error TEXT,
    from_cache INTEGER NOT NULL,
    batch_id TEXT
);
CREATE INDEX IF NOT EXISTS entries_by_time ON entries (ts);
CREATE INDEX IF NOT EXISTS entries_by_run ON entries (run_id);
CREATE INDEX IF NOT EXISTS entries_by_eval ON entries (eval_path)
"""

FIELDS = (
    "id", "time", "run_id", "eval_path", "kind", "provider", "model", "classifier", "system", "user", "answer",
    "verdict", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "latency_ms", "error",
    "from_cache", "batch_id",
)
"""The keys of one entry, as `evalanalysis logs --json` prints them."""

# A `Usage` may carry prompt-cache token counts; they are read by whichever of these names it uses.
_CACHE_READ = ("cache_read_tokens", "cache_read_input_tokens", "cached_tokens_read")
_CACHE_WRITE = ("cache_write_tokens", "cache_creation_input_tokens", "cache_creation_tokens")


class Subject(NamedTuple):
    """What the entries of the current task are about."""

    kind: str
    run_id: str | None
    eval_path: str | None


_subject: contextvars.ContextVar[Subject | None] = contextvars.ContextVar("evalanalysis_prompt_log_subject", default=None)


class PromptLog:
    """The log file of one directory; `path` None (logging off) records nothing. Thread-safe."""

    def __init__(self, path: Path | None):
        self.path = path
        self.warned = False
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._known_systems: set[str] = set()

    @property
    def enabled(self) -> bool:
        return self.path is not None

    # ------------------------------------------------------------------ writing

    def add(self, entry: dict[str, Any]) -> None:
        """Store one entry (the `FIELDS` but `id`, with `system` text); masks every text first."""
        if self.path is None:
            return
        system = redact(entry.get("system") or "")
        sha = hashlib.sha256(system.encode("utf-8", "surrogatepass")).hexdigest()
        row = (
            entry.get("ts", time.time()), entry.get("run_id"), entry.get("eval_path"), entry.get("kind"),
            entry["provider"], entry["model"], entry["classifier"], sha, _masked(entry.get("user")) or "",
            _masked(entry.get("answer")), _masked(entry.get("verdict")), entry.get("input_tokens"),
            entry.get("output_tokens"), entry.get("cache_read_tokens"), entry.get("cache_write_tokens"),
            entry.get("latency_ms"), _masked(entry.get("error")), int(bool(entry.get("from_cache"))),
            _masked(entry.get("batch_id")),
        )
        with self._lock:
            db = self._connection()
            if db is None:
                return
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    if sha not in self._known_systems:
                        db.execute("INSERT OR IGNORE INTO systems (sha, text) VALUES (?, ?)", (sha, system))
                    db.execute(f"INSERT INTO entries ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})", row)
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                self._known_systems.add(sha)
            except sqlite3.Error as exc:
                self._give_up(f"cannot write the prompt log {self.path} ({exc})")

    def _connection(self) -> sqlite3.Connection | None:
        if self._db is None and self.path is not None and not self.warned:
            try:
                self._db = connect(self.path, create=True)
            except (OSError, sqlite3.Error) as exc:
                self._give_up(f"cannot open the prompt log {self.path} ({getattr(exc, 'strerror', None) or exc})")
        return self._db

    def _give_up(self, message: str) -> None:
        """Say once that prompts are not being logged; the analysis goes on."""
        if not self.warned:
            self.warned = True
            sys.stderr.write(f"warning: {message}; prompts are not logged\n")
            sys.stderr.flush()
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None
        self.path = None


_COLUMNS = (
    "ts", "run_id", "eval_path", "kind", "provider", "model", "classifier", "system_sha", "user", "answer", "verdict",
    "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "latency_ms", "error", "from_cache",
    "batch_id",
)


def _masked(text: Any) -> str | None:
    return None if text is None else redact(str(text))


def connect(path: Path, *, create: bool) -> sqlite3.Connection:
    """A connection to the log at `path` with its tables; `create` False opens only an existing file, read-only."""
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    else:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    try:
        db.isolation_level = None  # explicit transactions only
        if create:
            try:
                db.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:
                pass  # a filesystem without shared memory: the default journal is still atomic
            db.execute("PRAGMA synchronous=NORMAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, 1, SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"written by another version of evalanalysis (schema {version})")
            if version == 1:  # schema 1 had no batch column: add it, the entries stay
                db.execute("BEGIN IMMEDIATE")
                try:
                    if "batch_id" not in _columns(db):
                        db.execute("ALTER TABLE entries ADD COLUMN batch_id TEXT")
                    db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
            db.executescript(_SCHEMA)
            if version == 0:
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        else:
            db.execute("SELECT count(*) FROM entries").fetchone()  # a file that is not this log fails here
    except BaseException:
        db.close()
        raise
    return db


def _columns(db: sqlite3.Connection) -> set[str]:
    return {row[1] for row in db.execute("PRAGMA table_info(entries)")}


_LOGS: dict[str, PromptLog] = {}
_LOGS_LOCK = threading.Lock()


def prompt_log(settings: LogSettings) -> PromptLog:
    """The process's one log for these settings (one connection per file and process)."""
    if not settings.enabled:
        return PromptLog(None)
    path = settings.path / LOG_FILE
    key = str(path.absolute())
    with _LOGS_LOCK:
        log = _LOGS.get(key)
        if log is None or (log.path is None and not log.warned):
            log = _LOGS[key] = PromptLog(path)
        return log


class ClassifierLog:
    """The prompt log as one LLM classifier writes to it: its provider, model and name on every entry."""

    def __init__(self, log: PromptLog, *, provider: str, model: str, classifier: str):
        self.log = log
        self.provider, self.model, self.classifier = provider, model, classifier

    def about(self, subject: Any, prompt: Prompt, cached: Any = None) -> None:
        """The current task's entries are about `subject` (a `FailureContext` or, for synthesis, a
        `RunAnalysis`); `cached`, the result found in the cache for `prompt`, is logged as an entry."""
        if not self.log.enabled:
            return
        failed = getattr(subject, "failed", None)
        run = getattr(subject, "run", None)
        here = Subject(
            "verdict" if failed is not None else "synthesis",
            getattr(run, "id", None),
            getattr(failed, "eval_path", None),
        )
        _subject.set(here)
        if cached is not None:
            answer = _as_json(cached)
            self._add(prompt.system, prompt.user, answer=answer, verdict=_class_of(answer), from_cache=True)

    async def timed(self, request: Awaitable[tuple[T, Any]], system: str, user: str) -> tuple[T, Any]:
        """Await one provider request, and log it with its answer (or its error) and how long it took."""
        if not self.log.enabled:
            return await request
        started = time.perf_counter()
        try:
            raw, usage = await request
        except BaseException as exc:  # a cancelled request (Ctrl-C, a run stopped) is logged as such
            error = "cancelled" if isinstance(exc, (asyncio.CancelledError, KeyboardInterrupt)) else str(exc) or type(exc).__name__
            self._add(system, user, latency_ms=_since(started), error=error)
            raise
        latency = _since(started)
        try:
            if isinstance(raw, AnswerError):
                fields: dict[str, Any] = {"answer": None, "error": str(raw)}
            else:
                answer = raw if isinstance(raw, str) else _as_json(raw)
                fields = {"answer": answer, "verdict": _class_of(raw)}
            self._add(system, user, latency_ms=latency, **fields, **_usage_fields(usage))
        except Exception as exc:  # the log never costs an answer
            self.log._give_up(f"cannot log a prompt ({type(exc).__name__}: {exc})")
        return raw, usage

    def batched(self, request: Any, batch_id: str, raw: Any, usage: Any = None) -> None:
        """Log one request of a provider batch (a `BatchRequest`) with its answer, or the reason it has
        none (`raw` a string, `usage` None)."""
        if not self.log.enabled:
            return
        subject = Subject("verdict", getattr(request, "run_id", None) or None, getattr(request, "eval_path", None) or None)
        if usage is None:
            fields: dict[str, Any] = {"answer": None, "error": str(raw)}
        else:
            fields = {"answer": raw if isinstance(raw, str) else _as_json(raw), "verdict": _class_of(raw), **_usage_fields(usage)}
        try:
            self._add(request.system, request.user, subject=subject, batch_id=batch_id, **fields)
        except Exception as exc:  # the log never costs an answer
            self.log._give_up(f"cannot log a prompt ({type(exc).__name__}: {exc})")

    def _add(self, system: str, user: str, *, subject: Subject | None = None, **fields: Any) -> None:
        subject = subject or _subject.get() or Subject("verdict", None, None)
        self.log.add({
            "ts": time.time(), "run_id": subject.run_id, "eval_path": subject.eval_path, "kind": subject.kind,
            "provider": self.provider, "model": self.model, "classifier": self.classifier,
            "system": system, "user": user, **fields,
        })


def classifier_log(settings: LogSettings, *, provider: str, model: str, classifier: str) -> ClassifierLog:
    """The log an LLM classifier writes to (a no-op when `[log] enabled = false`)."""
    return ClassifierLog(prompt_log(settings), provider=provider, model=model, classifier=classifier)


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _usage_fields(usage: Any) -> dict[str, int | None]:
    """The token counts of an entry, from whatever usage object the classifier returned."""
    return {
        "input_tokens": getattr(usage, "input_tokens", None), "output_tokens": getattr(usage, "output_tokens", None),
        "cache_read_tokens": _first_of(usage, _CACHE_READ), "cache_write_tokens": _first_of(usage, _CACHE_WRITE),
    }


def _first_of(usage: Any, names: tuple[str, ...]) -> int | None:
    for name in names:
        value = getattr(usage, name, None)
        if isinstance(value, int):
            return value
    return None


def _as_json(value: Any) -> str:
    if attrs.has(type(value)):
        from ..converter import report as report_converter

        value = report_converter.unstructure(value)
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def _class_of(raw: Any) -> str | None:
    """The class an answer names (a tool call's input, JSON text, or a stored verdict), if it names one."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    if isinstance(raw, dict) and isinstance(raw.get("classification"), str):
        return raw["classification"][:100]
    return None


# ------------------------------------------------------------------- reading


def read_entries(
    settings: LogSettings, *, run: str | None = None, eval_path: str | None = None, limit: int | None = 20
) -> list[dict[str, Any]]:
    """The newest entries first, with `FIELDS` as keys; `[]` when there is no log yet.

    `run` matches a run id or an 8+ character prefix of one; `eval_path` an eval
    or a category (`002-queries` matches every eval under it). A file that is
    not a readable log raises `sqlite3.Error` or `OSError`.
    """
    path = settings.path / LOG_FILE
    if not path.exists():
        return []
    db = connect(path, create=False)
    try:
        where, args = [], []
        if run:
            where.append("(run_id = ? OR (length(?) >= 8 AND substr(run_id, 1, length(?)) = ?))")
            args += [run, run, run, run]
        if eval_path:
            path_arg = eval_path.strip("/")
            where.append("(eval_path = ? OR substr(eval_path, 1, length(?) + 1) = ? || '/')")
            args += [path_arg, path_arg, path_arg]
        sql = (
            "SELECT e.id, e.ts, run_id, eval_path, kind, provider, model, classifier, s.text, user, answer, verdict, "
            "input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, latency_ms, error, from_cache, "
            + ("batch_id " if "batch_id" in _columns(db) else "NULL ")  # a log of schema 1, opened read-only
            + "FROM entries e LEFT JOIN systems s ON s.sha = e.system_sha"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY e.ts DESC, e.id DESC"
            + (" LIMIT ?" if limit else "")
        )
        if limit:
            args.append(limit)
        return [_entry(row) for row in db.execute(sql, args)]
    finally:
        db.close()


def _entry(row: tuple) -> dict[str, Any]:
    entry = dict(zip(FIELDS, row))
    entry["time"] = dt.datetime.fromtimestamp(entry["time"], dt.timezone.utc).isoformat(timespec="milliseconds")
    entry["from_cache"] = bool(entry["from_cache"])
    return entry
