"""The static site over every report of a reports directory (`evalanalysis site`).

`load_reports` reads the directory (the history index's cache for the markdown
reports, JSON siblings preferred), `build_index` computes what the site shows
(pure), `render_site` writes it as one self-contained page, `write_site` puts it
in its folder.
"""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS: dict[str, tuple[str, ...]] = {
    "index": ("KnownGapCandidate", "SiteFailure", "SiteIndex", "SiteReport", "build_index", "parse_rate"),
    "load": ("load_reports",),
    "output": ("check_out", "reports_base", "write_site"),
    "render": ("render_site",),
}
__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)

__all__ = [
    "KnownGapCandidate",
    "SiteFailure",
    "SiteIndex",
    "SiteReport",
    "build_index",
    "check_out",
    "load_reports",
    "parse_rate",
    "render_site",
    "reports_base",
    "write_site",
]
