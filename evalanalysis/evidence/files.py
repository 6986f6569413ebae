"""What the files say: the model's files beside the reference answer, the lines an error points
at, whether the model wrote the answer."""

from __future__ import annotations

import difflib
import json
import re
from typing import Mapping

from ..model import EvalDetail


def answer_path_for(output_path: str) -> str:
    return "answer/" + output_path


def paired_files(detail: EvalDetail) -> list[tuple[str, str | None, str | None]]:
    """(path, model text, answer text) for every file either side has, model files first."""
    outputs = dict(detail.output_files or {})
    answers = {
        path[len("answer/") :]: text
        for path, text in (detail.eval_source_files or {}).items()
        if path.startswith("answer/")
    }
    paths = list(outputs) + [p for p in answers if p not in outputs]
    return [(p, outputs.get(p), answers.get(p)) for p in paths]


def unified_diff(answer: str, output: str, path: str, context: int = 2) -> str:
    """A unified diff from the answer to the model's file."""
    return "".join(
        difflib.unified_diff(
            answer.splitlines(keepends=True),
            output.splitlines(keepends=True),
            fromfile=f"answer/{path}",
            tofile=f"model/{path}",
            n=context,
        )
    )


def files_named_in(text: str, files: Mapping[str, str] | None) -> list[str]:
    """Paths of `files` that `text` names (by full path or base name)."""
    if not files:
        return []
    named = []
    for path in files:
        base = path.rsplit("/", 1)[-1]
        if path in text or re.search(rf"(?<![\w.]){re.escape(base)}(?![\w])", text):
            named.append(path)
    return named


def line_numbers_named(text: str, path: str) -> list[int]:
    """Line numbers the error text points at in `path` (`path:12:3`, `path(12,3)`, ESLint blocks)."""
    numbers = [int(n) for n in re.findall(rf"{re.escape(path)}[:(](\d+)[,:]\d+", text)]
    block = re.search(rf"^\S*{re.escape(path)}\s*\n((?:\s+\d+:\d+.*\n?)+)", text, re.M)
    if block:
        numbers += [int(n) for n in re.findall(r"^\s+(\d+):\d+", block.group(1), re.M)]
    return list(dict.fromkeys(numbers))


def snippet_around(text: str, line_numbers: list[int], context: int = 2, limit: int = 20) -> str:
    """The lines around `line_numbers` (1-based) of `text`, at most `limit` lines."""
    lines = text.splitlines()
    keep: set[int] = set()
    for n in line_numbers:
        keep.update(range(max(0, n - 1 - context), min(len(lines), n + context)))
    chosen = sorted(keep)[:limit]
    return "\n".join(lines[i] for i in chosen)


# --------------------------------------------------------------------------- code the error points at


def pointed_lines(error: str, files: Mapping[str, str] | None) -> str:
    """The lines of the model's `files` that `error` points at (`path:12:3`, `path(12,3)`, ESLint blocks)."""
    picked = []
    for path in files_named_in(error, files):
        text = (files or {})[path]
        lines = text.splitlines()
        picked += [lines[n - 1] for n in line_numbers_named(error, path) if 0 < n <= len(lines)]
    return "\n".join(dict.fromkeys(picked))


SOURCE_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs")


def changed_lines(detail: EvalDetail) -> str:
    """The model's source lines that differ from the answer's (files both sides have)."""
    added = []
    for path, model_text, answer_text in paired_files(detail):
        if not path.endswith(SOURCE_SUFFIXES) or model_text is None or answer_text is None or model_text == answer_text:
            continue
        diff = unified_diff(answer_text, model_text, path, context=0)
        added += [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return "\n".join(added)


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def matches_answer(detail: EvalDetail) -> bool:
    """True when the model wrote the answer's source files, no more and no fewer (whitespace aside),
    and declared every package the answer's package.json declares.

    Package versions, names and other config files are not compared: they differ
    without changing what the grader exercises.
    """
    pairs = [(p, m, a) for p, m, a in paired_files(detail) if p.endswith(SOURCE_SUFFIXES)]
    if not pairs or not any(a is not None for _, _, a in pairs):
        return False
    if not all(m is not None and a is not None and _normalised(m) == _normalised(a) for _, m, a in pairs):
        return False
    packages = {p: (m, a) for p, m, a in paired_files(detail) if p.rsplit("/", 1)[-1] == "package.json"}
    return all(_dependencies(a) <= _dependencies(m) for m, a in packages.values())


def _dependencies(package_json: str | None) -> set[str]:
    """Names in dependencies and devDependencies of a package.json text (empty when unreadable)."""
    try:
        data = json.loads(package_json or "")
    except ValueError:
        return set()
    if not isinstance(data, dict):
        return set()
    names: set[str] = set()
    for key in ("dependencies", "devDependencies"):
        if isinstance(data.get(key), dict):
            names.update(data[key])
    return names
