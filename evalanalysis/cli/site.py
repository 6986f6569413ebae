"""`evalanalysis site --reports-dir DIR -o OUT`: a static, browsable index over every report."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import UsageError
from .common import PathArg, config_option, workspace


@click.command("site")
@click.option("--reports-dir", type=PathArg(file_okay=False), help="Where reports/{provider}/{model}/ live (default: analyze.reports_dir).")
@click.option("-o", "--output", "out", required=True, type=PathArg(), help="Folder to write index.html into (created if missing).")
@click.option("--title", default="Eval reports", show_default=True, help="The page's title.")
@config_option
def site_command(reports_dir: str | None, out: str, title: str, config_file: str | None) -> None:
    """Write a static site over every report: pass rates over time, latest failures by eval and model, known-gap candidates."""
    from ..site import build_index, check_out, load_reports, render_site, reports_base, write_site
    from .terminal import printable

    space = workspace(config_file, {"analyze.reports_dir": reports_dir})
    settings = space.settings
    folder = Path(settings.analyze.reports_dir)
    if not folder.is_dir():
        raise UsageError(f"reports directory {folder} does not exist; pass --reports-dir DIR")
    target = Path(out)
    check_out(target)  # refuse before reading any report
    cache_dir = settings.cache.path if settings.cache.enabled else None
    reports, warnings = load_reports(folder, taxonomy=settings.taxonomy, cache_dir=cache_dir)
    for warning in warnings:
        click.echo(f"warning: {printable(warning)}", err=True)
    index = build_index(reports, warnings)
    page = render_site(index, reports_base(target, folder), title=title, source=os.fspath(folder))
    written = write_site(target, page)
    click.echo(
        f"Wrote {printable(str(written))}: {len(index.reports)} reports, {index.models} models, "
        f"{len(index.rows)} failing evals, {len(index.candidates)} known-gap candidates"
    )


COMMANDS = [site_command]
