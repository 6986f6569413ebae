"""Source `convex`: read a run from a Convex deployment the way `npx convex run --prod` does.

Each call is `POST <url>/api/function` with `{"path", "args", "format": "json"}`
and `Authorization: Convex <admin key>`, through one shared `httpx2.AsyncClient`.
The calls only read, so transport errors, 408, 429 and 5xx are retried with
capped exponential backoff and jitter. Nothing fetched is kept: each eval's
debug info goes straight to the caller.

Its settings are the `[plugins.convex]` table (an old `[convex]` table is read
as that one), structured and checked here by `ConvexOptions`.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import math
import os
import random
import re
import socket
import sys
import time
import urllib.parse
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Callable, Mapping

import httpx2
from attrs import frozen

from evalanalysis import (
    MAX_NESTING,
    BadInput,
    ConfigError,
    EvalDetail,
    FailedEval,
    RunSummary,
    Settings,
    SourceError,
    SourceUnavailable,
    UsageError,
    hookimpl,
    is_convex_id,
    json_type,
    nesting_depth_over,
    redact,
    register_secret,
    structure_eval_detail,
    structure_run_summary,
)

NAME = "convex"
KEY_VARIABLES = ("CONVEX_DEPLOY_KEY", "CONVEX_SELF_HOSTED_ADMIN_KEY")
URL_VARIABLES = ("CONVEX_URL", "CONVEX_SELF_HOSTED_URL")
RETRY_AFTER_CAP = 30.0  # seconds; a longer Retry-After is shortened to this, then the retry budget decides
BACKOFF_CAP = 8.0
# A deployment without the function: every later call would fail the same way.
MISSING_FUNCTION = re.compile(r"Could not find (?:public )?function for")
UDF_FAILED = 560  # the status some backends use for a function error instead of 200
_KEY_SHAPE = re.compile(r"[\x21-\x7e]+")  # printable ASCII without spaces: safe in a header, never echoed


@hookimpl
def register_sources(register):
    register(NAME, ConvexSource.from_settings)


@frozen
class ConvexOptions:
    """`[plugins.convex]`: the deployment to read runs from. The key comes from the environment only."""

    url: str | None = None
    failed_evals_function: str = "debugQueries:getFailedEvalsForRun"
    eval_debug_function: str = "debug:getEvalDebugInfo"
    timeout: float = 60.0
    max_retries: int = 3
    retry_backoff: float = 0.5

    @classmethod
    def from_settings(cls, settings: Settings) -> ConvexOptions:
        """The options in `settings`, or a one-line `ConfigError` naming the key and where its value came from."""
        return cls.read(settings.plugin_options(NAME), settings.origins)

    @classmethod
    def read(cls, options: Any, origins: Mapping[str, str]) -> ConvexOptions:
        table = f"plugins.{NAME}"
        if not isinstance(options, Mapping):
            raise ConfigError(f"{origins.get(table, 'configuration')}: {table} must be a table ([{table}])")
        values = {}
        for key, value in options.items():
            where = f"{table}.{key}"
            origin = origins.get(where) or origins.get(table) or "configuration"
            kind = _OPTION_TYPES.get(key)
            if kind is None:
                raise ConfigError(f"{origin}: unknown key {where}; known keys: {', '.join(sorted(_OPTION_TYPES))}")
            try:
                values[key] = _option_value(value, kind, origin)
            except ValueError as exc:
                raise ConfigError(f"{origin}: bad value for {where}: {exc}") from None
        read = cls(**values)

        def fail(key: str, message: str) -> None:
            raise ConfigError(f"{origins.get(f'{table}.{key}', 'configuration')}: {table}.{key} {message}")

        if read.timeout <= 0:
            fail("timeout", "must be positive")
        if read.max_retries < 0:
            fail("max_retries", "must be 0 or more")
        if read.retry_backoff < 0:
            fail("retry_backoff", "must be 0 or more")
        return read


_OPTION_TYPES: dict[str, type] = {
    "url": str,
    "failed_evals_function": str,
    "eval_debug_function": str,
    "timeout": float,
    "max_retries": int,
    "retry_backoff": float,
}
MAX_INT = 2**53  # as for every number in a config: beyond it, no setting is exact or meant


def _digits(value: int) -> str:
    return f"a {len(str(abs(value))) if value.bit_length() < 10_000 else 'many thousand'}-digit number"


def _option_value(value: Any, kind: type, origin: str) -> Any:
    """`value` as `kind`, or `ValueError` saying what was expected and what came.

    A value from the environment is text: the core cannot know this plugin's types, so it is read here.
    """
    if kind is not str and isinstance(value, str) and origin.startswith("environment "):
        try:
            value = int(value) if kind is int else float(value)
        except ValueError:
            article = "an integer" if kind is int else "a number"
            raise ConfigError(f"{origin}={value!r}: expected {article}") from None
    if kind is str:
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {json_type(value)}")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected an integer, got {json_type(value)}")
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"expected an integer, got {value!r}")
        if abs(value) > MAX_INT:
            raise ValueError(f"expected an integer of at most 2**53, got {_digits(value) if isinstance(value, int) else repr(value)}")
        return int(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number, got {json_type(value)}")
    if isinstance(value, int) and abs(value) > MAX_INT:
        raise ValueError(f"expected a number of at most 2**53, got {_digits(value)}")
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    return float(value)


def _client_version() -> str:
    try:
        return version("evalanalysis")
    except PackageNotFoundError:
        return "0"


def _stderr_note(text: str) -> None:
    print(f"note: {text}", file=sys.stderr, flush=True)


def deployment_name(key: str) -> tuple[str | None, str | None]:
    """(kind, name) of a `prod:<name>|...` or `dev:<name>|...` deploy key; (None, None) for other shapes."""
    head = key.split("|", 1)[0]
    kind, sep, name = head.partition(":")
    if sep and kind in ("prod", "dev") and re.fullmatch(r"[a-z0-9-]+", name or ""):
        return kind, name
    return None, None


def resolve_deployment(url: str | None, env: Mapping[str, str], note: Callable[[str], None]) -> tuple[str, str, str, str]:
    """(url, how the url was chosen, admin key, the variable holding the key) from config and environment."""
    key_variable = next((name for name in KEY_VARIABLES if env.get(name, "").strip()), None)
    if key_variable is None:
        raise UsageError(
            "no Convex admin key: set CONVEX_DEPLOY_KEY (or CONVEX_SELF_HOSTED_ADMIN_KEY) to an admin or "
            "production deploy key, or analyse a bundle file instead"
        )
    key = env[key_variable].strip()
    if not _KEY_SHAPE.fullmatch(key):
        raise UsageError(f"{key_variable} holds spaces or characters that cannot go in an HTTP header; check its value")
    kind, name = deployment_name(key)
    origin = "plugins.convex.url"
    if not url:
        url_variable = next((v for v in URL_VARIABLES if env.get(v, "").strip()), None)
        if url_variable is not None:
            url, origin = env[url_variable].strip(), url_variable
        elif name is not None:
            url, origin = f"https://{name}.convex.cloud", f"derived from {key_variable}"
            note(
                f"no CONVEX_URL set; guessed {url} from the deployment name in {key_variable} "
                "(set CONVEX_URL if the deployment lives elsewhere)"
            )
        else:
            raise UsageError(
                f"no Convex URL: set CONVEX_URL (or CONVEX_SELF_HOSTED_URL, or plugins.convex.url in the config); "
                f"the key in {key_variable} does not name a deployment to derive it from"
            )
    _check_url(url, origin)
    if kind == "dev":
        note(f"{key_variable} is a dev deployment key: runs are read from development deployment {name}, not production")
    return url.rstrip("/"), origin, key, key_variable


def _check_url(url: str, origin: str) -> None:
    """Refuse, before any request, a URL no HTTP client could use: each would fail only mid-run, and obscurely."""
    def bad(why: str) -> UsageError:
        return UsageError(f"Convex URL {url[:200]!r} ({origin}) {why}")

    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port  # raises for a port outside 0-65535 or not a number
    except ValueError as exc:
        raise bad(f"cannot be read: {exc}") from None
    if parts.scheme not in ("http", "https") or not url.lower().startswith(("http://", "https://")):
        raise bad("must start with http:// or https://")
    if not parts.hostname:
        raise bad("names no host")
    if port == 0:
        raise bad("has port 0; a port is 1 to 65535")
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        raise bad("holds spaces or control characters")
    try:
        httpx2.URL(url)
    except (httpx2.InvalidURL, ValueError) as exc:
        raise bad(f"cannot be read: {exc}") from None


class ConvexSource:
    """Reads failure summaries and eval debug infos from one Convex deployment.

    Use as `async with ConvexSource(...)`, or call `aclose()` when done: the
    HTTP client is created on first use inside the running event loop.
    """

    def __init__(
        self,
        url: str,
        admin_key: str,
        *,
        key_variable: str = "CONVEX_DEPLOY_KEY",
        url_origin: str = "plugins.convex.url",
        failed_evals_function: str = "debugQueries:getFailedEvalsForRun",
        eval_debug_function: str = "debug:getEvalDebugInfo",
        timeout: float = 60.0,
        max_retries: int = 3,
        retry_backoff: float = 0.5,
        pool_size: int = 4,
    ):
        self.url = self.location = url.rstrip("/")
        self._key = admin_key
        register_secret(admin_key, "[Convex key]")  # the whole key and its secret part after `|`, masked everywhere
        self.key_variable = key_variable
        self.url_origin = url_origin
        self.failed_evals_function = failed_evals_function
        self.eval_debug_function = eval_debug_function
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_backoff = retry_backoff
        self.pool_size = max(1, pool_size)
        self._client: httpx2.AsyncClient | None = None

    def __repr__(self) -> str:  # the key stays out of every repr, log and traceback
        return f"<ConvexSource {self.url} key from {self.key_variable}>"

    @classmethod
    def from_settings(
        cls, settings: Settings, *, env: Mapping[str, str] | None = None, note: Callable[[str], None] = _stderr_note
    ) -> ConvexSource:
        convex = ConvexOptions.from_settings(settings)
        url, origin, key, key_variable = resolve_deployment(convex.url, os.environ if env is None else env, note)
        return cls(
            url,
            key,
            key_variable=key_variable,
            url_origin=origin,
            failed_evals_function=convex.failed_evals_function,
            eval_debug_function=convex.eval_debug_function,
            timeout=convex.timeout,
            max_retries=convex.max_retries,
            retry_backoff=convex.retry_backoff,
            pool_size=settings.analyze.concurrency,
        )

    async def __aenter__(self) -> ConvexSource:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client; the source may be used again afterwards (a new client is made)."""
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    def _http(self) -> httpx2.AsyncClient:
        if self._client is None:
            self._client = httpx2.AsyncClient(
                base_url=self.url,
                timeout=httpx2.Timeout(self.timeout),
                # No cap on connections: the caller's semaphore bounds concurrency, the pool must not lower it.
                limits=httpx2.Limits(max_connections=None, max_keepalive_connections=self.pool_size),
                headers={"Convex-Client": f"evalanalysis-{_client_version()}", "Content-Type": "application/json"},
                follow_redirects=False,
            )
        return self._client

    async def fetch_run(self, run_id: str | None) -> RunSummary | None:
        value = await self.fetch_run_payload(run_id)
        return None if value is None else structure_run_summary(value)

    async def fetch_eval(self, failed: FailedEval) -> EvalDetail:
        value = await self.fetch_eval_payload(failed)
        if isinstance(value, dict) and set(value) == {"error"}:
            raise SourceError(_first_line(value["error"]) or "no debug info")
        return structure_eval_detail(value)

    async def fetch_run_payload(self, run_id: str | None) -> Any:
        """The summary as the deployment sent it (None for an unknown run), checked to parse."""
        if run_id is None:
            raise UsageError("the convex source needs a run id or visualizer URL, not a bundle")
        if not is_convex_id(run_id):
            raise BadInput(f"{run_id[:80]!r} is not a Convex run id")
        value = await self.call(self.failed_evals_function, {"runId": run_id})
        if value is not None:
            try:
                structure_run_summary(value)
            except BadInput as exc:
                raise SourceError(f"{self.failed_evals_function} at {self.url} returned an unexpected shape: {exc}") from None
        return value

    async def fetch_eval_payload(self, failed: FailedEval) -> Any:
        """The debug info as the deployment sent it, its `{error}` form included."""
        if not is_convex_id(failed.id):
            raise SourceError(f"eval id {failed.id[:80]!r} is not a Convex id; not fetched")
        value = await self.call(self.eval_debug_function, {"evalId": failed.id})
        if value is None:
            raise SourceError(f"{self.eval_debug_function} returned null for eval {failed.id}")
        if isinstance(value, dict) and set(value) == {"error"}:  # server text, saved in snapshots: never the key
            return {"error": self._redact(str(value["error"]))}
        return value

    async def call(self, function: str, args: dict[str, Any]) -> Any:
        """The value `function` returns for `args`; `SourceError` for refusals, function errors and exhausted retries."""
        body = {"path": function, "args": args, "format": "json"}
        headers = {"Authorization": f"Convex {self._key}"}
        attempts = self.max_retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = await self._http().post("/api/function", json=body, headers=headers)
            except httpx2.TimeoutException:
                if last:
                    raise SourceError(
                        f"Convex at {self._where()} did not answer {function} within {self.timeout:g} s "
                        f"({_attempts(attempts)})"
                    ) from None
                await asyncio.sleep(self._backoff(attempt))
                continue
            except httpx2.TransportError as exc:
                if last:
                    raise SourceError(
                        f"cannot reach Convex at {self._where()}: {_transport_reason(exc)} ({_attempts(attempts)})"
                    ) from None
                await asyncio.sleep(self._backoff(attempt))
                continue
            status = response.status_code
            if status == 200 or status == UDF_FAILED:
                return self._value(function, response)
            if _retryable(status) and not last:
                await asyncio.sleep(self._retry_delay(attempt, response))
                continue
            raise self._http_error(function, response, attempts if _retryable(status) else 1)
        raise AssertionError("unreachable")  # pragma: no cover

    def _where(self) -> str:
        if self.url_origin.startswith("derived"):
            return f"{self.url} ({self.url_origin}; set CONVEX_URL if that guess is wrong)"
        return self.url

    def _value(self, function: str, response: httpx2.Response) -> Any:
        try:
            payload = response.json()
        except json.JSONDecodeError:
            raise SourceError(
                f"Convex at {self.url} answered {function} with HTTP {response.status_code} that is not JSON"
            ) from None
        except RecursionError:
            raise SourceError(self._too_deep(function)) from None
        except ValueError as exc:  # not UTF-8, or an integer of more than 4,300 digits
            reason = str(exc).split(";", 1)[0].strip()
            raise SourceError(
                f"Convex at {self.url} answered {function} with HTTP {response.status_code} that cannot be read ({reason})"
            ) from None
        if nesting_depth_over(payload):
            raise SourceError(self._too_deep(function))
        if not isinstance(payload, dict) or payload.get("status") not in ("success", "error"):
            raise SourceError(f"Convex at {self.url} answered {function} with an unexpected body (no status)")
        if payload["status"] == "error":
            message = _first_line(self._redact(str(payload.get("errorMessage") or ""))) or "no message"
            error = SourceUnavailable if MISSING_FUNCTION.match(message) else SourceError
            raise error(f"Convex function {function} failed at {self.url}: {message}")
        return payload.get("value")

    def _too_deep(self, function: str) -> str:
        return f"Convex at {self.url} answered {function} with a body nested more than {MAX_NESTING} levels deep; not read"

    def _http_error(self, function: str, response: httpx2.Response, attempts: int) -> SourceError:
        code, message = _error_body(response)
        code, message = (self._redact(code) if code else None), (self._redact(message) if message else None)
        status = response.status_code
        if status == 401:
            return SourceUnavailable(
                f"Convex at {self.url} refused the admin key (401 {code or 'Unauthenticated'}); "
                f"set {self.key_variable} to a valid admin or deploy key for this deployment"
            )
        if status == 403:
            return SourceUnavailable(
                f"Convex at {self.url} refused the key as not an admin key (403 {code or 'Forbidden'}); "
                f"set {self.key_variable} to an admin or production deploy key, not a preview or project key"
            )
        detail = f"{code}: {message}" if code and message else (code or message or response.reason_phrase)
        tried = f" ({_attempts(attempts)})" if attempts > 1 else ""
        return SourceError(f"Convex at {self.url} answered {function} with HTTP {status} ({detail}){tried}")

    def _redact(self, text: str) -> str:
        # Server text is echoed to the user; a backend that quotes the key back, whole or any part
        # of its secret, must not leak it.
        return redact(text)

    def _backoff(self, attempt: int) -> float:
        return min(self.retry_backoff * 2**attempt, BACKOFF_CAP) * random.uniform(0.5, 1.0)

    def _retry_delay(self, attempt: int, response: httpx2.Response) -> float:
        asked = _retry_after(response.headers.get("Retry-After"))
        if asked is None:
            return self._backoff(attempt)
        return min(asked, RETRY_AFTER_CAP)


def _retryable(status: int) -> bool:
    return status in (408, 429) or (500 <= status < 600 and status != UDF_FAILED)


def _attempts(n: int) -> str:
    return "1 attempt" if n == 1 else f"{n} attempts"


def _retry_after(value: str | None) -> float | None:
    """Seconds a `Retry-After` header asks for (delta seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_body(response: httpx2.Response) -> tuple[str | None, str | None]:
    try:
        body = response.json()
    except (ValueError, RecursionError):  # not JSON, or nested too deep to read: its first line will do
        text = response.text.strip().splitlines()
        return None, (text[0][:200] if text else None)
    if not isinstance(body, dict):
        return None, None
    code, message = body.get("code"), body.get("message")
    lines = str(message).strip().splitlines() if message else []
    return (str(code) if code else None), (lines[0][:300] if lines else None)


def _causes(exc: BaseException):
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0][:500] if lines else ""


def _transport_reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    for cause in _causes(exc):  # the async stack wraps the OS error as "All connection attempts failed"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return f"host name not found ({cause.strerror or cause})"
    if isinstance(exc, httpx2.RemoteProtocolError):
        return f"the connection closed without a response ({text})" if text else "the connection closed without a response"
    return text or type(exc).__name__
