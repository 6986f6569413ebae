"""`evalanalysis cache info` and `cache clear`: what the on-disk cache holds, and removing it.

The LLM result cache is one JSON file per result under `<cache dir>/llm/<xx>/`
(see `evalanalysis.llm.cache`); an entry's age is its file's modification time,
which is when it was written. The history cache (`history.sqlite3`, the parsed
reports) lives in the same directory: `info` shows it, `clear` leaves it, since
it is rebuilt from the reports and may be open in another process.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterator, NamedTuple

import click

from ..config import load_config
from ..errors import UsageError
from .common import config_option
from .terminal import printable

DAY = 86400.0


class Entry(NamedTuple):
    path: Path
    size: int
    mtime: float


def llm_entries(cache_dir: Path) -> Iterator[Entry]:
    """Every file of the LLM result cache: its entries, and temporary files an interrupted write left."""
    root = cache_dir / "llm"
    if not root.is_dir():
        return
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.is_symlink():
            continue
        for item in sorted(folder.iterdir()):
            if item.name.endswith((".json", ".tmp")) and not item.is_symlink():
                try:
                    st = item.stat()
                except OSError:
                    continue  # removed meanwhile by another process
                if item.is_file():
                    yield Entry(item, st.st_size, st.st_mtime)


def _when(ts: float | None) -> str | None:
    return None if ts is None else dt.datetime.fromtimestamp(ts, dt.timezone.utc).isoformat(timespec="seconds")


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def history_info(cache_dir: Path) -> dict[str, Any] | None:
    """The history cache's files, size and number of reports indexed; None when there is none."""
    from ..history.index import CACHE_FILE  # the history package names its own file

    path = cache_dir / CACHE_FILE
    files = [p for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")) if p.is_file()]
    if not path.is_file():
        return None
    info: dict[str, Any] = {
        "path": str(path),
        "bytes": sum(p.stat().st_size for p in files),
        "modified": _when(max(p.stat().st_mtime for p in files)),
        "reports": None,
    }
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2.0)
        try:
            info["reports"] = db.execute("SELECT count(*) FROM reports").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error as exc:
        info["error"] = f"cannot read it ({exc})"
    return info


@click.group("cache")
def cache_command() -> None:
    """Show what the on-disk cache holds (`cache info`), or remove LLM results from it (`cache clear`)."""


@cache_command.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@config_option
def info_command(as_json: bool, config_file: str | None) -> None:
    """Where the cache is, how many LLM results it holds, their size and ages, and the history cache."""
    settings = load_config(config_file).cache
    folder = settings.path
    entries = [e for e in llm_entries(folder) if e.path.suffix == ".json"]
    llm = {
        "path": str(folder / "llm"),
        "entries": len(entries),
        "bytes": sum(e.size for e in entries),
        "oldest": _when(min((e.mtime for e in entries), default=None)),
        "newest": _when(max((e.mtime for e in entries), default=None)),
    }
    data = {"dir": str(folder), "enabled": settings.enabled, "llm": llm, "history": history_info(folder)}
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    lines = [f"Cache directory: {folder}" + ("" if settings.enabled else " (the LLM cache is off: [cache] enabled = false)")]
    if entries:
        lines.append(f"LLM results: {len(entries)} entries, {_size(llm['bytes'])}, oldest {llm['oldest']}, newest {llm['newest']}")
    else:
        lines.append("LLM results: none")
    hist = data["history"]
    if hist is None:
        lines.append("History cache: none")
    else:
        reports = f"{hist['reports']} reports" if hist["reports"] is not None else hist.get("error", "unreadable")
        lines.append(f"History cache: {hist['path']}, {_size(hist['bytes'])}, {reports}, modified {hist['modified']}")
    click.echo("\n".join(printable(line) for line in lines))


def parse_days(value: str | None) -> float | None:
    """`--older-than DAYS` as a number of days (fractions allowed), or a usage error saying what it takes."""
    if value is None:
        return None
    try:
        days = float(value)
    except ValueError:
        days = math.nan
    if not math.isfinite(days) or days < 0:
        raise UsageError(f"--older-than takes a number of days, 0 or more (e.g. 30 or 0.5), not {value!r}")
    return days


@cache_command.command("clear")
@click.option("--older-than", "older_than", metavar="DAYS", help="Only results written more than DAYS days ago.")
@config_option
def clear_command(older_than: str | None, config_file: str | None) -> None:
    """Remove LLM results from the cache (all, or those older than DAYS days) and say what was removed."""
    days = parse_days(older_than)
    folder = load_config(config_file).cache.path
    cutoff = time.time() - days * DAY if days is not None else math.inf
    removed = kept = freed = 0
    for entry in llm_entries(folder):
        if entry.mtime >= cutoff:
            kept += entry.path.suffix == ".json"
            continue
        try:
            entry.path.unlink()
        except FileNotFoundError:
            continue  # another process removed it first
        except OSError as exc:
            raise UsageError(f"cannot remove {entry.path}: {exc.strerror or exc}") from None
        if entry.path.suffix == ".json":
            removed += 1
            freed += entry.size
    root = folder / "llm"
    if root.is_dir():
        for sub in root.iterdir():
            if sub.is_dir() and not sub.is_symlink():
                try:
                    os.rmdir(sub)  # only when empty
                except OSError:
                    pass
    which = f" older than {days:g} day{'' if days == 1 else 's'}" if days is not None else ""
    rest = f"; {kept} newer kept" if days is not None else ""
    click.echo(printable(f"Removed {removed} LLM results{which} ({_size(freed)}) from {root}{rest}."))


COMMANDS = [cache_command]
