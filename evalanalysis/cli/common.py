"""What every subcommand shares: error handling, settings from flags, the plugin registry."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import traceback
from typing import TYPE_CHECKING, Any, Iterator

import click

from ..errors import EvalAnalysisError, UsageError
from ..llm.redaction import redact

if TYPE_CHECKING:
    from ..config import Settings
    from ..plugins import PluginRegistry


class EvalAnalysisGroup(click.Group):
    """Turns our errors into one or two plain lines and the SPEC exit code; `--debug` shows tracebacks."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `--debug` is a group option, but people add it after the command when an error surprises them.
        cut = args.index("--") if "--" in args else len(args)
        if "--debug" in args[:cut]:
            ctx.meta[DEBUG] = True
            args = [a for a in args[:cut] if a != "--debug"] + args[cut:]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        with masked_output():
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EvalAnalysisError as exc:
            if _debug(ctx):
                _print_traceback(exc)
                ctx.exit(exc.exit_code)
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug: still no traceback unless asked for
            if _debug(ctx):
                _print_traceback(exc)
                ctx.exit(1)
            first = (redact(str(exc)).strip().splitlines() or [""])[0][:300]
            click.echo(f"error: unexpected {type(exc).__name__}: {first} (rerun with --debug for details)", err=True)
            ctx.exit(1)


DEBUG = "evalanalysis.debug"


def _print_traceback(exc: BaseException) -> None:
    """`--debug`: the whole traceback, with every secret masked (an exception's text may quote a key)."""
    sys.stderr.write(redact("".join(traceback.format_exception(exc))))
    sys.stderr.flush()


class _MaskingStream:
    """A text stream that masks every secret in what is written to it, and is otherwise the stream it wraps."""

    def __init__(self, stream: Any):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(redact(text) if isinstance(text, str) else text)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def masked_output() -> Iterator[None]:
    """While a command runs, whatever reaches stdout or stderr (summaries, --json, errors, warnings,
    progress) has every secret of the process masked: the last line of defence, whatever a server echoed."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _MaskingStream(sys.stdout), _MaskingStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.meta.get(DEBUG)) or bool(os.environ.get("EVALANALYSIS_DEBUG"))


def settings_from(config_file: str | None, overrides: dict[str, Any]) -> Settings:
    """Settings with the command line's values on top."""
    from ..config import load_config  # cattrs and platformdirs: only for the commands that read settings

    return load_config(config_file, overrides={k: v for k, v in overrides.items() if v is not None})


def registry() -> PluginRegistry:
    from ..plugins import PluginRegistry, get_plugin_manager  # pluggy and the entry points: only for the commands that use plugins

    return PluginRegistry(get_plugin_manager())


def parse_formats(value: str | None) -> list[str] | None:
    if value is None:
        return None
    formats = [part.strip() for part in value.split(",") if part.strip()]
    if not formats:
        raise UsageError("--format needs at least one of markdown, json, html")
    return formats


def check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A click callback: `value` as an ISO date, or a usage error saying the format."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; expected YYYY-MM-DD") from None


class PathArg(click.Path):
    """`click.Path` that refuses a NUL character with a usage error (exit 2); click itself would
    stat the path and fail with "embedded null byte" as if the tool had a bug."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and "\0" in value:
            self.fail(f"{value!r} contains a NUL character, which no path may hold", param, ctx)
        return super().convert(value, param, ctx)


config_option = click.option(
    "--config", "config_file", type=PathArg(dir_okay=False), help="Config file to use instead of ./evalanalysis.toml."
)
