"""`evalanalysis plugins` and `evalanalysis config`: what is installed and what is configured."""

from __future__ import annotations

import datetime as dt
import json

import click

from ..config import describe
from ..pipeline.workspace import Workspace
from .common import config_option, workspace


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins_command(as_json: bool) -> None:
    """List installed sources, classifiers and reporters, and any plugin too broken to load (with why)."""
    reg = Workspace.plugins()
    rows = [
        {"role": role, "name": r.name, "module": r.module}
        for role in reg.ROLES
        for r in reg.registrations(role)
    ]
    rows += [{"role": "broken", "name": b.name, "module": b.module, "error": b.reason} for b in reg.broken]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for role in reg.ROLES:
        click.echo(f"{role}s:")
        for r in reg.registrations(role):
            click.echo(f"  {r.name:<12} {r.module}")
    if reg.broken:
        click.echo("broken (not loaded):")
        for b in reg.broken:
            click.echo(f"  {b.name:<12} {b.module}: {b.reason}")


@click.command("config")
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def config_command(config_file: str | None, as_json: bool) -> None:
    """Show the resolved settings and where each came from."""
    rows = describe(workspace(config_file, {}).settings)
    if as_json:
        click.echo(json.dumps([{"key": k, "value": v, "origin": o} for k, v, o in rows], indent=2, default=_json_value))
        return
    width = max(len(k) for k, _, _ in rows)
    for key, value, origin in rows:
        shown = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else value
        click.echo(f"{key:<{width}}  {shown!s:<40}  ({origin})")


def _json_value(value: object) -> object:
    """What JSON cannot hold as is: tuples as lists, TOML dates and times as ISO strings."""
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    return str(value)


COMMANDS = [plugins_command, config_command]
