"""Fuzzing of every entry point that reads untrusted input: N generated inputs per target, crashes counted.

Run from a clone with the project installed (hypothesis comes with the `test` extra):
`python benchmarks/fuzz.py [--count N] [--target NAME] [--seed S] [--reports DIR]`.
Each target feeds N inputs drawn from hypothesis strategies (generation only: no
example database, no shrinking) to one public entry point and catches what comes
out. The target's documented bad-input error (an `EvalAnalysisError`, or the
answer parsers' `AnswerError`) and its documented non-results are fine; any
other exception is a crash, bucketed by type and the innermost project frame it
came from, and so is an input that takes longer than 10 s. Targets:

- runref: `resolve_run` on arbitrary text and on URL-, id- and path-shaped text; for a
  visualizer URL with a valid run id and for an existing bundle file the answer is checked
  too (a wrong answer counts as a crash);
- bundle: `evalanalysis.analyze(path, write=True)` (rules classifier, markdown and JSON
  reports, HTML too for one input in 20, in a temporary folder) on mutations of
  examples/runs/mixed-run.json cut to 1-3 of its failures (all 13 for one input in 10);
- config: `load_config(FILE)` on generated and mutated TOML, then the convex plugin's
  check of its `[plugins.convex]` table (an old `[convex]` table is read as that one);
- history: `parse_report` on arbitrary markdown and on mutations of real reports
  (reports/ and tests/data/reports/ of the repository, and the folders `--reports` names);
- answers: `parse_verdict` and `parse_synthesis` on arbitrary JSON values and texts;
- cli: `evalanalysis analyze|config|history` in-process on fuzzed runs, bundles, configs
  and reports; a crash there is a traceback, an exit code other than 0, 1 or 2, an error
  that is not one or two lines, or an `unexpected` error (rerun with --debug to locate it);
- convex: the convex source's `fetch_run`/`fetch_eval` against loopback servers: the
  fake deployment (tests/fakes/convex_server.py) serving fuzzed values and faults, and
  a raw server answering fuzzed status codes, headers and bodies.

Prints, per target, the inputs, crashes, crash kinds (with the smallest input of
each) and wall time, and one line:

    RESULT fuzz_<target>_inputs=<n> fuzz_<target>_crashes=<k>

The exit status is 1 when any target crashed.
"""

from __future__ import annotations

import abc
import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator

import attrs
from hypothesis import HealthCheck, Phase, given, seed as hypothesis_seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import evalanalysis as ea  # noqa: E402
from evalanalysis.llm.answers import AnswerError, parse_synthesis, parse_verdict  # noqa: E402
from evalanalysis.config import scalar_keys  # noqa: E402
from evalanalysis.history import parse_report  # noqa: E402

MIXED_RUN = ROOT / "examples" / "runs" / "mixed-run.json"
REPORT_DIRS = [ROOT / "reports", ROOT / "tests" / "data" / "reports"]  # `--reports DIR` adds more
PROJECT_DIRS = [ROOT / "evalanalysis", ROOT / "plugins"]
HANG_SECONDS = 10.0
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Convex ids: base32 without i, l, o, u


class Hang(Exception):
    """An input that ran longer than HANG_SECONDS."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `Hang` in the main thread after `seconds` (SIGALRM; a no-op where there is none)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def ring(signum, frame):
        raise Hang(f"no answer within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------- outcome


def where(exc: BaseException) -> str:
    """`file:line in function` of the innermost frame in the project's own code (else the innermost frame)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if any(Path(f.filename).resolve().is_relative_to(d) for d in PROJECT_DIRS)]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return "?"
    path = Path(frame.filename).resolve()
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    return f"{shown}:{frame.lineno} in {frame.name}"


def shown(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = text if isinstance(value, str) and len(text) <= limit else repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


class Outcome:
    """What one target's run found: inputs tried, crashes, and one smallest example per crash kind."""

    def __init__(self, name: str):
        self.name = name
        self.inputs = 0
        self.crashes = 0
        self.kinds: dict[str, dict[str, Any]] = {}
        self.wall = 0.0

    def crash(self, exc: BaseException, value: Any) -> None:
        self.crashes += 1
        key = getattr(exc, "kind", None) or f"{type(exc).__name__} at {where(exc)}"
        size = len(repr(value))
        kind = self.kinds.setdefault(key, {"count": 0, "size": math.inf})
        kind["count"] += 1
        if size < kind["size"]:
            kind.update(size=size, input=value, message=str(exc).splitlines()[0][:300] if str(exc) else "")

    def report(self) -> list[str]:
        lines = [f"{self.name}: {self.inputs} inputs, {self.crashes} crashes, {len(self.kinds)} kinds, {self.wall:.1f} s"]
        for key, kind in sorted(self.kinds.items(), key=lambda kv: -kv[1]["count"]):
            lines.append(f"  {kind['count']:6d} x {key}: {kind['message']}")
            lines.append(f"           smallest input: {shown(kind['input'])}")
        return lines


# ---------------------------------------------------------------- shared strategies

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)  # surrogates included
PRINTABLE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
CONVEX_ID = st.builds(lambda n, s: "".join(s)[:n], st.integers(31, 37), st.lists(st.sampled_from(ALPHABET), min_size=37, max_size=37))
NEAR_ID = st.one_of(
    st.text(st.sampled_from(ALPHABET + "iloU_-A. /%"), min_size=25, max_size=45),
    CONVEX_ID.map(lambda s: s.upper()),
    CONVEX_ID.map(lambda s: s + "\n"),
    CONVEX_ID.map(lambda s: "%" + s[:30]),
)
WEIRD_NUMBERS = st.sampled_from([0, -1, 2**31, 2**63, -(2**63) - 1, 10**30, 10**400, 1e308, -1e308, 5e-324,
                                 float("nan"), float("inf"), float("-inf"), -0.0, 0.5, 13.0])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), WEIRD_NUMBERS, st.floats(), ANY_TEXT)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(ANY_TEXT, children, max_size=5)),
    max_leaves=20,
)


