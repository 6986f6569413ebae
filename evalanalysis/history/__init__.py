"""History: what earlier reports found, for repeats, cross-model evidence and actions already taken.

`parse_report` reads one report's text; `open_history` indexes a reports
directory (cached on disk) and implements the `History` and `ActionLog` roles.

Names are imported on first use: opening a cached index needs neither the
report reader nor the markdown parser, so a new process that only looks
things up never loads them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from .. import lazy_exports

if TYPE_CHECKING:
    from .index import DeferredHistory, ReportIndex

# module -> the names it exports from this package
_EXPORTS: dict[str, tuple[str, ...]] = {
    "..names": ("model_key", "other_models", "same_run"),
    "index": ("DeferredHistory", "ReportIndex", "open_history", "read_report"),
    "reader": ("PARSER_VERSION", "parse_report"),
    "records": ("ActionEntry", "ReportFinding", "ReportRecord"),
}
__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)


def _export(name: str) -> Any:
    """A name of this package as callers see it (so replacing `evalanalysis.history.open_history` still counts)."""
    return globals()[name] if name in globals() else __getattr__(name)


def history_from_settings(settings, reports_dir: str | os.PathLike[str] | None = None) -> ReportIndex:
    """The index of `reports_dir` (default `analyze.reports_dir`), using the disk cache unless it is disabled."""
    return _export("open_history")(
        reports_dir if reports_dir is not None else settings.analyze.reports_dir,
        taxonomy=settings.taxonomy,
        cache_dir=settings.cache.path if settings.cache.enabled else None,
    )


__all__ = [
    "PARSER_VERSION",
    "ActionEntry",
    "DeferredHistory",
    "ReportFinding",
    "ReportIndex",
    "ReportRecord",
    "history_from_settings",
    "model_key",
    "open_history",
    "parse_report",
    "read_report",
    "same_run",
]
