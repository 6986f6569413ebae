"""A loopback fake Convex deployment serving run bundles with scriptable faults, for tests and offline development."""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import signal
import socketserver
import sys
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from evalanalysis import BUNDLE_FORMAT

DEFAULT_ADMIN_KEY = "prod:fake-deployment|0123abcd"
RUN_FUNCTION = "debugQueries:getFailedEvalsForRun"
EVAL_FUNCTION = "debug:getEvalDebugInfo"
FORMATS = frozenset({"json", "convex_clean_json", "convex_encoded_json", "convex_json", "export_json"})
ENDPOINT_KINDS = {"/api/function": None, "/api/query": "Query", "/api/mutation": "Mutation", "/api/action": "Action"}
FAULT_HELP = (
    "fault specs, consumed one per call in order: http:STATUS[:retry-after=SECONDS] (HTTP error with a "
    "{code, message} body), drop (close the connection without a response), hang (answer nothing for "
    "hang_seconds, then drop), delay:SECONDS (extra latency, then answer normally), error:MESSAGE (function error), "
    "body:TEXT (HTTP 200 with TEXT as the raw body, for bodies json.dumps cannot make)"
)
_CONVEX_ID = re.compile(r"[0-9a-hjkmnp-tv-z]{31,37}")
_FAULT_SPEC = re.compile(r"http:\d{3}(:retry-after=\S+)?|drop|hang|delay:\d+(\.\d+)?|error:.+|body:.+", re.S)
_HTTP_FAULT_CODES = {400: "BadRequest", 401: "Unauthenticated", 403: "Forbidden", 404: "NotFound", 429: "RateLimited",
                     503: "Overloaded"}


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake answered; `authorization` keeps the raw header for assertions and stays out of repr/str.

    `auth` is one of admin, non-admin, bad-admin, bearer, none, malformed. `status` is None when the
    connection was dropped. `outcome` is success, function-error, http-error, drop, hang or crash (a fake bug).
    """

    at: float
    endpoint: str
    function: str | None
    args: Any
    auth: str
    status: int | None
    outcome: str
    fault: str | None = None
    authorization: str | None = field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        fault = f" [fault {self.fault}]" if self.fault else ""
        status = self.status or "---"
        return f"{self.endpoint} {self.function or '-'} auth={self.auth} -> {status} {self.outcome}{fault}"


@dataclass
class _Reply:
    status: int | None
    body: Any = None
    outcome: str = "success"
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent as is instead of `body` as JSON


class _FunctionError(Exception):
    """Raised by a served function to answer `{"status": "error", "errorMessage": ...}`."""


def _http_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> _Reply:
    return _Reply(status, {"code": code, "message": message}, "http-error", headers or {})


def _function_error(message: str) -> _Reply:
    return _Reply(200, {"status": "error", "errorMessage": message}, "function-error")


def _as_convex_numbers(value: Any) -> Any:
    """Turn every int into a float, as the real backend serves every Convex number."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dict):
        return {k: _as_convex_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_convex_numbers(v) for v in value]
    return value


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def load_bundle(bundle: str | Path | Mapping[str, Any]) -> Mapping[str, Any]:
    """Read a run bundle from a path or take it as given, rejecting anything that is not `evalanalysis.bundle/1`."""
    data = bundle if isinstance(bundle, Mapping) else json.loads(Path(bundle).read_text(encoding="utf-8"))
    where = "bundle" if isinstance(bundle, Mapping) else str(bundle)
    if not isinstance(data, Mapping) or data.get("format") != BUNDLE_FORMAT:
        found = data.get("format") if isinstance(data, Mapping) else type(data).__name__
        raise ValueError(f"{where}: expected format {BUNDLE_FORMAT!r}, found {found!r}")
    return data


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024  # the default backlog of 5 resets connections when a client fans out dozens at once
    fake: FakeConvex

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that gave up is not a fake bug
            super().handle_error(request, client_address)

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)  # skips HTTPServer's getfqdn, which can stall on DNS
        self.server_name, self.server_port = self.server_address[:2]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = 60
    server: _Server
    body = b""

    def do_POST(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        self.body = self.rfile.read(length)
        self.server.fake._serve(self)

    def do_GET(self) -> None:
        self.server.fake._serve(self)

    def send_reply(self, reply: _Reply) -> None:
        data = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
        self.send_response(reply.status or 500)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class FakeConvex:
    """A fake Convex deployment on 127.0.0.1 answering the two debug functions from bundles, one thread per request."""

    def __init__(
        self, bundles: Iterable[str | Path | Mapping[str, Any]] = (), *, admin_key: str = DEFAULT_ADMIN_KEY,
        latency: float = 0.0, faults: Mapping[str, Iterable[str]] | None = None, missing: Iterable[str] = (),
        run_function: str = RUN_FUNCTION, eval_function: str = EVAL_FUNCTION, log_lines: Iterable[str] = (),
        hang_seconds: float = 30.0, port: int = 0, on_request: Callable[[RecordedRequest], None] | None = None,
        non_admin_keys: Iterable[str] = (),
    ) -> None:
        self.admin_key = admin_key
        # Keys the deployment knows but that grant no admin rights (e.g. a preview deploy key): 403 BadDeployKey.
        self.non_admin_keys = frozenset(non_admin_keys)
        self.latency = latency
        self.missing = set(missing)
        self.run_function = run_function
        self.eval_function = eval_function
        self.log_lines = list(log_lines)
        self.hang_seconds = hang_seconds
        self.on_request = on_request
        self.runs: dict[str, Any] = {}
        self.evals: dict[str, Any] = {}
        self.requests: list[RecordedRequest] = []
        self.calls: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self._faults: dict[str, deque[str]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._requested_port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        for bundle in bundles:
            self.add_bundle(bundle)
        for key, specs in (faults or {}).items():
            self.add_faults(key, *specs)

    def __repr__(self) -> str:
        where = self.url if self._server else "stopped"
        return f"<FakeConvex {where} runs={len(self.runs)} evals={len(self.evals)} requests={len(self.requests)}>"

    @property
    def port(self) -> int:
        """The bound port; only valid while running."""
        if self._server is None:
            raise RuntimeError("FakeConvex is not running; use start() or a with block")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """The deployment URL to give a client, `http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def faults(self) -> dict[str, list[str]]:
        """The fault specs still pending, by key."""
        with self._lock:
            return {key: list(queue) for key, queue in self._faults.items() if queue}

    def add_bundle(self, bundle: str | Path | Mapping[str, Any]) -> str | None:
        """Serve one more bundle; returns its run id (None if its summary is null)."""
        data = load_bundle(bundle)
        summary = data.get("summary")
        run_id = summary["run"]["_id"] if summary else None
        with self._lock:
            if run_id:
                self.runs[run_id] = summary
            self.evals.update(data.get("evals") or {})
        return run_id

    def add_faults(self, key: str, *specs: str) -> None:
        """Queue faults for calls whose args hold id `key`, to function path `key`, or to anything if `key` is "*"."""
        for spec in specs:
            if not _FAULT_SPEC.fullmatch(spec):
                raise ValueError(f"unknown fault spec {spec!r}; {FAULT_HELP}")
        with self._lock:
            self._faults.setdefault(key, deque()).extend(specs)

    def clear_faults(self) -> None:
        """Drop every pending fault."""
        with self._lock:
            self._faults.clear()

    def reset(self) -> None:
        """Forget the request log, the per-function counters and the in-flight peak."""
        with self._lock:
            self.requests.clear()
            self.calls.clear()
            self.max_in_flight = self.in_flight

    def start(self) -> FakeConvex:
        """Bind 127.0.0.1 and serve in a daemon thread."""
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", self._requested_port), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; requests that hang or wait out latency are released and logged first."""
        if self._server is None:
            return
        self._stopping.set()
        deadline = time.monotonic() + 2
        while self.in_flight and time.monotonic() < deadline:
            time.sleep(0.005)  # let released requests finish so the log is complete once stop() returns
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeConvex:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self, handler: _Handler) -> None:
        started = time.monotonic()
        call: dict[str, Any] = {"endpoint": handler.path.split("?", 1)[0], "auth": "none"}
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        reply = _Reply(None, outcome="crash")
        try:
            if self.latency > 0:
                self._stopping.wait(self.latency)
            reply = self._dispatch(handler, call)
            if reply.outcome == "hang":
                self._stopping.wait(self.hang_seconds)
        finally:
            # Counted out before the reply is written, so a client's next sequential call never overlaps this one.
            with self._lock:
                self.in_flight -= 1
                record = RecordedRequest(
                    started, call["endpoint"], call.get("function"), call.get("args"), call["auth"], reply.status,
                    reply.outcome, call.get("fault"), call.get("authorization"))
                self.requests.append(record)
                if record.function:
                    self.calls[record.function] += 1
        if self.on_request is not None:
            self.on_request(record)
        if reply.status is None:
            handler.close_connection = True
        else:
            handler.send_reply(reply)

    def _dispatch(self, handler: _Handler, call: dict[str, Any]) -> _Reply:
        endpoint = call["endpoint"]
        if handler.command != "POST" or endpoint not in ENDPOINT_KINDS:
            return _http_error(404, "NotFound", f"No route for {handler.command} {endpoint}")
        try:
            body = json.loads(handler.body or b"null")
        except ValueError as exc:
            return _http_error(400, "BadJsonBody", f"Failed to deserialize the JSON body: {exc}")
        if not isinstance(body, dict) or not isinstance(body.get("path"), str):
            return _http_error(400, "BadJsonBody", "The JSON body must be an object with a string `path`")
        path = call["function"] = body["path"]
        args = body.get("args", {})
        call["args"] = args = args[0] if isinstance(args, list) and len(args) == 1 else args
        fmt = body.get("format")
        if fmt is not None and fmt not in FORMATS:
            return _http_error(400, "BadFormat", f"Invalid format: {fmt}")
        header = call["authorization"] = handler.headers.get("Authorization")
        auth = call["auth"] = self._auth_kind(header)
        if auth == "malformed":
            return _http_error(400, "AuthHeaderMalformed", "The provided Authorization header was malformed")
        if auth == "bad-admin":
            return _http_error(401, "BadAdminKey", "The provided admin key was invalid for this instance")
        kind = ENDPOINT_KINDS[endpoint]
        if kind is None and auth != "admin":
            return _http_error(403, "BadDeployKey", "The provided deploy key was invalid for this instance")
        fault = self._next_fault(args, path)
        if fault is not None:
            call["fault"] = fault
            reply = self._fault_reply(fault)
            if reply is not None:
                return reply
        if auth != "admin":
            return _function_error(f"Could not find public function for '{path}'.")
        functions = {self.run_function: ("Query", self._failed_evals_for_run),
                     self.eval_function: ("Action", self._eval_debug_info)}
        if path in self.missing or path not in functions:
            return _function_error(
                f"Could not find function for '{path}'. Did you forget to run `npx convex dev` or `npx convex deploy`?"
            )
        defined, function = functions[path]
        if kind is not None and kind != defined:
            return _function_error(f"Trying to execute {path} as {kind}, but it is defined as {defined}.")
        try:
            value = function(args)
        except _FunctionError as exc:
            return _function_error(str(exc))
        success: dict[str, Any] = {"status": "success", "value": _as_convex_numbers(value)}
        if self.log_lines:
            success["logLines"] = list(self.log_lines)
        return _Reply(200, success)

    def _auth_kind(self, header: str | None) -> str:
        if header is None:
            return "none"
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if not token or scheme.lower() not in ("convex", "bearer"):
            return "malformed"
        if scheme.lower() == "bearer":
            return "bearer"
        # `npx convex run --identity` appends ":<base64 identity>" to the key.
        valid = token == self.admin_key or token.startswith(self.admin_key + ":")
        if not valid and token in self.non_admin_keys:
            return "non-admin"
        return "admin" if valid else "bad-admin"

    def _next_fault(self, args: Any, path: str) -> str | None:
        ids = [v for v in args.values() if isinstance(v, str)] if isinstance(args, dict) else []
        with self._lock:
            for key in (*ids, path, "*"):
                queue = self._faults.get(key)
                if queue:
                    return queue.popleft()
        return None

    def _fault_reply(self, spec: str) -> _Reply | None:
        kind, _, rest = spec.partition(":")
        if kind == "http":
            status_text, _, option = rest.partition(":")
            status = int(status_text)
            headers = {"Retry-After": option.partition("=")[2]} if option else {}
            code = _HTTP_FAULT_CODES.get(status, "InternalServerError")
            return _http_error(status, code, "Your request couldn't be completed. Try again later.", headers)
        if kind in ("drop", "hang"):
            return _Reply(None, outcome=kind)
        if kind == "delay":
            self._stopping.wait(float(rest))
            return None
        if kind == "body":
            return _Reply(200, outcome="success", raw=rest.encode("utf-8", "surrogatepass"))
        return _function_error(rest)

    def _id_arg(self, args: Any, name: str, table: str) -> str:
        validator = f'v.object({{{name}: v.id("{table}")}})'
        if not isinstance(args, dict):
            raise _FunctionError(
                f"ArgumentValidationError: Value does not match validator.\nValue: {_js(args)}\nValidator: {validator}")
        extras = sorted(set(args) - {name})
        if extras:
            raise _FunctionError(
                f"ArgumentValidationError: Object contains extra field `{extras[0]}` that is not in the validator.\n\n"
                f"Object: {_js(args)}\nValidator: {validator}"
            )
        if name not in args:
            raise _FunctionError(
                f"ArgumentValidationError: Object is missing the required field `{name}`. Consider wrapping the field "
                f"validator in `v.optional(...)` if this is expected.\n\nObject: {_js(args)}\nValidator: {validator}"
            )
        value = args[name]
        other_table = self.evals if table == "runs" else self.runs
        if not isinstance(value, str) or not _CONVEX_ID.fullmatch(value) or value in other_table:
            raise _FunctionError(
                f"ArgumentValidationError: Value does not match validator.\nPath: .{name}\n"
                f'Value: {_js(value)}\nValidator: v.id("{table}")'
            )
        return value

    def _failed_evals_for_run(self, args: Any) -> Any:
        return self.runs.get(self._id_arg(args, "runId", "runs"))

    def _eval_debug_info(self, args: Any) -> Any:
        return self.evals.get(self._id_arg(args, "evalId", "evals"), {"error": "Eval not found"})


def cli_env(tmp_path: Path, url: str | None, key: str, **extra: str | None) -> dict[str, str | None]:
    """An environment for the CLI against `url` with deploy key `key`, holding only what the test chooses:
    no outside config, keys or plugin settings leak in (a None value unsets the variable)."""
    env: dict[str, str | None] = {name: None for name in os.environ if name.startswith(("EVALANALYSIS_", "CONVEX_"))}
    env.update({
        "XDG_CONFIG_HOME": str(tmp_path / "config-home"),
        "EVALANALYSIS_CACHE_DIR": str(tmp_path / "cache"),
        "EVALANALYSIS_CONVEX_RETRY_BACKOFF": "0.01",
        "CONVEX_URL": url,
        "CONVEX_DEPLOY_KEY": key,
    })
    env.update(extra)
    return env


def main(argv: list[str] | None = None) -> int:
    """Serve bundles on 127.0.0.1 until Ctrl-C, printing the env vars that point evalanalysis at the fake."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.convex_server",
        description="Serve evalanalysis run bundles as a fake Convex deployment on 127.0.0.1.",
        epilog=FAULT_HELP,
    )
    parser.add_argument("--bundle", action="append", default=[], type=Path, metavar="FILE",
                        help=f"run bundle ({BUNDLE_FORMAT}) to serve; repeatable")
    parser.add_argument("--port", type=int, default=3210, help="port on 127.0.0.1; 0 picks a free one (default 3210)")
    parser.add_argument("--admin-key", default=DEFAULT_ADMIN_KEY, help="admin key clients must send")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request (default 0)")
    parser.add_argument("--fault", action="append", default=[], metavar="KEY=SPEC",
                        help="queue a fault for an eval/run id, a function path, or * (any call); repeatable")
    parser.add_argument("--quiet", action="store_true", help="do not print a line per request")
    options = parser.parse_args(argv)
    faults: dict[str, list[str]] = {}
    for text in options.fault:
        key, sep, spec = text.partition("=")
        if not (key and sep):
            parser.error(f"--fault expects KEY=SPEC, got {text!r}")
        faults.setdefault(key, []).append(spec)
    echo = None if options.quiet else (lambda record: print(record, file=sys.stderr, flush=True))
    try:
        fake = FakeConvex(options.bundle, admin_key=options.admin_key, latency=options.latency,
                          faults=faults, port=options.port, on_request=echo).start()
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.default_int_handler)  # also stops cleanly when started with `&` or killed
    with fake:
        print(f"Fake Convex deployment at {fake.url} serving {len(fake.runs)} run(s), {len(fake.evals)} eval(s)")
        for run_id, summary in fake.runs.items():
            print(f"  run {run_id} ({summary['run'].get('provider')}/{summary['run'].get('model')})")
        print(f"export CONVEX_URL={shlex.quote(fake.url)}")
        print(f"export CONVEX_DEPLOY_KEY={shlex.quote(fake.admin_key)}")
        print("Press Ctrl-C to stop.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
