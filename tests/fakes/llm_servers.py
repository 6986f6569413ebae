"""Loopback fakes of the Anthropic Messages API and the OpenAI Chat Completions and Responses APIs.

Each fake is a context manager that runs a threaded HTTP server on 127.0.0.1. Answers and faults come
from a queue (`fake.script(...)`); when the queue is empty, `fake.responder(request_json)` is called.

Point an SDK at a fake in either of two ways:
- `fake.client(**overrides)` returns `anthropic.AsyncAnthropic` / `openai.AsyncOpenAI` aimed at the fake;
- `fake.env()` returns `{"ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"}` or `{"OPENAI_BASE_URL",
  "OPENAI_API_KEY"}`. Put them in the environment (`monkeypatch.setenv`, or a subprocess `env=`) and the
  product's own SDK client, built without `base_url=`/`api_key=`, hits the fake.

Usage: `input_tokens` (default: request bytes // 4) is uncached input, as Anthropic reports it; OpenAI's
`prompt_tokens` / Responses `input_tokens` are input + cache_read + cache_write, with `cached_tokens` =
cache_read. `stop_reason` is Anthropic's word; OpenAI gets the mapped finish_reason / incomplete status.

Prompt cache: unless a reply scripts its own token counts, each fake simulates its provider's cache on the
request's bytes (4 bytes a token). Anthropic caches the prefix up to the last block marked `cache_control`
(tools, then system blocks) once it is 1,024 tokens: `cache_creation_input_tokens` the first time,
`cache_read_input_tokens` after. A live request's prefix is readable once it has answered, as at the
providers: requests in flight together each write it. OpenAI reads the longest earlier-seen prefix of at least 1,024 tokens, in
steps of 128, as `cached_tokens`. `prompt_cache = False` turns it off; `forget_prompt_cache()` empties it.

Batches: `FakeAnthropic` serves Message Batches (`POST /v1/messages/batches`, `GET .../{id}`, the JSONL at
the absolute loopback `results_url`); `FakeOpenAI` serves Files (multipart upload with `purpose=batch`,
`GET /v1/files/{id}/content`) and Batches (`POST /v1/batches`, `GET /v1/batches/{id}`, output and error
files). A batch is in progress for `batch_polls` retrieves, then its requests are answered in order as
live ones would be (queue, then responder; a `Fault` becomes an errored line). `batch_expire_after = N`
expires it after N requests, `batch_cancel = True` cancels it. `batches` holds them; `batch_count`
counts requests answered in batches (`count` counts live ones).

SDK retry backoff: `retry-after: 0` is ignored by both SDKs (they fall back to about 0.5 s of backoff), so
give faults `{"retry-after-ms": "10"}` to keep retries fast. Never send a large `retry-after`.
"""

from __future__ import annotations

import abc
import email.parser
import email.policy
import hashlib
import itertools
import json
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Self
from urllib.parse import urlsplit

__all__ = ["Reply", "Fault", "Request", "FakeAnthropic", "FakeOpenAI"]


@dataclass
class Reply:
    """A scripted model answer; build it with `Reply.text`, `Reply.tool` or `Reply.json`."""

    kind: str
    value: Any = None
    name: str | None = None
    input_tokens: int | None = None
    output_tokens: int = 50
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    stop_reason: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def text(cls, text: str, **kw: Any) -> Reply:
        """Plain text content."""
        return cls("text", text, **kw)

    @classmethod
    def tool(cls, name: str, input: dict[str, Any], **kw: Any) -> Reply:
        """A call of tool `name` with `input` (JSON content where the request offers no tools)."""
        return cls("tool", input, name=name, **kw)

    @classmethod
    def json(cls, obj: Any, **kw: Any) -> Reply:
        """A structured JSON answer shaped to fit the request (forced/first tool, or JSON content)."""
        return cls("json", obj, **kw)


