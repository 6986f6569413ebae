"""The on-disk cache of LLM results, so a re-run of the same prompts costs nothing.

Key: sha256 of (prompt version, kind, provider, model, taxonomy, exact system
text, exact user message). Value: the validated result and the usage that
produced it, as JSON. Entries are written to a temporary file and moved into
place with `os.replace`, so concurrent runs never see half an entry; an entry
that does not parse is treated as missing. Only results are stored: never a
request, a header or an API key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..config import CacheSettings
from ..converter import report as report_converter
from ..model import Taxonomy, Usage
from .prompt import PROMPT_VERSION
from .redaction import redact_data

FORMAT = "evalanalysis.llm-cache/1"


def cache_key(*, kind: str, provider: str, model: str, taxonomy: Taxonomy, system: str, user: str) -> str:
    """The hex sha256 naming one LLM result."""
    material = json.dumps(
        [FORMAT, PROMPT_VERSION, kind, provider, model, report_converter.unstructure(taxonomy), system, user],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


class ResultCache:
    """LLM results on disk under `<root>/llm/<key[:2]>/<key>.json`; a no-op when disabled."""

    def __init__(self, root: Path | None, *, enabled: bool = True):
        self.root = Path(root) / "llm" if root is not None else None
        self.enabled = enabled and root is not None
        self.warned = False

    @classmethod
    def from_settings(cls, settings: CacheSettings) -> ResultCache:
        return cls(settings.path, enabled=settings.enabled)

    def path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str, kind: str) -> tuple[Any, Usage] | None:
        """The cached (result JSON, usage) for `key`, or None when absent, disabled or unreadable."""
        if not self.enabled:
            return None
        try:
            with self.path(key).open("rb") as f:
                entry = json.load(f)
            if entry.get("format") != FORMAT or entry.get("key") != key or entry.get("kind") != kind:
                return None
            return entry["result"], report_converter.structure(entry.get("usage") or {}, Usage)
        except Exception:  # a missing, truncated or foreign entry is a miss, never an error
            return None

    def put(self, key: str, kind: str, result: Any, usage: Usage, *, provider: str, model: str) -> None:
        """Store `result` (JSON data) atomically; a cache that cannot be written is skipped, with one warning."""
        if not self.enabled:
            return
        entry = {
            "format": FORMAT,
            "key": key,
            "kind": kind,
            "provider": provider,
            "model": model,
            "prompt_version": PROMPT_VERSION,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "usage": report_converter.unstructure(usage),
            "result": result,
        }
        entry = redact_data(entry)  # an answer that quotes a key back never reaches the disk with it
        target = self.path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:12]}.", suffix=".tmp", dir=target.parent)
        except OSError as exc:
            return self._warn(exc)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(entry, f, ensure_ascii=False)
            os.replace(tmp, target)
        except OSError as exc:
            self._warn(exc)
            try:
                os.unlink(tmp)
            except OSError:
                pass

    def _warn(self, exc: OSError) -> None:
        """Say once that results are not being cached: the analysis goes on, but a re-run will cost again."""
        if not self.warned:
            self.warned = True
            sys.stderr.write(f"warning: cannot write the LLM cache in {self.root} ({exc.strerror or exc}); results are not cached\n")