def deep(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"a": value}
    return value


REPLACEMENTS = st.one_of(
    JSON_VALUES,
    st.integers(1, 200).map(deep),
    st.sampled_from([{}, [], "", None, True, "a" * 100_000, "\ud800", "\x00", "\u202e" + "x", "\r\n" * 50]),
)


# ---------------------------------------------------------------- JSON tree mutation


def paths_of(value: Any, limit: int = 40) -> list[tuple]:
    """Every path into `value` (keys and indexes), not descending deeper than `limit`."""
    out, stack = [], [((), value)]
    while stack:
        prefix, node = stack.pop()
        out.append(prefix)
        if len(prefix) >= limit:
            continue
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        stack.extend(((*prefix, k), v) for k, v in items)
    return out


def mutate_tree(doc: Any, draw: Callable[[st.SearchStrategy], Any], rounds: int) -> Any:
    """`doc` (deep-copied) with `rounds` random edits: a value replaced, a key removed or renamed, a list entry duplicated."""
    doc = json.loads(json.dumps(doc))
    for _ in range(rounds):
        paths = paths_of(doc)
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "rename", "duplicate", "null"]))
        if not path:
            doc = draw(REPLACEMENTS) if op == "replace" else doc
            continue
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if op == "replace":
            parent[last] = draw(REPLACEMENTS)
        elif op == "null":
            parent[last] = None
        elif op == "delete":
            del parent[last]
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(ANY_TEXT)] = parent.pop(last)
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(last, json.loads(json.dumps(parent[last])))
    return doc


HUGE_INT = "9" * 5000  # more digits than Python's int parser accepts by default


def encode(doc: Any, draw: Callable[[st.SearchStrategy], Any]) -> bytes:
    """`doc` as JSON bytes, sometimes with a text-level fault: a huge integer, a BOM, invalid UTF-8, a cut."""
    try:
        text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    except ValueError:  # an int too long to print: write it as digits ourselves
        text = json.dumps(doc, ensure_ascii=True, default=str)
    data = text.encode("utf-8", "surrogatepass")
    fault = draw(st.sampled_from(["none"] * 6 + ["huge_int", "bom", "bad_utf8", "cut", "nan", "deep"]))
    if fault == "huge_int":
        data = re.sub(rb"\b\d+\.\d+\b", HUGE_INT.encode(), data, count=draw(st.integers(1, 3)))
    elif fault == "bom":
        data = b"\xef\xbb\xbf" + data
    elif fault == "bad_utf8":
        at = draw(st.integers(0, max(0, len(data) - 1)))
        data = data[:at] + b"\xff\xfe" + data[at:]
    elif fault == "cut":
        data = data[: draw(st.integers(0, max(0, len(data) - 1)))]
    elif fault == "deep":  # nesting past what the parser or a recursive reader can take
        depth = draw(st.sampled_from([500, 990, 2000, 100_000]))
        data = re.sub(rb'"experiment": "[^"]*"', b'"experiment": ' + b"[" * depth + b"]" * depth, data, count=1)
    elif fault == "nan":
        data = data.replace(b"13.0", b"NaN", 1)
    return data


def small_bundle(base: dict[str, Any], draw: Callable[[st.SearchStrategy], Any]) -> dict[str, Any]:
    """`base` cut down to 1-3 of its failures (all 13 now and then), so one input analyses quickly."""
    failed = base["summary"]["failedEvals"]
    keep = failed if draw(st.integers(0, 9)) == 0 else draw(st.lists(st.sampled_from(failed), min_size=1, max_size=3, unique_by=lambda f: f["_id"]))
    ids = {f["_id"] for f in keep}
    summary = dict(base["summary"], failedEvals=keep, failedCount=float(len(keep)))
    return {**base, "summary": summary, "evals": {k: v for k, v in base["evals"].items() if k in ids}}


# ---------------------------------------------------------------- targets


class Target(abc.ABC):
    """A strategy of inputs, the call that consumes one, and the exceptions that are its documented answers."""

    name = ""
    expected: tuple[type[BaseException], ...] = (ea.EvalAnalysisError,)

    @abc.abstractmethod
    def strategy(self) -> st.SearchStrategy:
        """The inputs this target is fed."""

    @abc.abstractmethod
    def prepared(self) -> contextlib.AbstractContextManager[Callable[[Any], Any]]:
        """A context (temporary folders, servers) that yields the call consuming one input."""