@dataclass
class Fault:
    """A scripted HTTP error (default error body per API and status) or, via `Fault.drop()`, a dropped connection."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    message: str | None = None
    error_type: str | None = None
    code: str | None = None
    dropped: bool = False

    @classmethod
    def drop(cls) -> Fault:
        """Close the connection without answering."""
        return cls(0, dropped=True)


@dataclass
class Request:
    """One recorded HTTP request."""

    path: str
    headers: dict[str, str]
    json: Any
    method: str = "POST"
    connection: tuple[str, int] | None = None  # the client's address: one per TCP connection


Item = Reply | Fault


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The status line and headers go out in one write and the body in another: with Nagle's algorithm the
    # body waits for the client's delayed ACK of the headers (up to 200 ms on Linux), a delay no real API has.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.server.fake._handle(self)  # type: ignore[attr-defined]

    do_GET = do_POST


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # A real API takes many connections at once; the default backlog of 5 refuses some of a burst of new
    # connections (each SDK client opens its own), which the SDK then retries after a backoff.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up; report anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _FakeServer(abc.ABC):
    paths: tuple[str, ...] = ()
    request_id_header = ""
    env_names = ("", "")
    base_suffix = ""

    def __init__(self, api_key: str = "test-key") -> None:
        self.api_key = api_key
        self.requests: list[Request] = []
        self.count = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.latency = 0.0
        self.responder: Callable[[Any], Item] = lambda body: Reply.text("ok")
        self._queue: deque[Item] = deque()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server: _Server | None = None
        # The provider's prompt cache, simulated (see `_cache_usage`): prefix hashes seen so far.
        self.prompt_cache = True
        self._prefixes: set[str] = set()
        self._local = threading.local()  # the prefixes a live request writes, readable once it has answered
        # Batches: `batch_polls` retrieves answer "in progress" before a batch ends; `batch_expire_after`
        # (None: never) is how many of its requests are processed before it expires; `batch_cancel` cancels instead.
        self.batches: dict[str, dict[str, Any]] = {}
        self.batch_polls = 2
        self.batch_expire_after: int | None = None
        self.batch_cancel = False
        self.batch_count = 0  # requests answered inside batches (`count` is live requests)

    def __enter__(self) -> Self:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self  # type: ignore[attr-defined]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def port(self) -> int:
        assert self._server is not None, "use the fake as a context manager"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.base_suffix}"

    def env(self) -> dict[str, str]:
        """Environment variables that point the SDK's default client at this fake."""
        return {self.env_names[0]: self.base_url, self.env_names[1]: self.api_key}

    def script(self, *items: Item) -> None:
        """Queue replies and faults, consumed one per model request in order."""
        with self._lock:
            self._queue.extend(items)

    @property
    def pending(self) -> int:
        return len(self._queue)

    def _next_item(self, body: Any) -> Item:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        return self.responder(body)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._ids):06d}"

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in h.headers.items()}
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path = urlsplit(h.path).path
        with self._lock:
            self.requests.append(Request(path, headers, body, h.command, tuple(h.client_address[:2])))
        if path not in self.paths and self._batch_route(h, path, raw, headers, body):
            return None
        if h.command != "POST" or path not in self.paths:
            return self._send_error(h, Fault(404, message=f"Not found: {h.command} {path}"))
        with self._lock:
            self.count += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self._local.pending = []
        try:
            if self.latency:
                time.sleep(self.latency)
            problem = self._check(headers, body)
            if problem is not None:
                return self._send_error(h, problem)
            try:
                item = self._next_item(body)
            except Exception as exc:
                item = Fault(500, {"x-should-retry": "false"}, message=f"fake responder failed: {exc!r}")
            if isinstance(item, Fault):
                if item.dropped:
                    h.close_connection = True
                    return None
                return self._send_error(h, item)
            self._send(h, 200, self._answer(path, body, item, raw), item.headers)
        finally:
            with self._lock:
                self.in_flight -= 1
                self._prefixes.update(self._local.pending)
            self._local.pending = None

    def _answer(self, path: str, body: Any, item: Reply, raw: bytes) -> dict[str, Any]:
        """The response body for `item`, with usage as the provider reports it (prompt cache included)."""
        if item.input_tokens is not None or item.cache_read_tokens or item.cache_write_tokens:
            usage_in = item.input_tokens if item.input_tokens is not None else max(1, len(raw) // 4)
            return self._render(path, body, item, usage_in)
        total = max(1, len(raw) // 4)
        read, write = self._cache_usage(body, total) if self.prompt_cache else (0, 0)
        item = replace(item, cache_read_tokens=read, cache_write_tokens=write)
        return self._render(path, body, item, total - read - write)

    def _cache_usage(self, body: Any, total: int) -> tuple[int, int]:
        """(tokens read from, tokens written to) the simulated prompt cache for a request of `total` tokens."""
        return 0, 0

    def forget_prompt_cache(self) -> None:
        """Empty the simulated prompt cache, as its lifetime (5 minutes) passing would."""
        with self._lock:
            self._prefixes.clear()

    def _seen(self, prefix: bytes) -> bool:
        """Whether `prefix` is cached; it is from now on."""
        digest = hashlib.sha256(prefix).hexdigest()
        pending = getattr(self._local, "pending", None)
        with self._lock:
            hit = digest in self._prefixes
            if not hit and pending is not None:
                pending.append(digest)  # like the provider's: written when this request is done, not before
            else:
                self._prefixes.add(digest)
        return hit

    def _batch_route(self, h: BaseHTTPRequestHandler, path: str, raw: bytes, headers: dict[str, str], body: Any) -> bool:
        """Serve a batch endpoint; False when `path` is none of them."""
        return False

    def _run_one(self, path: str, body: Any) -> tuple[int, Any]:
        """One request of a batch, answered as a live one would be: (status, response body)."""
        with self._lock:
            self.batch_count += 1
        try:
            item = self._next_item(body)
        except Exception as exc:
            item = Fault(500, message=f"fake responder failed: {exc!r}")
        if isinstance(item, Fault):
            return (item.status or 500), (item.body if item.body is not None else self._error_body(item, self._new_id("req")))
        raw = json.dumps(body).encode()
        return 200, self._answer(path, body, item, raw)

    def _send_raw(self, h: BaseHTTPRequestHandler, data: bytes, ctype: str) -> None:
        h.send_response(200)
        h.send_header("content-type", ctype)
        h.send_header(self.request_id_header, self._new_id("req"))
        h.send_header("content-length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def _send(self, h: BaseHTTPRequestHandler, status: int, payload: Any, headers: dict[str, str],
              rid: str | None = None) -> None:
        if isinstance(payload, (dict, list)):
            data, ctype = json.dumps(payload).encode(), "application/json"
        else:
            data = payload.encode() if isinstance(payload, str) else bytes(payload)
            ctype = "text/plain"
        h.send_response(status)
        out = {"content-type": ctype, self.request_id_header: rid or self._new_id("req")}
        out.update({k.lower(): v for k, v in headers.items()})
        for k, v in out.items():
            h.send_header(k, v)
        h.send_header("content-length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def _send_error(self, h: BaseHTTPRequestHandler, fault: Fault) -> None:
        rid = self._new_id("req")
        payload = fault.body if fault.body is not None else self._error_body(fault, rid)
        self._send(h, fault.status, payload, fault.headers, rid)

    @abc.abstractmethod
    def _check(self, headers: dict[str, str], body: Any) -> Fault | None:
        """The auth failure for this request, or None when it may proceed."""

    @abc.abstractmethod
    def _render(self, path: str, body: Any, reply: Reply, usage_in: int) -> dict[str, Any]:
        """The provider's response body for `reply`."""

    @abc.abstractmethod
    def _error_body(self, fault: Fault, rid: str) -> Any:
        """The provider's error body for `fault`."""


def _bearer(headers: dict[str, str]) -> str | None:
    auth = headers.get("authorization", "")
    return auth[7:] if auth.lower().startswith("bearer ") else None


MIN_CACHED_TOKENS = 1024  # both providers cache no prefix shorter than this
OPENAI_CACHE_STEP = 128  # OpenAI caches prefixes in steps of 128 tokens beyond the first 1,024

_ANTHROPIC_ERRORS = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                     404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error",
                     500: "api_error", 529: "overloaded_error"}


class FakeAnthropic(_FakeServer):
    """Fake Anthropic Messages API (`POST /v1/messages`); `base_url` has no `/v1`."""

    paths = ("/v1/messages",)
    request_id_header = "request-id"
    env_names = ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY")

    def client(self, **overrides: Any) -> Any:
        """An `anthropic.AsyncAnthropic` aimed at this fake (max_retries=2 unless overridden)."""
        import anthropic

        return anthropic.AsyncAnthropic(**{"api_key": self.api_key, "base_url": self.base_url,
                                           "max_retries": 2, **overrides})

    def _check(self, headers: dict[str, str], body: Any) -> Fault | None:
        if self.api_key not in (headers.get("x-api-key"), _bearer(headers)):
            return Fault(401, message="invalid x-api-key")
        if "anthropic-version" not in headers:
            return Fault(400, message="anthropic-version: header is required")
        if not isinstance(body, dict):
            return Fault(400, message="request body must be a JSON object")
        return None

    def _cache_usage(self, body: Any, total: int) -> tuple[int, int]:
        """Anthropic caches the prefix up to the last block marked `cache_control` (tools, then system, then
        messages), once it is at least 1,024 tokens: written the first time, read after."""
        parts: list[Any] = list(body.get("tools") or [])
        system = body.get("system")
        blocks = system if isinstance(system, list) else []
        marked = [i for i, b in enumerate(blocks) if isinstance(b, dict) and b.get("cache_control")]
        if not marked:
            return 0, 0
        prefix = json.dumps(parts + blocks[: marked[-1] + 1], sort_keys=True).encode()
        tokens = min(len(prefix) // 4, total)
        if tokens < MIN_CACHED_TOKENS:
            return 0, 0
        return (tokens, 0) if self._seen(prefix) else (0, tokens)

    def _batch_route(self, h: BaseHTTPRequestHandler, path: str, raw: bytes, headers: dict[str, str], body: Any) -> bool:
        """Message Batches: create, retrieve (in progress for `batch_polls` polls, then ended), results JSONL."""
        if not path.startswith("/v1/messages/batches"):
            return False
        problem = self._check(headers, body if h.command == "POST" else {})
        if problem is not None:
            self._send_error(h, problem)
            return True
        parts = path.split("/")[4:]  # after /v1/messages/batches
        if h.command == "POST" and not parts:
            if not isinstance(body.get("requests"), list) or not body["requests"]:
                self._send_error(h, Fault(400, message="requests: at least one request is required"))
                return True
            batch_id = self._new_id("msgbatch")
            with self._lock:
                self.batches[batch_id] = {"requests": body["requests"], "polls": 0, "results": None,
                                          "status": "in_progress"}
            self._send(h, 200, self._batch_object(batch_id), {})
            return True
        batch = self.batches.get(parts[0]) if parts else None
        if batch is None or h.command != "GET":
            self._send_error(h, Fault(404, message=f"batch not found: {path}"))
            return True
        if len(parts) == 1:
            with self._lock:
                batch["polls"] += 1
                due = batch["polls"] > self.batch_polls and batch["results"] is None
            if due:
                self._end_batch(batch)
            self._send(h, 200, self._batch_object(parts[0]), {})
        elif parts[1:] == ["results"] and batch["results"] is not None:
            data = "".join(json.dumps(line) + "\n" for line in batch["results"]).encode()
            self._send_raw(h, data, "application/binary")
        else:
            self._send_error(h, Fault(404, message=f"results not ready: {path}"))
        return True

    def _end_batch(self, batch: dict[str, Any]) -> None:
        results = []
        for i, request in enumerate(batch["requests"]):
            custom_id = request.get("custom_id")
            if self.batch_cancel or (self.batch_expire_after is not None and i >= self.batch_expire_after):
                results.append({"custom_id": custom_id, "result": {"type": "canceled" if self.batch_cancel else "expired"}})
                continue
            status, answer = self._run_one("/v1/messages", request.get("params") or {})
            if status == 200:
                results.append({"custom_id": custom_id, "result": {"type": "succeeded", "message": answer}})
            else:
                results.append({"custom_id": custom_id, "result": {"type": "errored", "error": answer}})
        batch["results"], batch["status"] = results, "ended"

    def _batch_object(self, batch_id: str) -> dict[str, Any]:
        batch = self.batches[batch_id]
        counts = {"processing": 0, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
        if batch["results"] is None:
            counts["processing"] = len(batch["requests"])
        for line in batch["results"] or ():
            counts[line["result"]["type"]] += 1
        ended = batch["status"] == "ended"
        return {"id": batch_id, "type": "message_batch", "processing_status": batch["status"],
                "request_counts": counts, "created_at": "2026-11-25T10:00:00Z", "expires_at": "2026-11-26T10:00:00Z",
                "ended_at": "2026-11-25T10:05:00Z" if ended else None, "archived_at": None,
                "cancel_initiated_at": None,
                "results_url": f"http://127.0.0.1:{self.port}/v1/messages/batches/{batch_id}/results" if ended else None}

    def _render(self, path: str, body: Any, reply: Reply, usage_in: int) -> dict[str, Any]:
        name = reply.name
        if reply.kind == "json":
            choice, tools = body.get("tool_choice") or {}, body.get("tools") or []
            name = choice.get("name") if choice.get("type") == "tool" else (tools[0]["name"] if tools else None)
        if reply.kind == "text" or name is None:
            text = reply.value if reply.kind == "text" else json.dumps(reply.value)
            block: dict[str, Any] = {"type": "text", "text": text}
        else:
            block = {"type": "tool_use", "id": self._new_id("toolu"), "name": name, "input": reply.value}
        usage = {
            "input_tokens": usage_in, "output_tokens": reply.output_tokens,
            "cache_creation_input_tokens": reply.cache_write_tokens,
            "cache_read_input_tokens": reply.cache_read_tokens,
            "cache_creation": {"ephemeral_5m_input_tokens": reply.cache_write_tokens,
                               "ephemeral_1h_input_tokens": 0},
            "server_tool_use": None, "service_tier": "standard",
        }
        stop = reply.stop_reason or ("tool_use" if block["type"] == "tool_use" else "end_turn")
        return {"id": self._new_id("msg"), "type": "message", "role": "assistant", "model": body.get("model"),
                "content": [block], "stop_reason": stop, "stop_sequence": None, "usage": usage}

    def _error_body(self, fault: Fault, rid: str) -> Any:
        etype = fault.error_type or _ANTHROPIC_ERRORS.get(
            fault.status, "api_error" if fault.status >= 500 else "invalid_request_error")
        error: dict[str, Any] = {"type": etype, "message": fault.message or f"fake {etype} ({fault.status})"}
        if fault.code:
            error["details"] = {"error_code": fault.code}
        return {"type": "error", "error": error, "request_id": rid}


_OPENAI_ERRORS = {400: ("invalid_request_error", None), 401: ("invalid_request_error", "invalid_api_key"),
                  403: ("invalid_request_error", None), 404: ("invalid_request_error", "model_not_found"),
                  429: ("requests", "rate_limit_exceeded")}
_OPENAI_FINISH = {"end_turn": "stop", "max_tokens": "length", "tool_use": "tool_calls", "refusal": "content_filter"}


class FakeOpenAI(_FakeServer):
    """Fake OpenAI API (`POST /v1/chat/completions`, `POST /v1/responses`); `base_url` ends in `/v1`."""

    paths = ("/v1/chat/completions", "/v1/responses")
    request_id_header = "x-request-id"
    env_names = ("OPENAI_BASE_URL", "OPENAI_API_KEY")
    base_suffix = "/v1"

    def __init__(self, api_key: str = "test-key") -> None:
        super().__init__(api_key)
        self.files: dict[str, bytes] = {}

    def client(self, **overrides: Any) -> Any:
        """An `openai.AsyncOpenAI` aimed at this fake (max_retries=2 unless overridden)."""
        import openai

        return openai.AsyncOpenAI(**{"api_key": self.api_key, "base_url": self.base_url,
                                     "max_retries": 2, **overrides})

    def _check(self, headers: dict[str, str], body: Any) -> Fault | None:
        if _bearer(headers) != self.api_key:
            return Fault(401, message="Incorrect API key provided.")
        if not isinstance(body, dict):
            return Fault(400, message="We could not parse the JSON body of your request.")
        return None

    def _error_body(self, fault: Fault, rid: str) -> Any:
        etype, code = _OPENAI_ERRORS.get(fault.status, ("server_error" if fault.status >= 500 else
                                                         "invalid_request_error", None))
        etype = fault.error_type or etype
        return {"error": {"message": fault.message or f"fake {etype} ({fault.status})", "type": etype,
                          "param": None, "code": fault.code or code}}

    def _cache_usage(self, body: Any, total: int) -> tuple[int, int]:
        """OpenAI caches prompts by itself: the longest earlier-seen prefix of at least 1,024 tokens, in steps
        of 128 tokens, is read from the cache; nothing is charged for writing it."""
        schema = body.get("response_format") or body.get("text") or body.get("tools") or {}
        if "messages" in body:
            text = "\n".join(str(m.get("content")) for m in body["messages"] if isinstance(m, dict))
        else:
            text = f"{body.get('instructions') or ''}\n{body.get('input') if isinstance(body.get('input'), str) else json.dumps(body.get('input'))}"
        prompt = (json.dumps(schema, sort_keys=True) + "\n" + text).encode()
        read = 0
        for tokens in range(MIN_CACHED_TOKENS, min(len(prompt) // 4, total) + 1, OPENAI_CACHE_STEP):
            if self._seen(prompt[: tokens * 4]):
                read = tokens
        return read, 0

    def _batch_route(self, h: BaseHTTPRequestHandler, path: str, raw: bytes, headers: dict[str, str], body: Any) -> bool:
        """Files (multipart upload, content) and Batches (create, retrieve: validating, in_progress for
        `batch_polls` polls, then completed, expired or cancelled with output and error files)."""
        if not (path.startswith("/v1/files") or path.startswith("/v1/batches")):
            return False
        problem = self._check(headers, {})
        if problem is not None:
            self._send_error(h, problem)
            return True
        parts = path.split("/")[2:]  # ["files"|"batches", id?, "content"?]
        if parts == ["files"] and h.command == "POST":
            fields = _multipart(headers.get("content-type", ""), raw)
            if fields.get("purpose") != b"batch" or "file" not in fields:
                self._send_error(h, Fault(400, message="a batch file needs purpose=batch and a file"))
                return True
            file_id = self._new_id("file")
            self.files[file_id] = fields["file"]
            self._send(h, 200, {"id": file_id, "object": "file", "bytes": len(fields["file"]), "created_at": 1764064800,
                                "filename": "batch.jsonl", "purpose": "batch", "status": "processed"}, {})
        elif len(parts) == 3 and parts[0] == "files" and parts[2] == "content" and parts[1] in self.files:
            self._send_raw(h, self.files[parts[1]], "application/octet-stream")
        elif parts == ["batches"] and h.command == "POST":
            if not isinstance(body, dict) or body.get("input_file_id") not in self.files:
                self._send_error(h, Fault(400, message="input_file_id: no such file"))
                return True
            lines = [json.loads(line) for line in self.files[body["input_file_id"]].decode().splitlines() if line.strip()]
            batch_id = self._new_id("batch")
            self.batches[batch_id] = {"requests": lines, "polls": 0, "status": "validating", "endpoint": body.get("endpoint"),
                                      "input_file_id": body["input_file_id"], "output_file_id": None,
                                      "error_file_id": None, "completed": 0, "failed": 0}
            self._send(h, 200, self._batch_object(batch_id), {})
        elif len(parts) == 2 and parts[0] == "batches" and parts[1] in self.batches and h.command == "GET":
            batch = self.batches[parts[1]]
            with self._lock:
                batch["polls"] += 1
                due = batch["polls"] > self.batch_polls and batch["status"] in ("validating", "in_progress")
                if not due and batch["status"] == "validating":
                    batch["status"] = "in_progress"
            if due:
                self._end_batch(batch)
            self._send(h, 200, self._batch_object(parts[1]), {})
        else:
            self._send_error(h, Fault(404, message=f"Not found: {h.command} {path}"))
        return True

    def _end_batch(self, batch: dict[str, Any]) -> None:
        output, errors = [], []
        for i, line in enumerate(batch["requests"]):
            custom_id = line.get("custom_id")
            if self.batch_cancel or (self.batch_expire_after is not None and i >= self.batch_expire_after):
                code = "batch_cancelled" if self.batch_cancel else "batch_expired"
                errors.append({"id": self._new_id("batch_req"), "custom_id": custom_id, "response": None,
                               "error": {"code": code, "message": "This request was not executed before the batch ended."}})
                continue
            status, answer = self._run_one(line.get("url", "/v1/chat/completions"), line.get("body") or {})
            entry = {"id": self._new_id("batch_req"), "custom_id": custom_id,
                     "response": {"status_code": status, "request_id": self._new_id("req"), "body": answer}, "error": None}
            (output if status == 200 else errors).append(entry)
        for name, lines in (("output_file_id", output), ("error_file_id", errors)):
            if lines:
                file_id = self._new_id("file")
                self.files[file_id] = "".join(json.dumps(x) + "\n" for x in lines).encode()
                batch[name] = file_id
        batch["completed"], batch["failed"] = len(output), len(errors)
        batch["status"] = "cancelled" if self.batch_cancel else "expired" if self.batch_expire_after is not None else "completed"

    def _batch_object(self, batch_id: str) -> dict[str, Any]:
        b = self.batches[batch_id]
        return {"id": batch_id, "object": "batch", "endpoint": b["endpoint"], "input_file_id": b["input_file_id"],
                "completion_window": "24h", "status": b["status"], "created_at": 1764064800,
                "output_file_id": b["output_file_id"], "error_file_id": b["error_file_id"], "errors": None,
                "request_counts": {"total": len(b["requests"]), "completed": b["completed"], "failed": b["failed"]}}

    def _shape(self, reply: Reply, tools: list[str], forced: str | None, structured: bool) -> tuple[str, str | None]:
        """('text'|'call', tool name) for this reply against this request."""
        if reply.kind == "text":
            return "text", None
        if reply.kind == "tool":
            return ("call", reply.name) if tools else ("text", None)
        return ("call", forced or tools[0]) if tools and not structured else ("text", None)

    def _render(self, path: str, body: Any, reply: Reply, usage_in: int) -> dict[str, Any]:
        text = reply.value if reply.kind == "text" else json.dumps(reply.value)
        prompt = usage_in + reply.cache_read_tokens + reply.cache_write_tokens
        cache = {"cached_tokens": reply.cache_read_tokens, "cache_write_tokens": reply.cache_write_tokens}
        choice = body.get("tool_choice")
        if path == "/v1/responses":
            tools = [t["name"] for t in body.get("tools") or [] if t.get("type") == "function"]
            forced = choice.get("name") if isinstance(choice, dict) else None
            structured = ((body.get("text") or {}).get("format") or {}).get("type") in ("json_schema", "json_object")
            shape, name = self._shape(reply, tools, forced, structured)
            if shape == "call":
                item: dict[str, Any] = {"type": "function_call", "id": self._new_id("fc"), "status": "completed",
                                        "call_id": self._new_id("call"), "name": name, "arguments": text}
            else:
                item = {"type": "message", "id": self._new_id("msg"), "role": "assistant", "status": "completed",
                        "content": [{"type": "output_text", "text": text, "annotations": []}]}
            incomplete = {"max_tokens": "max_output_tokens", "length": "max_output_tokens",
                          "refusal": "content_filter", "content_filter": "content_filter"}.get(reply.stop_reason or "")
            return {"id": self._new_id("resp"), "object": "response", "created_at": int(time.time()),
                    "model": body.get("model"), "status": "incomplete" if incomplete else "completed",
                    "incomplete_details": {"reason": incomplete} if incomplete else None, "error": None,
                    "instructions": body.get("instructions"), "output": [item], "parallel_tool_calls": True,
                    "tool_choice": choice or "auto", "tools": body.get("tools") or [],
                    "usage": {"input_tokens": prompt, "input_tokens_details": cache,
                              "output_tokens": reply.output_tokens,
                              "output_tokens_details": {"reasoning_tokens": 0},
                              "total_tokens": prompt + reply.output_tokens}}
        tools = [t["function"]["name"] for t in body.get("tools") or [] if t.get("type") == "function"]
        forced = (choice.get("function") or {}).get("name") if isinstance(choice, dict) else None
        structured = (body.get("response_format") or {}).get("type") in ("json_schema", "json_object")
        shape, name = self._shape(reply, tools, forced, structured)
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
        if shape == "call":
            message.update(content=None, tool_calls=[{"id": self._new_id("call"), "type": "function",
                                                      "function": {"name": name, "arguments": text}}])
        stop = reply.stop_reason
        finish = _OPENAI_FINISH.get(stop, stop) if stop else ("tool_calls" if shape == "call" else "stop")
        return {"id": self._new_id("chatcmpl"), "object": "chat.completion", "created": int(time.time()),
                "model": body.get("model"), "choices": [{"index": 0, "message": message, "finish_reason": finish,
                                                          "logprobs": None}],
                "usage": {"prompt_tokens": prompt, "completion_tokens": reply.output_tokens,
                          "total_tokens": prompt + reply.output_tokens, "prompt_tokens_details": cache,
                          "completion_tokens_details": {"reasoning_tokens": 0}}}


def _multipart(content_type: str, raw: bytes) -> dict[str, bytes]:
    """The fields of a multipart/form-data body, by name."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            fields[name] = part.get_payload(decode=True) or b""
    return fields
