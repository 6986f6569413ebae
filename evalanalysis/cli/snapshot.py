"""`evalanalysis snapshot RUN -o FILE`: save a run as a bundle."""

from __future__ import annotations

from pathlib import Path

import click

from ..runref import resolve_run
from ..pipeline.snapshot import bundle_text, write_bundle
from .common import PathArg, config_option, workspace
from .terminal import printable


@click.command("snapshot")
@click.argument("run")
@click.option("-o", "--output", required=True, type=PathArg(dir_okay=False, allow_dash=True), help="Bundle file to write (must not exist); - writes to stdout.")
@click.option("--source", "source_name", help="Source plugin to read from (default: convex, or bundle for a .json).")
@click.option("--concurrency", type=click.IntRange(min=1), help="Debug-info fetches in flight at once.")
@config_option
def snapshot_command(run: str, output: str, source_name: str | None, concurrency: int | None, config_file: str | None) -> None:
    """Save RUN (id, visualizer URL or bundle) as a bundle FILE for offline analysis (`-o -`: stdout)."""
    space = workspace(config_file, {"analyze.source": source_name, "analyze.concurrency": concurrency})
    ref = resolve_run(run)
    to_stdout = output == "-"
    out = Path(output)
    if not to_stdout and (out.exists() or out.is_symlink()):
        raise click.UsageError(f"{out} already exists; choose another -o path")
    bundle = space.snapshot(ref, source_name)
    failed = len(bundle["evals"])
    errors = sum(1 for v in bundle["evals"].values() if isinstance(v, dict) and set(v) == {"error"})
    what = f"run {printable(bundle['summary']['run']['_id'])}, {failed} failed evals" + (f" ({errors} without debug info)" if errors else "")
    if to_stdout:  # the bundle alone on stdout, so it can be piped; the note goes to stderr
        click.echo(bundle_text(bundle), nl=False)
        click.echo(f"wrote the bundle to stdout: {what}", err=True)
        return
    write_bundle(out, bundle)
    click.echo(f"wrote {out}: {what}")


COMMANDS = [snapshot_command]
