"""Where reports go and how they are written: sanitised paths, atomic, never overwriting."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Mapping

from .errors import EvalAnalysisError
from .model import RunAnalysis
from .protocols import Reporter

MAX_SUFFIX = 1000


def sanitise_segment(text: str | None, fallback: str = "unknown") -> str:
    """One safe path segment from untrusted text: no separators, no dot-only names, bounded length."""
    cleaned = re.sub(r"[^A-Za-z0-9._+-]+", "-", (text or "").strip()).strip("-.")
    return cleaned[:100] or fallback


def report_dir(reports_dir: str | os.PathLike[str], analysis: RunAnalysis) -> Path:
    """`reports/{provider}/{model}/`, with the database's provider and model made safe."""
    return Path(reports_dir) / sanitise_segment(analysis.run.provider) / sanitise_segment(analysis.run.model)


def report_stem(analysis: RunAnalysis) -> str:
    """`{runIdPrefix}_{date}`: the seed's file name without suffix."""
    return f"{sanitise_segment(analysis.run.id)[:8]}_{sanitise_segment(analysis.date)}"


def write_new_file(path: Path, text: str) -> None:
    """Write `path` atomically; raise FileExistsError rather than replace an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; reports are meant to be shared
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, path)  # fails if path exists: no silent overwrite, even under a race
    finally:
        os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def replace_file(path: Path, text: str) -> None:
    """Replace `path` atomically (for files we own and mean to update, such as a report's actions)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        try:  # keep the replaced file's permissions (mkstemp creates 0600)
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        except FileNotFoundError:
            pass
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_reports(
    analysis: RunAnalysis, reporters: Mapping[str, Reporter], reports_dir: str | os.PathLike[str]
) -> list[Path]:
    """Render with every reporter and write the files side by side under one free stem.

    A second report for the same run and day gets `_2`, `_3`, ...; nothing is overwritten.
    Rendering happens before any write, so a failing reporter leaves no partial set.
    """
    rendered = [(r.suffix, r.render(analysis)) for r in reporters.values()]
    folder = report_dir(reports_dir, analysis)
    stem = report_stem(analysis)
    try:  # first, so that a file in the way is named as such, not mistaken for a lost race below
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EvalAnalysisError(f"cannot create the report folder {folder}: {exc.strerror or exc}") from None
    for n in range(1, MAX_SUFFIX):
        candidate = stem if n == 1 else f"{stem}_{n}"
        paths = [folder / f"{candidate}{suffix}" for suffix, _ in rendered]
        if any(p.exists() for p in paths):
            continue
        written: list[Path] = []
        try:
            for path, (_, text) in zip(paths, rendered):
                write_new_file(path, text)
                written.append(path)
        except FileExistsError:  # lost a race with another writer: move on to the next stem
            for path in written:
                path.unlink()
            continue
        except OSError as exc:
            raise EvalAnalysisError(f"cannot write report under {folder}: {exc.strerror or exc}") from None
        return written
    raise EvalAnalysisError(f"too many reports named {stem}* in {folder}")


def replace_reports(analysis: RunAnalysis, reporters: Mapping[str, Reporter], folder: Path, stem: str) -> list[Path]:
    """Render with every reporter, then replace the files `folder/{stem}{suffix}` (for `analyze --replace`).

    Each file is replaced atomically; one that did not exist yet is written as new.
    """
    rendered = [(folder / f"{stem}{r.suffix}", r.render(analysis)) for r in reporters.values()]
    try:
        for path, text in rendered:
            if path.exists():
                replace_file(path, text)
            else:
                write_new_file(path, text)
    except OSError as exc:
        raise EvalAnalysisError(f"cannot write report under {folder}: {exc.strerror or exc}") from None
    return [path for path, _ in rendered]
