"""Source `bundle`: a run saved as JSON (`evalanalysis snapshot`), analysed offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evalanalysis import (
    BUNDLE_FORMAT,
    MAX_NESTING,
    BadInput,
    EvalDetail,
    FailedEval,
    RunRef,
    RunSummary,
    Settings,
    SourceError,
    hookimpl,
    nesting_depth_over,
    structure_eval_detail,
    structure_run_summary,
)

@hookimpl
def register_sources(register):
    register("bundle", BundleSource.from_settings)


def read_bundle(path: Path) -> dict[str, Any]:
    """The bundle's JSON, checked for shape; `BadInput` naming the file otherwise."""
    shown = str(path) if str(path).isprintable() else repr(str(path))  # every error below is one line
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise BadInput(f"bundle {shown} does not exist") from None
    except IsADirectoryError:
        raise BadInput(f"bundle {shown} is a directory, not a file") from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"bundle {shown} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"bundle {shown} is not valid JSON: {exc}") from None
    except ValueError as exc:  # what json.loads raises for an integer of more than 4,300 digits
        raise BadInput(f"bundle {shown} holds a number too long to read ({_first_line(exc)})") from None
    except RecursionError:
        raise BadInput(f"bundle {shown} is nested too deeply to be a run bundle") from None
    except OSError as exc:
        raise BadInput(f"bundle {shown} cannot be read: {exc.strerror}") from None
    if nesting_depth_over(data):
        raise BadInput(f"bundle {shown} is nested more than {MAX_NESTING} levels deep; a run bundle never is")
    if not isinstance(data, dict):
        raise BadInput(f"bundle {shown} must hold a JSON object with 'format', 'summary' and 'evals'")
    if data.get("format") != BUNDLE_FORMAT:
        raise BadInput(f"bundle {shown} has format {data.get('format')!r}; expected {BUNDLE_FORMAT!r}")
    if not isinstance(data.get("summary"), dict):
        raise BadInput(f"bundle {shown}: 'summary' must be an object holding the run's failure summary")
    if not isinstance(data.get("evals"), dict):
        raise BadInput(f"bundle {shown}: 'evals' must be an object mapping eval ids to debug infos")
    return data


class BundleSource:
    """Serves the one run a bundle file holds."""

    def __init__(self, path: Path):
        self.path = path
        self.location = str(path)
        data = read_bundle(path)
        self._summary_payload = data["summary"]
        self._summary = _in_file(path, structure_run_summary, self._summary_payload)
        self._evals: dict[str, Any] = data["evals"]

    @classmethod
    def from_settings(cls, settings: Settings, run: RunRef | None = None) -> BundleSource:
        """The bundle the run reference names (a path given as RUN), else `[plugins.bundle] path`."""
        path = run.bundle if run is not None and run.bundle is not None else settings.plugin_options("bundle").get("path")
        if not path:
            raise BadInput("the bundle source needs a bundle file: pass its path as RUN")
        return cls(Path(path))

    async def fetch_run(self, run_id: str | None) -> RunSummary | None:
        if run_id is not None and run_id != self._summary.run.id:
            return None
        return self._summary

    async def fetch_eval(self, failed: FailedEval) -> EvalDetail:
        raw = await self.fetch_eval_payload(failed)
        if isinstance(raw, dict) and set(raw) == {"error"}:
            raise SourceError(str(raw["error"]))
        return _in_file(self.path, structure_eval_detail, raw)

    async def fetch_run_payload(self, run_id: str | None) -> Any:
        return None if await self.fetch_run(run_id) is None else self._summary_payload

    async def fetch_eval_payload(self, failed: FailedEval) -> Any:
        raw = self._evals.get(failed.id)
        if raw is None:
            raise SourceError(f"eval {failed.id} has no debug info in {self.path}")
        return raw


def _first_line(exc: Exception) -> str:
    # Python's own text goes on to name sys.set_int_max_str_digits(), which is no advice for a bundle.
    return str(exc).split(";", 1)[0].strip()


def _in_file(path: Path, structure, data):
    try:
        return structure(data)
    except BadInput as exc:
        raise BadInput(f"bundle {path}: {exc}") from None
