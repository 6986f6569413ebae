"""Where the site goes: OUT is created when missing, refused when it holds anything but an earlier
site, and only the site's own files are ever written there (nothing is deleted)."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UsageError

INDEX = "index.html"
# The file that marks a folder as a site of ours: a later build may replace its index.html.
MARKER = ".evalanalysis-site"
MARKER_TEXT = "evalanalysis.site/1\nThis folder holds a site written by `evalanalysis site`; it rewrites index.html here.\n"


def check_out(out: Path) -> None:
    """Refuse an OUT that is not a folder, or a non-empty folder that is not an earlier site."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder; pass -o with a new or empty folder")
    if out.is_dir():
        try:
            entries = os.listdir(out)
        except OSError as exc:
            raise UsageError(f"cannot read {out} ({exc.strerror or exc})") from None
        if entries and not (out / MARKER).is_file():
            raise UsageError(f"{out} is not empty and is not a site written by `evalanalysis site`; "
                             "pass -o with a new or empty folder (nothing was written)")


def write_site(out: Path, page: str) -> Path:
    """Write the site's `index.html` (and its marker) into `out`; returns the page's path."""
    from ..pipeline.reportfile import replace_file, write_new_file

    check_out(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        marker = out / MARKER
        if not marker.exists():
            write_new_file(marker, MARKER_TEXT)
        index = out / INDEX
        if index.exists() or index.is_symlink():
            if not index.is_file() or index.is_symlink():
                raise UsageError(f"{index} is not a regular file; not replaced")
            replace_file(index, page)
        else:
            write_new_file(index, page)
    except OSError as exc:
        raise UsageError(f"cannot write the site into {out} ({exc.strerror or exc})") from None
    return index


def reports_base(out: Path, reports_dir: Path) -> str:
    """The URL path from the site's folder to the reports directory, ending in `/` (`../reports/`)."""
    from urllib.parse import quote

    rel = os.path.relpath(reports_dir.resolve(), out.resolve())
    parts = [] if rel == "." else Path(rel).parts
    return "".join(quote(part, safe="") + "/" for part in parts)
