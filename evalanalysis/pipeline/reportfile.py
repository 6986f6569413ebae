"""Where reports go and how they are written: sanitised paths, atomic, never overwriting."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Mapping

from ..converter import analysis_from_json, analysis_to_json, without_surrogates
from ..errors import EvalAnalysisError
from ..model import RunAnalysis
from ..names import folder_segment, provider_folder, sanitise_segment
from ..llm.redaction import redact, redact_data, secrets
from ..protocols import Reporter

MAX_SUFFIX = 1000
def report_dir(reports_dir: str | os.PathLike[str], analysis: RunAnalysis) -> Path:
    """`reports/{provider}/{model}/`, with the database's provider and model made safe."""
    return Path(reports_dir) / provider_folder(analysis.run) / folder_segment(analysis.run.model)


def check_inside(root: Path, folder: Path) -> None:
    """Refuse a report folder that a symlink under `root` sends elsewhere: reports stay in the reports
    directory (which may itself be a symlink), and nothing is written outside it."""
    try:
        base = root.resolve()
        step = root
        for part in folder.relative_to(root).parts:
            step = step / part
            target = step.resolve()  # follows every link up to here, existing or not
            if target != base and base not in target.parents:
                raise EvalAnalysisError(
                    f"not writing reports: {step} is a symlink to {target}, outside the reports directory "
                    f"{root}; make it a real folder, or pass the --reports-dir you meant"
                )
    except (OSError, RuntimeError) as exc:  # a symlink loop, or a folder we may not look into
        raise EvalAnalysisError(f"not writing reports: cannot follow the folders under {root}: {exc}") from None


def report_stem(analysis: RunAnalysis) -> str:
    """`{runIdPrefix}_{date}`: the seed's file name without suffix. A report over several runs is
    `{firstRunIdPrefix}_{date}_{N}runs`, so that it never passes for the first run's own report of
    that day (which `analyze --replace` of that run rewrites)."""
    stem = f"{sanitise_segment(redact(analysis.run.id))[:8]}_{sanitise_segment(analysis.date)}"
    return f"{stem}_{len(analysis.runs)}runs" if analysis.runs else stem


def redacted(analysis: RunAnalysis) -> RunAnalysis:
    """`analysis` with every secret the process holds masked in its strings, before any reporter escapes them.

    Masking the rendered text as well is not enough on its own: an escaping reporter could split a
    key with backslashes or entities so that no piece of it is left whole to be found.
    """
    if not secrets():
        return analysis
    return analysis_from_json(redact_data(analysis_to_json(analysis)))


def write_new_file(path: Path, text: str) -> None:
    """Write `path` atomically; raise FileExistsError rather than replace an existing file.

    A lone surrogate (JSON may carry one, UTF-8 cannot) is written as U+FFFD.
    """
    text = without_surrogates(text)
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
    text = redact(without_surrogates(text))
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
    rendered, failed = render_each(analysis, reporters)
    if failed:
        raise failed[0][1]
    return write_rendered(analysis, list(rendered.values()), reports_dir)


def render_each(
    analysis: RunAnalysis, reporters: Mapping[str, Reporter]
) -> tuple[dict[str, tuple[str, str]], list[tuple[str, Exception]]]:
    """Each reporter's `(suffix, text)` for `analysis`, every secret masked before and after rendering,
    and the `(name, error)` of the reporters that raised (one broken reporter costs no other)."""
    safe = redacted(analysis)
    rendered: dict[str, tuple[str, str]] = {}
    failed: list[tuple[str, Exception]] = []
    for name, reporter in reporters.items():
        try:
            rendered[name] = (reporter.suffix, redact(reporter.render(safe)))
        except Exception as exc:
            failed.append((name, exc))
    return rendered, failed


def write_rendered(
    analysis: RunAnalysis, rendered: list[tuple[str, str]], reports_dir: str | os.PathLike[str]
) -> list[Path]:
    """Write reports already rendered (`(suffix, text)`, masked) side by side under one free stem of
    `analysis`'s folder; see `write_reports`."""
    folder = report_dir(reports_dir, analysis)
    stem = report_stem(analysis)
    check_inside(Path(reports_dir), folder)
    created = [p for p in (folder, *folder.parents) if not p.exists()]  # removed again if nothing gets written
    try:  # first, so that a file in the way is named as such, not mistaken for a lost race below
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _remove_empty(created)
        raise EvalAnalysisError(f"cannot create the report folder {folder}: {exc.strerror or exc}") from None
    try:
        check_inside(Path(reports_dir), folder)  # again: a link made while the folders were created
        return _write_set(folder, stem, rendered)
    except OSError as exc:
        _remove_empty(created)
        raise EvalAnalysisError(f"cannot write report under {folder}: {exc.strerror or exc}") from None
    except BaseException:
        _remove_empty(created)
        raise


def _write_set(folder: Path, stem: str, rendered: list[tuple[str, str]]) -> list[Path]:
    """Every rendered file under the first free stem, all or none."""
    for n in range(1, MAX_SUFFIX):
        candidate = stem if n == 1 else f"{stem}_{n}"
        paths = [folder / f"{candidate}{suffix}" for suffix, _ in rendered]
        if any(p.exists() or p.is_symlink() for p in paths):
            continue
        written: list[Path] = []
        try:
            for path, (_, text) in zip(paths, rendered):
                write_new_file(path, text)
                written.append(path)
        except FileExistsError:  # lost a race with another writer: move on to the next stem
            _unlink(written)
            continue
        except BaseException:  # a partial set would pass for a whole report
            _unlink(written)
            raise
        return written
    raise EvalAnalysisError(f"too many reports named {stem}* in {folder}")


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders this write created (deepest first), where they are still empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:  # not empty (another writer's reports), or gone: leave it
            break


def replace_reports(analysis: RunAnalysis, reporters: Mapping[str, Reporter], folder: Path, stem: str) -> list[Path]:
    """Render with every reporter, then replace the files `folder/{stem}{suffix}` (for `analyze --replace`).

    Each file is replaced atomically; one that did not exist yet is written as new.
    """
    texts, failed = render_each(analysis, reporters)
    if failed:
        raise failed[0][1]
    rendered = [(folder / f"{stem}{suffix}", text) for suffix, text in texts.values()]
    try:
        for path, text in rendered:
            if path.exists():
                replace_file(path, text)
            else:
                write_new_file(path, text)
    except OSError as exc:
        raise EvalAnalysisError(f"cannot write report under {folder}: {exc.strerror or exc}") from None
    return [path for path, _ in rendered]
