"""Turn what the user typed (run id, visualizer URL, bundle path) into a `RunRef`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from attrs import frozen

from .errors import BadInput
from .names import is_convex_id

EXPECTED = (
    "expected a Convex run id (e.g. jn72t14a0tmje3jrj9wwng78gh80mdfw), a visualizer URL containing "
    "/run/<runId>, or a path to a run bundle (.json)"
)


@frozen
class RunRef:
    """A resolved run: `run_id` for a source, and `bundle` when the user gave a bundle file."""

    run_id: str | None
    bundle: Path | None = None


def resolve_run(text: str) -> RunRef:
    """A `RunRef` for `text`, or `BadInput` saying what was expected."""
    stripped = text.strip()
    if not stripped:
        raise BadInput(f"no run given; {EXPECTED}")
    if "\x00" in stripped:
        raise BadInput(f"{stripped[:80]!r} is not a run; {EXPECTED}")
    if "://" not in stripped and _looks_like_path(stripped) and _is_file(stripped):
        return RunRef(None, bundle=Path(stripped))  # a bundle kept under a folder named run/ is still that bundle
    if "://" in stripped or stripped.startswith(("/experiment/", "experiment/")) or "/run/" in stripped:
        run_id = _run_id_from_url(stripped)
        if run_id is not None:
            return RunRef(run_id)
        if not _looks_like_path(stripped):
            raise BadInput(f"no /run/<runId> in {stripped[:200]!r}; {EXPECTED}")
    if is_convex_id(stripped):
        return RunRef(stripped)
    if _looks_like_path(stripped):
        path = Path(stripped)
        try:
            if path.is_file():
                return RunRef(None, bundle=path)
            if path.is_dir():
                raise BadInput(f"bundle {_shown(stripped[:200])} is a directory, not a file")
        except (OSError, ValueError):
            pass
        raise BadInput(f"bundle {_shown(stripped[:200])} does not exist")
    raise BadInput(f"{stripped[:200]!r} is not a run; {EXPECTED}")


def _shown(text: str) -> str:
    """A path as typed, quoted when it holds a line break or another control character (an error is one line)."""
    return text if text.isprintable() else repr(text)


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def _looks_like_path(text: str) -> bool:
    return text.lower().endswith(".json") or "/" in text and "://" not in text and not text.startswith("experiment/")


def _run_id_from_url(text: str) -> str | None:
    try:
        path = urlsplit(text).path if "://" in text else text.split("?", 1)[0].split("#", 1)[0]
    except ValueError:
        return None
    segments = [unquote(s) for s in path.split("/")]
    # Every segment after a `run` one: an experiment may itself be named "run" (/experiment/run/run/<id>).
    candidates = [segments[i + 1] for i, segment in enumerate(segments[:-1]) if segment == "run"]
    for candidate in candidates:
        if is_convex_id(candidate):
            return candidate
    if candidates:
        raise BadInput(f"{candidates[0][:80]!r} after /run/ is not a Convex run id; {EXPECTED}")
    return None
