"""Retrying a provider request, with every wait ours and capped.

The provider SDKs retry by themselves and sleep as long as a `retry-after`
header says (Anthropic's up to days). The LLM classifiers therefore build
their SDK clients with `max_retries=0` and call `send_with_retries`, which
reads only documented attributes of the SDKs' errors: `status_code`, and the
headers of `response`. A server that asks for a longer wait than
`classifier.max_retry_wait` gets no retry: that one failure is marked not
analysed, with a reason that says how long the provider asked to wait.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import math
import random
from typing import Awaitable, Callable, Mapping, TypeVar

from ..errors import ClassifierError

T = TypeVar("T")

BACKOFF = 0.5  # seconds before the first retry when the server names no wait; doubled each time
BACKOFF_CAP = 8.0


def retryable_status(status: int) -> bool:
    """Statuses worth another try: timeout, conflict, rate limit, server errors (Anthropic's 529 too)."""
    return status in (408, 409, 429) or status >= 500


def asked_wait(headers: Mapping[str, str] | None, now: dt.datetime | None = None) -> float | None:
    """Seconds the server asks to wait: `retry-after-ms`, else `retry-after` (seconds or an HTTP date).

    None when neither is there or readable; a date in the past is 0.
    """
    if not headers:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        try:
            seconds = float(value) * scale
        except ValueError:
            if name == "retry-after-ms":
                continue
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                continue
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.timezone.utc)
            seconds = (when - (now or dt.datetime.now(dt.timezone.utc))).total_seconds()
        if math.isfinite(seconds):
            return max(0.0, seconds)
    return None


def backoff(retry: int) -> float:
    """The wait before retry number `retry` (0 first) when the server names none: exponential, jittered."""
    return min(BACKOFF * 2**retry, BACKOFF_CAP) * random.uniform(0.75, 1.0)


def _headers(exc: BaseException) -> Mapping[str, str] | None:
    headers = getattr(getattr(exc, "response", None), "headers", None)
    return headers if hasattr(headers, "get") else None


async def send_with_retries(
    send: Callable[[], Awaitable[T]],
    *,
    errors: type[BaseException] | tuple[type[BaseException], ...],
    transient: type[BaseException] | tuple[type[BaseException], ...],
    fail: Callable[[BaseException], ClassifierError],
    max_retries: int,
    max_wait: float,
) -> T:
    """`await send()`, retried up to `max_retries` times on a transient fault.

    `errors` are the SDK's error classes; one of them that ends the attempts is
    raised as `fail(exc)`. Retried: an HTTP error with a retryable status (or
    `x-should-retry: true`), and any of `transient` (connection errors,
    timeouts), unless `x-should-retry: false` says not to. The wait is what
    the server asks for, else exponential backoff; a server asking for more
    than `max_wait` seconds is not retried, and the error says how long it asked.
    """
    retry = 0
    while True:
        try:
            return await send()
        except errors as exc:
            status = getattr(exc, "status_code", None)
            headers = _headers(exc)
            should = (headers.get("x-should-retry") or "").strip().lower() if headers else ""
            if should == "false":
                wanted = False
            elif should == "true":
                wanted = True
            elif isinstance(status, int):
                wanted = retryable_status(status)
            else:
                wanted = isinstance(exc, transient)
            if not wanted:
                raise fail(exc) from None
            asked = asked_wait(headers)
            if asked is not None and asked > max_wait:
                error = fail(exc)
                raise type(error)(
                    f"{error}; the provider asked to wait {_seconds(asked)} before retrying, longer than "
                    f"classifier.max_retry_wait ({_seconds(max_wait)}), so it was not retried"
                ) from None
            if retry >= max_retries:
                raise fail(exc) from None
            await asyncio.sleep(asked if asked is not None else min(backoff(retry), max_wait))
            retry += 1


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value >= 10 else f"{value:.3g} s"
