"""`evalanalysis logs`: the prompt log, newest first (every prompt sent to an LLM and its answer)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import click

from ..config import load_config
from ..errors import UsageError
from ..llm.log import LOG_FILE, read_entries
from .common import config_option
from .terminal import printable

ANSWER_SHOWN = 400
"""Characters of an answer the readable view shows (`--json` has it whole)."""


@click.command("logs")
@click.option("--run", "run_id", metavar="ID", help="Only prompts of this run (an id or an 8+ character prefix).")
@click.option("--eval", "eval_path", metavar="CATEGORY/NAME", help="Only prompts about this eval (or every eval of a category).")
@click.option("-n", "limit", type=click.IntRange(min=0), default=20, show_default=True, help="Show at most N entries (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per entry, with the full texts.")
@config_option
def logs_command(run_id: str | None, eval_path: str | None, limit: int, as_json: bool, config_file: str | None) -> None:
    """Show the prompt log, newest first: each prompt sent to an LLM, its answer, tokens and latency."""
    settings = load_config(config_file).log
    path = settings.path / LOG_FILE
    try:
        entries = read_entries(settings, run=run_id, eval_path=eval_path, limit=limit or None)
    except (sqlite3.Error, OSError) as exc:
        raise UsageError(f"cannot read the prompt log {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if as_json:
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    if not entries:
        filtered = " matching the filters" if run_id or eval_path else ""
        state = "" if settings.enabled else " (logging is off: [log] enabled = false)"
        click.echo(f"No prompts logged{filtered} in {path}{state}.")
        return
    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal:
        click.echo("\n".join(printable(line) for line in render_plain(entries)))
        return
    print_rich(entries, console)


def _headline(e: dict[str, Any]) -> str:
    what = e["eval_path"] or ("synthesis" if e["kind"] == "synthesis" else "?")
    run = (e["run_id"] or "?")[:12]
    return f"{e['time'][:19].replace('T', ' ')}  {e['classifier']}  run {run}  {what}"


def _facts(e: dict[str, Any]) -> str:
    parts = []
    if e["from_cache"]:
        parts.append("from cache")
    if e.get("batch_id"):
        parts.append(f"batch {e['batch_id']}")
    if e["verdict"]:
        parts.append(f"verdict {e['verdict']}")
    if e["input_tokens"] is not None or e["output_tokens"] is not None:
        tokens = f"{e['input_tokens'] or 0} in / {e['output_tokens'] or 0} out tokens"
        cache = [f"{n} {what}" for n, what in ((e["cache_read_tokens"], "cache read"), (e["cache_write_tokens"], "cache write")) if n]
        parts.append(tokens + (f" ({', '.join(cache)})" if cache else ""))
    if e["latency_ms"] is not None:
        parts.append(f"{e['latency_ms'] / 1000:.2f} s")
    parts.append(f"prompt {len(e['system'] or '') + len(e['user'] or '')} chars")
    return ", ".join(parts)


def _answer(e: dict[str, Any]) -> str:
    text = " ".join((e["answer"] or "").split())
    return text[:ANSWER_SHOWN] + ("…" if len(text) > ANSWER_SHOWN else "")


def _footer(entries: list[dict[str, Any]]) -> str:
    count = "1 entry" if len(entries) == 1 else f"{len(entries)} entries, newest first"
    return f"{count}; --json shows the prompts and answers whole."


def render_plain(entries: list[dict[str, Any]]) -> list[str]:
    lines = []
    for e in entries:
        lines += [_headline(e), f"  {_facts(e)}"]
        if e["error"]:
            lines.append(f"  error: {' '.join(e['error'].split())}")
        if e["answer"]:
            lines.append(f"  answer: {_answer(e)}")
    lines.append(_footer(entries))
    return lines


def print_rich(entries: list[dict[str, Any]], console: Any) -> None:
    """One block per entry; every logged text is untrusted, so it is given as Text, never as markup."""
    from rich.text import Text

    for e in entries:
        console.print(Text(printable(_headline(e)), style="bold"))
        console.print(Text("  " + printable(_facts(e)), style="dim"))
        if e["error"]:
            console.print(Text("  error: " + printable(" ".join(e["error"].split())), style="red"))
        if e["answer"]:
            console.print(Text("  answer: " + printable(_answer(e))))
    console.print(Text(_footer(entries), style="dim"))


COMMANDS = [logs_command]
