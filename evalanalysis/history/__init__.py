"""History: what earlier reports found, for repeats, cross-model evidence and actions already taken.

`parse_report` reads one report's text; `open_history` indexes a reports
directory (cached on disk) and implements the `History` and `ActionLog` roles.
"""

from __future__ import annotations

import os

from ..names import model_key, other_models, same_run
from .index import DeferredHistory, ReportIndex, open_history, read_report
from .reader import PARSER_VERSION, parse_report
from .records import ActionEntry, ReportFinding, ReportRecord


def history_from_settings(settings, reports_dir: str | os.PathLike[str] | None = None) -> ReportIndex:
    """The index of `reports_dir` (default `analyze.reports_dir`), using the disk cache unless it is disabled."""
    return open_history(
        reports_dir if reports_dir is not None else settings.analyze.reports_dir,
        taxonomy=settings.taxonomy,
        cache_dir=settings.cache.path if settings.cache.enabled else None,
    )


def deferred_history(settings, reports_dir: str | os.PathLike[str] | None = None) -> DeferredHistory:
    """Like `history_from_settings`, but the reports are read only when the first failure asks."""
    return DeferredHistory(lambda: history_from_settings(settings, reports_dir))


__all__ = [
    "PARSER_VERSION",
    "ActionEntry",
    "DeferredHistory",
    "ReportFinding",
    "ReportIndex",
    "ReportRecord",
    "deferred_history",
    "history_from_settings",
    "model_key",
    "open_history",
    "parse_report",
    "read_report",
    "same_run",
]