def isolated_settings(folder: Path, config_file: Path | None = None, **overrides: Any) -> ea.Settings:
    """Settings from `config_file` (and `overrides`) only: no environment, no user config, `folder` as the cwd."""
    return ea.load_config(config_file, env={}, cwd=folder, user_file=folder / "no-user-config.toml", overrides=overrides or None)


class RunrefTarget(Target):
    name = "runref"

    def texts(self):
        """Any text a user might pass as the run: ids, near-ids, URLs of every shape, paths."""
        segment = st.one_of(CONVEX_ID, NEAR_ID, PRINTABLE, ANY_TEXT, st.sampled_from(["run", "experiment", "..", ".", "", "%2F"]))
        url = st.builds(
            lambda scheme, host, exp, rid, tail, q: f"{scheme}{host}/experiment/{exp}/run/{rid}{tail}{q}",
            st.sampled_from(["https://", "http://", "", "//", "file://", "HTTPS://", "https:/"]),
            st.sampled_from(["convex-evals.netlify.app", "localhost:99999", "[::1", "a b", "", "x@y"]),
            segment, segment,
            st.sampled_from(["", "/", "/eval/abc", "/run/x", "?a=1", "#frag", "/%ff"]),
            st.sampled_from(["", "?x=/run/y", "#/run/", "?" + "a" * 300]),
        )
        pathlike = st.builds(
            lambda a, b, ext: f"{a}/{b}{ext}", st.sampled_from(["", ".", "/tmp", "~", "/dev", "/proc/self", "C:", "\\\\srv"]),
            st.one_of(PRINTABLE, ANY_TEXT), st.sampled_from(["", ".json", ".JSON", ".json/", "\x00.json"]),
        )
        return st.one_of(ANY_TEXT, st.text(max_size=400), CONVEX_ID, NEAR_ID, url, pathlike,
                         st.lists(st.one_of(segment, st.just("run"), st.just("/")), max_size=8).map("/".join))

    def strategy(self):
        # Inputs with a documented answer, checked: a visualizer URL gives its run id, an existing bundle file its path.
        name = st.one_of(st.sampled_from(["run", "experiment", "runs", "eval", "default", "jn7easv5ga22s4wb146n8jmszsm1wpjp", "a b", "é"]),
                         PRINTABLE.filter(lambda t: t.strip() == t and t not in ("", ".", "..") and not re.search(r"[/?#%\\]", t)))
        visualizer = st.tuples(st.just("url"), name, CONVEX_ID, st.sampled_from(["", "/", "/eval/abc", "?a=1", "#frag", "/run/x"]))
        bundle = st.tuples(st.just("file"), st.lists(name, min_size=0, max_size=4), name, st.booleans())
        return st.one_of(st.tuples(st.just("text"), self.texts()), visualizer, bundle)

    @contextlib.contextmanager
    def prepared(self):
        with tempfile.TemporaryDirectory(prefix="evalanalysis-fuzz-runref-") as tmp:
            folder = Path(tmp)

            def call(value):
                if value[0] == "text":
                    return ea.resolve_run(value[1])
                if value[0] == "url":
                    _, experiment, run_id, tail = value
                    url = f"https://convex-evals.netlify.app/experiment/{experiment}/run/{run_id}{tail}"
                    return checked(url, ea.RunRef(run_id), "visualizer URL")
                _, dirs, stem, absolute = value
                shutil.rmtree(folder / "b", ignore_errors=True)
                path = folder.joinpath("b", *dirs, stem + ".json")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("{}")
                text = str(path) if absolute else os.path.relpath(path)
                return checked(text, ea.RunRef(None, bundle=Path(text)), "bundle file")

            def checked(text, want, what):
                try:
                    got = ea.resolve_run(text)
                except ea.EvalAnalysisError as exc:
                    raise WrongAnswer(f"{what} {text!r} refused: {exc}", f"{what} refused") from None
                if got != want:
                    raise WrongAnswer(f"{what} {text!r} gave {got}, not {want}", f"{what} misread")
                return got

            yield call


class WrongAnswer(Exception):
    """An input whose documented answer the entry point did not give."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = f"WrongAnswer: {kind}"


class AnswersTarget(Target):
    name = "answers"
    expected = (AnswerError,)
    PATHS = {"002-queries/014-select_distinct", "001-data_modeling/008-nullable_partial"}

    def strategy(self):
        classes = st.one_of(st.sampled_from(["MODEL_FAULT", "model fault", "Known-Gap", "overly_strict", "", " "]), ANY_TEXT, JSON_VALUES)
        maybe = lambda s: st.one_of(s, JSON_VALUES)  # noqa: E731
        evidence = st.fixed_dictionaries({}, optional={"kind": maybe(st.sampled_from(["error_code", "task", "gap", "x"])),
                                                       "detail": maybe(ANY_TEXT), "source": maybe(ANY_TEXT)})
        verdict = st.fixed_dictionaries(
            {"classification": classes, "confidence": maybe(st.floats(-1, 2) | st.integers(-2, 2) | WEIRD_NUMBERS)},
            optional={"reasoning": maybe(ANY_TEXT), "error_summary": maybe(ANY_TEXT), "model_snippet": maybe(ANY_TEXT),
                      "expected_snippet": maybe(ANY_TEXT), "evidence": maybe(st.lists(maybe(evidence), max_size=4)),
                      "tags": maybe(st.lists(maybe(ANY_TEXT), max_size=10))},
        )
        evals = maybe(st.lists(st.one_of(st.sampled_from(sorted(self.PATHS)), JSON_VALUES), max_size=4))
        pattern = st.fixed_dictionaries({}, optional={"kind": maybe(ANY_TEXT), "title": maybe(ANY_TEXT), "detail": maybe(ANY_TEXT), "evals": evals})
        rec = st.fixed_dictionaries({}, optional={"group": maybe(st.sampled_from(["model", "harness", "docs", "tasks"])), "text": maybe(ANY_TEXT), "evals": evals})
        synthesis = st.fixed_dictionaries({}, optional={"patterns": maybe(st.lists(maybe(pattern), max_size=14)),
                                                         "recommendations": maybe(st.lists(maybe(rec), max_size=26))})
        objects = st.one_of(verdict, synthesis, JSON_VALUES)

        def as_text(value, wrap):
            text = json.dumps(value, ensure_ascii=False, default=str, allow_nan=True)
            return {"plain": text, "fence": f"```json\n{text}\n```", "prose": f"<think>{{not json}}</think>\nHere: {text} done",
                    "cut": text[: len(text) // 2], "deep": "[" * 100_000 + text}[wrap]

        texts = st.builds(as_text, objects, st.sampled_from(["plain", "fence", "prose", "cut", "deep"]))
        return st.tuples(st.sampled_from(["verdict", "synthesis"]), st.one_of(objects, texts, ANY_TEXT))

    @contextlib.contextmanager
    def prepared(self):
        def call(value):
            which, raw = value
            if which == "verdict":
                return parse_verdict(raw, ea.DEFAULT_TAXONOMY, "llm")
            return parse_synthesis(raw, set(self.PATHS))

        yield call


class HistoryTarget(Target):
    name = "history"
    expected = ()  # parse_report documents no error: an unreadable report is a record with a warning

    def reports(self) -> list[str]:
        files = sorted(p for d in REPORT_DIRS if d.is_dir() for p in d.rglob("*.md") if p.name != "README.md")
        return [p.read_text(encoding="utf-8", errors="replace") for p in files]

    def strategy(self):
        reports = self.reports()
        snippets = st.sampled_from([
            "# ", "## ", "### 002-queries/014-select_distinct\n", "#### ", "| a | b |\n|---|---|\n| 1 |", "|", "\n---\n",
            "---\nmodel: x\n---\n", "- **Class:** MODEL_FAULT\n", "* ", "1. ", "```\n", "`", "**", "<!--", "-->", "<details>",
            "> ", "\t", "\x00", "\ud800", "\r", "\u2028", "[x](", "MODEL_FAULT", "KNOWN_GAP", "jn7easv5ga22s4wb146n8jmszsm1wpjp",
            "Run ID: ", "**Model:** ", "Date: 2026-99-99", "\\", "|" * 200, "#" * 200, "- " * 200, "x" * 10_000,
            HUGE_INT, f"{HUGE_INT}/66", f"{HUGE_INT} of 66 evals failed", f"**Pass rate:** {HUGE_INT}%", "> " * 1000,
            "  " * 500 + "- x", "[" * 5000,
        ])

        @st.composite
        def mutated(draw):
            text = draw(st.sampled_from(reports)) if reports else ""
            lines = text.split("\n")
            for _ in range(draw(st.integers(1, 6))):
                op = draw(st.sampled_from(["delete", "duplicate", "insert", "cut", "swap", "replace_char"]))
                at = draw(st.integers(0, max(0, len(lines) - 1)))
                if op == "delete" and lines:
                    del lines[at : at + draw(st.integers(1, 30))]
                elif op == "duplicate" and lines:
                    lines[at:at] = lines[at : at + draw(st.integers(1, 20))] * draw(st.integers(1, 3))
                elif op == "insert":
                    lines.insert(at, draw(st.one_of(snippets, ANY_TEXT)) + draw(st.one_of(snippets, st.just(""))))
                elif op == "cut" and lines:
                    lines = lines[:at]
                elif op == "swap" and len(lines) > 1:
                    other = draw(st.integers(0, len(lines) - 1))
                    lines[at], lines[other] = lines[other], lines[at]
                elif op == "replace_char" and lines and lines[at]:
                    col = draw(st.integers(0, len(lines[at]) - 1))
                    lines[at] = lines[at][:col] + draw(st.one_of(snippets, ANY_TEXT)) + lines[at][col + 1 :]
            return "\n".join(lines)

        arbitrary = st.lists(st.one_of(snippets, ANY_TEXT, st.text(max_size=80)), max_size=30).map("".join)
        path = st.one_of(st.just(""), st.just("anthropic/claude-x/jn7easv5_2026-11-25.md"), PRINTABLE, ANY_TEXT)
        return st.tuples(st.one_of(mutated(), mutated(), arbitrary, ANY_TEXT), path)

    @contextlib.contextmanager
    def prepared(self):
        yield lambda value: parse_report(value[0], value[1])


class ConfigTarget(Target):
    name = "config"

    BASE = '''[analyze]
source = "bundle"
formats = ["markdown", "json", "html"]
reports_dir = "reports"
concurrency = 4
history = true

[classifier]
name = "rules"
timeout = 120.0
max_retries = 2

[plugins.convex]
url = "https://example.convex.cloud"
retry_backoff = 0.5

[cache]
enabled = false

[plugins.myplugin]
option = "x"

[[taxonomy.classes]]
name = "MODEL_FAULT"
description = "The model genuinely got it wrong."
role = "model_fault"

[[taxonomy.classes]]
name = "HARNESS_FAILURE"
description = "The grader failed."
role = "infrastructure"
counts_as_pass = true
actionable = true
'''

    def strategy(self):
        from evalanalysis_plugins.convex import ConvexOptions

        keys = sorted([*scalar_keys(), *(f"convex.{a.name}" for a in attrs.fields(ConvexOptions))])
        toml_values = st.one_of(
            st.sampled_from(['""', '"x"', "0", "-1", "1", "2147483648", "9223372036854775807", "99999999999999999999", "nan", "inf",
                             "-inf", "1e400", "0.0", "true", "false", "[]", '["markdown"]', '["nope"]', "[1, 2]", "{}",
                             '{a = 1}', "1979-05-27T07:32:00Z", "1979-05-27", "07:32:00", '"""\nmulti\n"""', "'lit'",
                             '"\\ud800"', '"\\u0000"', '"' + "a" * 5000 + '"', "[[[[[[[[[[1]]]]]]]]]]", '"   "', '"/dev/null"',
                             HUGE_INT, "-" + HUGE_INT, "0." + HUGE_INT, "[" * 5000 + "]" * 5000]),
            PRINTABLE.map(json.dumps),
        )
        section_names = st.sampled_from(["analyze", "classifier", "cache", "convex", "plugins.convex", "taxonomy", "plugins", "plugins.x",
                                         "plugins.x.y", "unknown", "analyze.sub", "taxonomy.classes", "plugins.api_key"])
        line = st.one_of(
            st.builds(lambda k, v: f"{k.partition('.')[2]} = {v}", st.sampled_from(keys), toml_values),
            st.builds(lambda s: f"[{s}]", section_names),
            st.builds(lambda s: f"[[{s}]]", section_names),
            st.builds(lambda k, v: f"{k} = {v}", st.sampled_from(["name", "description", "role", "counts_as_pass", "actionable",
                                                                   "api_key", "token", "deployKey", "x", "classes"]), toml_values),
            st.builds(lambda k, v: f"{k} = {v}", st.sampled_from(keys), toml_values),
            PRINTABLE, ANY_TEXT,
        )

        @st.composite
        def mutated(draw):
            lines = self.BASE.split("\n")
            for _ in range(draw(st.integers(1, 5))):
                op = draw(st.sampled_from(["insert", "insert", "delete", "replace", "cut"]))
                at = draw(st.integers(0, len(lines) - 1)) if lines else 0
                if op == "insert" or not lines:
                    lines.insert(at, draw(line))
                elif op == "delete":
                    del lines[at]
                elif op == "replace":
                    lines[at] = draw(line)
                else:
                    lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
            return "\n".join(lines)

        generated = st.lists(line, max_size=15).map("\n".join)
        text = st.one_of(mutated(), mutated(), generated, ANY_TEXT)
        return st.tuples(text, st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "bad"]))

    @contextlib.contextmanager
    def prepared(self):
        from evalanalysis_plugins.convex import ConvexOptions

        with tempfile.TemporaryDirectory(prefix="evalanalysis-fuzz-config-") as tmp:
            folder = Path(tmp)
            path = folder / "evalanalysis.toml"

            def call(value):
                text, encoding = value
                data = text.encode("utf-8", "surrogatepass")
                if encoding == "utf-8-sig":
                    data = b"\xef\xbb\xbf" + data
                elif encoding == "bad":
                    data = data + b"\n# \xff\xfe"
                path.write_bytes(data)
                settings = isolated_settings(folder, path)
                ConvexOptions.from_settings(settings)  # the plugin's own check of its table
                return settings

            yield call


class BundleTarget(Target):
    name = "bundle"

    def strategy(self):
        base = json.loads(MIXED_RUN.read_text(encoding="utf-8"))

        @st.composite
        def bundles(draw):
            doc = small_bundle(base, draw)
            doc = mutate_tree(doc, draw, draw(st.integers(0, 4)))
            if draw(st.integers(0, 9)) == 0:  # the provider (or model) null, as some old runs have it
                run = doc.get("summary", {}).get("run") if isinstance(doc, dict) and isinstance(doc.get("summary"), dict) else None
                if isinstance(run, dict):
                    run[draw(st.sampled_from(["provider", "model", "experiment"]))] = None
            return encode(doc, draw), draw(st.integers(0, 19)) == 0

        return bundles()

    @contextlib.contextmanager
    def prepared(self):
        with tempfile.TemporaryDirectory(prefix="evalanalysis-fuzz-bundle-") as tmp:
            folder = Path(tmp)
            reports = folder / "reports"
            def settings(formats):
                return isolated_settings(folder, **{
                    "analyze.reports_dir": str(reports), "analyze.history": False, "cache.enabled": False,
                    "analyze.formats": formats})

            # The HTML reporter compiles its template for each analysis (about 0.3 s): one input in 20 writes HTML too.
            plain, with_html = settings(["markdown", "json"]), settings(["markdown", "json", "html"])
            registry = ea.PluginRegistry(ea.get_plugin_manager())
            path = folder / "run.json"

            def call(value):
                data, html = value
                shutil.rmtree(reports, ignore_errors=True)
                path.write_bytes(data)
                return ea.analyze(str(path), settings=with_html if html else plain, registry=registry, write=True)

            yield call


class _RawHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, headers, body = self.server.reply
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status not in (204, 304):
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def raw_server() -> Iterator[ThreadingHTTPServer]:
    """A loopback HTTP server answering every POST with `server.reply` = (status, headers, body bytes)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RawHandler)
    server.daemon_threads = True
    server.reply = (200, [], b"{}")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def as_convex_serves(value: Any) -> Any:
    """`value` with the numbers Convex cannot hold made strings (ints past float range, NaN, infinities):
    the fake serves every number as a float, as Convex does."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int) and abs(value) > 2**1000 or isinstance(value, float) and not math.isfinite(value):
        return str(value) if not isinstance(value, int) else "9" * 40
    if isinstance(value, dict):
        return {k: as_convex_serves(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_convex_serves(v) for v in value]
    return value


class ConvexTarget(Target):
    name = "convex"

    def strategy(self):
        base = json.loads(MIXED_RUN.read_text(encoding="utf-8"))
        run_id = base["summary"]["run"]["_id"]
        past_dates = st.builds(
            lambda day, month, year, hh, tz: f"{day}, 01 {month} {year:04d} {hh:02d}:00:00 {tz}",
            st.sampled_from(["Mon", "Xyz", ""]), st.sampled_from(["Jan", "Feb", "Foo"]), st.integers(100, 2025),
            st.integers(0, 25), st.sampled_from(["GMT", "-0000", "+1400", "-1400", "UTC", "", "+9999"]),
        )
        retry_after = st.one_of(st.sampled_from(["0", "0.001", "-5", "nan", "-inf", "1e-300", "abc", "", "0x10", "\u00e9"]),
                                past_dates)

        @st.composite
        def fake_input(draw):
            doc = small_bundle(base, draw)
            doc = as_convex_serves(mutate_tree({"summary": doc["summary"], "evals": doc["evals"]}, draw, draw(st.integers(0, 4))))
            fault = draw(st.one_of(
                st.none(), st.none(), st.none(),
                st.builds(lambda s, r: f"http:{s}" + (f":retry-after={r}" if r and not re.search(r"\s", r) else ""),
                          st.sampled_from([400, 401, 403, 404, 408, 429, 500, 502, 503, 560, 599]), st.one_of(st.none(), retry_after)),
                st.builds(lambda m: f"error:{m}", st.text(min_size=1, max_size=80)),
                st.just("drop"),
            ))
            return ("fake", doc, fault)

        @st.composite
        def raw_input(draw):
            status = draw(st.one_of(st.sampled_from([200, 200, 200, 560, 400, 401, 403, 404, 408, 429, 500, 502, 503]),
                                    st.integers(200, 599)))
            shape = draw(st.sampled_from(["success", "success", "error", "code", "json", "bytes", "cut", "empty", "huge", "deep"]))
            value = draw(REPLACEMENTS)
            if shape == "success":
                body: Any = {"status": "success", "value": value}
                if draw(st.booleans()):
                    body["value"] = mutate_tree(base["summary"], draw, draw(st.integers(0, 3)))
            elif shape == "error":
                body = {"status": "error", "errorMessage": value, "errorData": draw(JSON_VALUES)}
            elif shape == "code":
                body = {"code": value, "message": draw(REPLACEMENTS)}
            else:
                body = value
            data = {"bytes": None, "empty": b"", "huge": b'{"status": "success", "value": ' + HUGE_INT.encode() + b"}",
                    "deep": b'{"status": "success", "value": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"}.get(shape, ...)
            if data is ...:
                data = json.dumps(body, default=str).encode("utf-8", "surrogatepass")
                data = data[: len(data) // 2] if shape == "cut" else data
            elif data is None:
                data = draw(st.binary(max_size=200))
            headers = [("Content-Type", draw(st.sampled_from(["application/json", "text/html", "application/json; charset=latin-1", ""])))]
            if draw(st.booleans()):
                headers.append(("Retry-After", draw(retry_after)))
            if draw(st.integers(0, 4)) == 0:
                headers.append(("Connection", "close"))
            return ("raw", status, headers, data)

        return st.tuples(st.one_of(fake_input(), raw_input()), st.just(run_id))

    @contextlib.contextmanager
    def prepared(self):
        from tests.fakes.convex_server import DEFAULT_ADMIN_KEY, FakeConvex
        from evalanalysis_plugins.convex import ConvexSource

        loop = asyncio.new_event_loop()
        with FakeConvex() as fake, raw_server() as raw:
            options = {"max_retries": 1, "retry_backoff": 0.0, "timeout": 5.0}
            fake_source = ConvexSource(fake.url, DEFAULT_ADMIN_KEY, **options)
            raw_source = ConvexSource(f"http://127.0.0.1:{raw.server_address[1]}", DEFAULT_ADMIN_KEY, **options)

            async def fetch(source, run_id):
                summary = await source.fetch_run(run_id)
                if summary is None:  # documented: an unknown run
                    return None
                for failed in summary.failed_evals[:3]:
                    try:
                        await source.fetch_eval(failed)
                    except ea.EvalAnalysisError:  # one eval's error: the run goes on (orchestrate marks it)
                        pass
                return summary

            def call(value):
                request, run_id = value
                if request[0] == "fake":
                    _, doc, fault = request
                    fake.clear_faults()
                    fake.runs.clear()
                    fake.evals.clear()
                    fake.runs[run_id] = doc.get("summary") if isinstance(doc, dict) else doc
                    evals = doc.get("evals") if isinstance(doc, dict) else None
                    if isinstance(evals, dict):
                        fake.evals.update(evals)
                    if fault:
                        fake.add_faults("*", fault)
                    return loop.run_until_complete(fetch(fake_source, run_id))
                _, status, headers, data = request
                raw.reply = (status, headers, data)
                return loop.run_until_complete(fetch(raw_source, run_id))

            try:
                yield call
            finally:
                loop.run_until_complete(fake_source.aclose())
                loop.run_until_complete(raw_source.aclose())
                loop.close()


class CliCrash(Exception):
    """The CLI answered with an exit code outside 0/1/2, an error that is not one or two lines, or an unexpected error."""

    kind: str | None = None


class CliTarget(Target):
    """`evalanalysis analyze|config|history` in-process (click's CliRunner) on fuzzed runs, bundles, configs and reports.

    The error message is the stderr lines other than warnings and click's own usage preamble
    (`Usage: ...`, `Try '... --help'`): one or two of them on a failure, none of them `unexpected`.
    """

    name = "cli"
    expected = ()

    def strategy(self):
        bundle, config, report, run = (BundleTarget().strategy(), ConfigTarget().strategy(), HistoryTarget().strategy(),
                                       RunrefTarget().texts())
        option = st.one_of(
            st.tuples(st.just("--format"), st.one_of(st.sampled_from(["markdown", "json,html", ",", "nope", "html,html"]), PRINTABLE)),
            st.tuples(st.just("--concurrency"), st.sampled_from(["0", "1", "2", "8", "-3", "99999999999999999999", "x", ""])),
            st.tuples(st.just("--date"), st.one_of(st.sampled_from(["2026-01-01", "2026-13-01", "0001-01-01", "9999-12-31"]), PRINTABLE)),
            st.tuples(st.just("--source"), st.sampled_from(["bundle", "convex", "nope", ""])),
            st.tuples(st.just("--classifier"), st.sampled_from(["rules", "anthropic", "openai", "nope", ""])),
            st.tuples(st.just("--reports-dir"), st.sampled_from(["out", "", "run.json", "/dev/null/x", "a\x00b"])),
            st.sampled_from([("--json",), ("--quiet",), ("--no-cache",), ("--dry-run",), ("--no-synthesis",)]),
        )
        analyze = st.tuples(st.just("analyze"), st.one_of(st.tuples(st.just("bundle"), bundle), st.tuples(st.just("text"), run)),
                            st.lists(option, max_size=3), st.one_of(st.none(), st.none(), st.none(), config))
        show_config = st.tuples(st.just("config"), config, st.booleans())
        model = st.one_of(st.none(), st.sampled_from(["claude-x", "anthropic/claude-x", "claude-sonnet-4-5", "", "a/b/c"]), PRINTABLE)
        history = st.tuples(st.just("history"), report, st.tuples(model, st.lists(st.one_of(
            st.tuples(st.just("--eval"), st.one_of(st.just("002-queries/014-select_distinct"), PRINTABLE)),
            st.just(("--json",))), max_size=2)))
        return st.one_of(analyze, analyze, show_config, history)

    @contextlib.contextmanager
    def prepared(self):
        from click.testing import CliRunner

        from evalanalysis.cli import main as cli_main

        with tempfile.TemporaryDirectory(prefix="evalanalysis-fuzz-cli-") as tmp:
            folder = Path(tmp)
            env = {name: None for name in os.environ if name.startswith(("ANTHROPIC", "OPENAI", "CONVEX", "EVALANALYSIS"))}
            env.update(XDG_CONFIG_HOME=str(folder / "xdg-config"), XDG_CACHE_HOME=str(folder / "xdg-cache"),
                       CONVEX_URL="http://127.0.0.1:9", NO_COLOR="1")  # nothing leaves the machine
            runner = CliRunner()
            work = folder / "work"

            def toml_file(config) -> str:
                text, _ = config
                # No URL from a fuzzed config: a Convex or LLM base URL could reach a real host.
                text = "\n".join(line for line in text.split("\n") if "url" not in line)
                path = work / "fuzz.toml"
                path.write_bytes(text.encode("utf-8", "surrogatepass"))
                return str(path)

            def argv_of(value) -> list[str]:
                command = value[0]
                if command == "analyze":
                    _, (kind, run), options, config = value
                    if kind == "bundle":
                        (work / "run.json").write_bytes(run[0])
                        run = "run.json"
                    args = ["analyze", run, *[part for opt in options for part in opt]]
                    return args + (["--config", toml_file(config)] if config is not None else [])
                if command == "config":
                    _, config, as_json = value
                    return ["config", "--config", toml_file(config)] + (["--json"] if as_json else [])
                _, (text, rel), (model, options) = value
                report = work / "history-reports" / "anthropic" / "claude-x" / "jn7easv5_2026-11-25.md"
                report.parent.mkdir(parents=True, exist_ok=True)
                report.write_bytes(text.encode("utf-8", "surrogatepass"))
                args = ["history", "--reports-dir", str(work / "history-reports"), *[part for opt in options for part in opt]]
                return args + (["--", model] if model is not None else [])

            def call(value):
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir()
                cwd = os.getcwd()
                os.chdir(work)
                try:
                    argv = [a.replace("\x00", "") for a in argv_of(value)]  # an OS argument cannot hold NUL
                    result = runner.invoke(cli_main, argv, env=env, catch_exceptions=True)
                finally:
                    os.chdir(cwd)
                if result.exception is not None and not isinstance(result.exception, SystemExit):
                    raise result.exception.with_traceback(result.exc_info[2])
                if result.exit_code not in (0, 1, 2):
                    crash = CliCrash(f"exit code {result.exit_code}: {result.stderr.strip()[:200]}")
                    crash.kind = f"exit code {result.exit_code}"
                    raise crash
                if result.exit_code:
                    lines = [line for line in result.stderr.splitlines()
                             if line.strip() and not line.startswith(("warning:", "Usage:", "Try '"))]
                    if not 1 <= len(lines) <= 2:
                        crash = CliCrash(f"exit {result.exit_code} with {len(lines)} error lines: {result.stderr.strip()[:300]!r}")
                        crash.kind = f"{'no' if not lines else 'more than two'} error lines ({argv[0]})"
                        raise crash
                    if "error: unexpected" in result.stderr:  # a bug the CLI hid: rerun with --debug to see where
                        os.chdir(work)
                        try:
                            debug = runner.invoke(cli_main, ["--debug", *argv], env=env, catch_exceptions=True)
                        finally:
                            os.chdir(cwd)
                        crash = CliCrash(result.stderr.strip().splitlines()[-1][:300])
                        if debug.exception is not None and not isinstance(debug.exception, SystemExit):
                            crash.kind = f"unexpected {type(debug.exception).__name__} at {where(debug.exception)}"
                        raise crash
                return result

            yield call


TARGETS: dict[str, Target] = {t.name: t for t in (RunrefTarget(), BundleTarget(), ConfigTarget(), HistoryTarget(), AnswersTarget(), ConvexTarget(), CliTarget())}


def fuzz(name: str, count: int, seed: int = 0) -> Outcome:
    """Feed `count` generated inputs to target `name` and return what it found (no input stops the run)."""
    target = TARGETS[name]
    outcome = Outcome(name)
    strategy = target.strategy()
    start = time.perf_counter()
    with target.prepared() as call:

        @hypothesis_seed(seed)
        @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate], derandomize=False,
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def run(value):
            outcome.inputs += 1
            try:
                with time_limit(HANG_SECONDS):
                    call(value)
            except target.expected:
                pass
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # noqa: BLE001 - every other exception is what we count
                outcome.crash(exc, value)

        run()
    outcome.wall = time.perf_counter() - start
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="inputs per target (default 10000)")
    parser.add_argument("--target", choices=sorted(TARGETS), action="append", help="fuzz only this target (repeatable)")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed (default 0)")
    parser.add_argument("--reports", type=Path, action="append", default=[], metavar="DIR",
                        help="more real reports (*.md) for the history target to mutate (repeatable)")
    args = parser.parse_args()
    REPORT_DIRS.extend(args.reports)
    random.seed(args.seed)
    crashed = False
    for name in args.target or list(TARGETS):
        outcome = fuzz(name, args.count, args.seed)
        print("\n".join(outcome.report()), flush=True)
        print(f"RESULT fuzz_{name}_inputs={outcome.inputs} fuzz_{name}_crashes={outcome.crashes}", flush=True)
        crashed |= outcome.crashes > 0
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
