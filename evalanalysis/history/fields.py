"""Reading values out of report text: eval references, heading parts, `Key: value` fields,
classes, steps, run ids, dates and pass rates. Pure functions over short strings."""

from __future__ import annotations

import re

from attrs import frozen

from .. import layout
from ..taxonomy import CLASS_ROLES, CLASS_SYNONYMS, DEFAULT_TAXONOMY
from ..names import CONVEX_ID, CONVEX_ID_ALPHABET, model_key, other_models, same_category, same_run  # noqa: F401  (read here too)

# convex-evals names categories and evals `NNN-words` (000-fundamentals, 003-crons).
NUMBERED = r"\d{2,4}-[A-Za-z][\w.]*(?:-[A-Za-z0-9_.]+)*"  # a letter after the dash: dates are not evals
_NUMBERED_PATH = re.compile(rf"(?<![\w/-])({NUMBERED})/({NUMBERED})(?![\w/])")
_NUMBERED_SUFFIX = re.compile(rf"(?<![\w/-])({NUMBERED})\s*\(\s*(?:category:?\s*)?({NUMBERED})\s*\)")
_NUMBERED_BARE = re.compile(rf"(?<![\w/-])({NUMBERED})(?![\w/-])")
_LOOSE_PATH = re.compile(r"^([A-Za-z0-9][\w.-]*)/([A-Za-z0-9][\w.-]*)$")
_LOOSE_SUFFIX = re.compile(r"^([A-Za-z0-9][\w.-]*)\s*\(\s*([A-Za-z0-9][\w.-]*)\s*\)$")

_NUMBERING = re.compile(r"^\s*(?:(?:failure|eval|finding|issue)\s*)?#?\d{1,3}\s*[.):]\s*(?=\S)", re.I)
_SEPARATORS = re.compile(r"\s+(?:--|—|–|-|:|\|)\s+|\s*[—–]\s*|:\s+")
_FIELD = re.compile(
    r"^\s*(?:[*_]{2})?\s*(?P<key>[A-Za-z][A-Za-z0-9 /()'&?-]{0,40}?)\s*"
    r"(?:(?:[*_]{2})\s*(?::|[—–=]|-(?=\s))|:\s*(?:[*_]{2})|:|\s[—–=](?=\s)|\s-\s)(?P<value>.*)$"
)
_NO_STEP = re.compile(r"^\W*(?:unknown|none|n/?a|not known|\?|-|—)?\W*$")
_FIELD_JOINS = re.compile(r"\s+[·•|]\s+")
_CLASS_SHAPE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_CLASS_TOKEN = re.compile(r"(?<![A-Za-z0-9_])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?![A-Za-z0-9_])")
# Known multi-word classes written as words in any case, joined by spaces, hyphens or underscores.
_CLASS_WORDS = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        r"[ _-]".join(map(re.escape, name.split("_")))
        for name in sorted({*DEFAULT_TAXONOMY.names, *(r.upper() for r in CLASS_ROLES), *CLASS_SYNONYMS}, key=len, reverse=True)
        if "_" in name
    )
    + r")(?![\w-])",
    re.I,
)
_NEGATED = re.compile(r"\b(?:not|no|never|isn't|wasn't|rather than|instead of)\s+(?:an?\s+|the\s+)?$", re.I)
_EDGE_MARKS = re.compile(r"^[^\w(]+|[^\w)]+$")
_RUN_ID = re.compile(rf"(?<![0-9a-z])({CONVEX_ID.pattern})(?![0-9a-z])")
_SHORT_RUN = re.compile(rf"(?<![\w/-])(jn[{CONVEX_ID_ALPHABET}]{{4,12}})(?![\w/-])")
_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
_PASS = re.compile(r"(\d+)\s*/\s*(\d+)")

STEP_WORDS = {
    "filesystem": "filesystem", "fs": "filesystem", "install": "install", "npm": "install",
    "deploy": "deploy", "convex": "deploy", "tsc": "tsc", "typecheck": "tsc", "typescript": "tsc",
    "eslint": "eslint", "lint": "eslint", "tests": "tests", "test": "tests", "vitest": "tests",
}

# Our own layout's labels first (`evalanalysis.layout`), then the wordings hand-written reports use.
FIELD_NAMES = {
    **{label.lower(): key for label, key in {**layout.METADATA_FIELDS, **layout.FAILURE_FIELDS}.items()},
    "classification": "class", "class": "class", "verdict": "class", "label": "class", "diagnosis": "class",
    "eval": "eval", "eval path": "eval", "evaluation": "eval", "eval name": "eval", "failure": "eval",
    "category": "category", "eval category": "category",
    "failed step": "step", "step": "step", "failing step": "step", "failed at": "step", "stage": "step",
    "error": "error", "error summary": "error",
    "reasoning": "reasoning", "reason": "reasoning", "root cause": "reasoning", "why": "reasoning",
    "one-line reasoning": "reasoning", "summary": "reasoning", "explanation": "reasoning",
    "note": "note", "notes": "note",
    "repeat": "repeat", "repeat?": "repeat", "recurring": "repeat", "repeat of": "repeat", "previously": "repeat",
    "action taken": "action", "actions taken": "action", "action": "action", "fix applied": "action",
    "run": "run", "run id": "run", "run ids": "run", "runs": "run",
    "model": "model", "provider": "provider", "experiment": "experiment", "date": "date",
    "pass rate": "pass_rate", "pass rates": "pass_rate", "recorded pass rate": "pass_rate",
    "recorded pass rates": "pass_rate", "score": "pass_rate", "passed": "pass_rate",
    "corrected pass rate": "corrected_pass_rate", "corrected pass rates": "corrected_pass_rate",
    "corrected estimate": "corrected_pass_rate", "corrected estimate after grader fixes": "corrected_pass_rate",
}


@frozen
class EvalRef:
    """An eval as a report names it: `name` always, `category` when the report says it."""

    name: str
    category: str | None = None

    @property
    def path(self) -> str:
        return f"{self.category}/{self.name}" if self.category else self.name


@frozen
class HeadingParts:
    """What a heading says: an eval, a class, a step (each None when absent)."""

    ref: EvalRef | None
    classification: str | None = None
    step: str | None = None


def code_span(text: str) -> str | None:
    """The content of `text` when it is one whole code span (`` `a | b` ``), as CommonMark reads it
    (no escapes or entities inside; one padding space each side dropped); else None."""
    text = text.strip()
    opener = re.match(r"`+", text)
    if opener is None:
        return None
    fence = opener.group(0)
    rest = text[len(fence) :]
    if not rest.endswith(fence) or len(rest) <= len(fence):
        return None
    body = rest[: -len(fence)]
    if body.endswith("`") or any(len(run) == len(fence) for run in re.findall(r"`+", body)):
        return None  # the span closes earlier, or the closing run is longer than the opener
    if len(body) > 2 and body.startswith(" ") and body.endswith(" ") and body.strip(" "):
        body = body[1:-1]
    return body or None


def exact_ref(text: str) -> EvalRef | None:
    """An eval written as one code span (our reports do so for any path the heuristics would misread):
    its content is the eval path, verbatim."""
    content = code_span(text)
    if content is None:
        return None
    category, slash, name = content.rpartition("/")
    return EvalRef(name, category) if slash and category and name else EvalRef(content)


# A code span as CommonMark reads it; an opener after a backslash is an escaped backtick, not code.
CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)


def without_code(text: str) -> str:
    """`text` with its code spans blanked out: what a code span holds is quoted data, never structure."""
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)


_PATH_TOKEN = re.compile(rf"[\w.+-]*/[\w.+/-]*|{NUMBERED}")


def without_paths(text: str) -> str:
    """`text` without eval paths and numbered names (`000-x/003-patterns` is an eval, not a "patterns" section)."""
    return _PATH_TOKEN.sub(" ", text)


def clean(text: str) -> str:
    """Text without markdown emphasis, backticks or surrounding quotes, on one line."""
    text = re.sub(r"[*_]{2}|`", "", text)
    return re.sub(r"\s+", " ", text).strip().strip("\"'").strip()


def eval_ref(text: str, *, loose: bool = False) -> EvalRef | None:
    """The first eval named in `text`: `category/name`, `name (category)` or a bare numbered name.

    `loose` also accepts un-numbered `a/b` and `a (b)` when they are the whole text
    (our own reports, where the database's eval path may have any shape).
    """
    text = clean(text)
    path = _NUMBERED_PATH.search(text)
    suffix = _NUMBERED_SUFFIX.search(text)
    if path and (not suffix or path.start() <= suffix.start()):
        return EvalRef(_trim(path.group(2)), _trim(path.group(1)))
    if suffix:
        return EvalRef(_trim(suffix.group(1)), _trim(suffix.group(2)))
    if loose:
        for pattern, name_group, category_group in ((_LOOSE_PATH, 2, 1), (_LOOSE_SUFFIX, 1, 2)):
            match = pattern.match(text)
            if match and not _not_a_category(match.group(category_group)):
                return EvalRef(_trim(match.group(name_group)), _trim(match.group(category_group)))
    bare = _NUMBERED_BARE.search(text)
    return EvalRef(_trim(bare.group(1))) if bare else None


def eval_refs(text: str) -> list[EvalRef]:
    """Every numbered eval named in free text, in order, without duplicates."""
    text = clean(text)
    found: dict[str, EvalRef] = {}
    spans: list[tuple[int, int]] = []
    for pattern, name_group, category_group in ((_NUMBERED_PATH, 2, 1), (_NUMBERED_SUFFIX, 1, 2)):
        for m in pattern.finditer(text):
            ref = EvalRef(_trim(m.group(name_group)), _trim(m.group(category_group)))
            found.setdefault(ref.path, ref)
            spans.append(m.span())
    for m in _NUMBERED_BARE.finditer(text):
        if not any(a <= m.start() < b for a, b in spans):
            ref = EvalRef(_trim(m.group(1)))
            found.setdefault(ref.path, ref)
    return list(found.values())


def _not_a_category(text: str) -> bool:
    """True for what a `(…)` after an eval names instead of a category: a step (`deploy`), a score (`17%`)."""
    return text.endswith("%") or text.lower() in STEP_WORDS


def _trim(token: str) -> str:
    return token.rstrip(".-_")


def strip_numbering(title: str) -> str:
    """`3. 003-crons -- deploy` -> `003-crons -- deploy`."""
    return _NUMBERING.sub("", clean(title), count=1)


def heading_parts(title: str) -> HeadingParts:
    """Split a heading like `1. 002-x (000-y) -- tests (0%)` or `1) a/b — OVERLY_STRICT` into parts.

    An eval written as a leading code span (`` 1. `a -- b/KNOWN_GAP` -- tests ``) is that
    path verbatim; no other code span in the heading is read for an eval, class or step.
    """
    unnumbered = _NUMBERING.sub("", title.strip(), count=1)
    lead = _LEADING_SPAN.match(unnumbered)
    ref = exact_ref(lead.group(0)) if lead else None
    if ref is not None:
        text = clean(without_code(unnumbered[lead.end() :]))
        rest = [s for s in _SEPARATORS.split(text) if s and s.strip()]
    else:
        text = strip_numbering(without_code(title))
        segments = [s for s in _SEPARATORS.split(text) if s and s.strip()]
        rest = []
        for i, segment in enumerate(segments):
            if ref is None:
                ref = eval_ref(segment, loose=i == 0)
                if ref is not None:
                    continue
            rest.append(segment)
    if ref is None:
        return HeadingParts(None)
    classification = step = None
    for segment in rest:
        if classification is None and looks_like_class(segment):
            classification = clean(segment)
        elif step is None and step_name(segment, strict=True):
            step = step_name(segment)
    if classification is None:  # `[MODEL_FAULT] 002-x (deploy)`: a class beside the eval, not after a separator
        classification = class_in_text(text)
    if step is None:  # `003-crons (deploy)`, `— Overly strict (eslint)`
        step = next((step_name(w) for w in re.findall(r"\((\w+)\)", text) if step_name(w, strict=True)), None)
    return HeadingParts(ref, classification, step)


_LEADING_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")


def is_category_heading(title: str) -> str | None:
    """The category a heading names when it is only a category (`### 000-fundamentals`,
    `Category: 002-queries (5 failures)`), else None."""
    text = re.sub(r"\(\s*\d+[^)]*\)", "", strip_numbering(title))
    text = re.sub(r"^\s*category\s*[:\-—]?\s*", "", text, flags=re.I).strip()
    match = _NUMBERED_BARE.fullmatch(text)
    return _trim(match.group(1)) if match else None


def field(raw_line: str) -> tuple[str, str] | None:
    """(canonical field name, value) of a `**Key**: value` / `**Key:** value` / `Key: value` line."""
    match = _FIELD.match(raw_line)
    if not match:
        return None
    key = re.sub(r"\s*\([^)]*\)\s*$", "", match.group("key")).strip().lower()
    key = re.sub(r"\s+", " ", key)
    name = FIELD_NAMES.get(key)
    if name is None:
        return None
    return name, match.group("value").strip().lstrip("*_").strip()


def fields_in_line(raw_line: str) -> list[tuple[str, str]]:
    """The fields of one line: one `Key: value`, or several joined by ` · ` or ` | `
    (`Run: jn7… · Date: 2026-03-02 · Pass rate: 60/66`) when every part is a field."""
    masked = without_code(raw_line)
    cuts = [m.span() for m in _FIELD_JOINS.finditer(masked)]
    parts, start = [], 0
    for a, b in cuts:
        parts.append(raw_line[start:a])
        start = b
    parts.append(raw_line[start:])
    if len(parts) > 1:
        found = [field(part) for part in parts]
        if all(found):
            return found  # type: ignore[return-value]
    one = field(raw_line)
    return [one] if one else []


def looks_like_class(text: str) -> bool:
    """True for a class as reports write it: an UPPER_SNAKE token (maybe qualified), an upper-case
    known class name, or a known multi-word class name in any case (`Model fault`, `overly-strict`).

    Emoji and other marks around it (`❌ MODEL_FAULT`) are ignored. A single lower-case word
    (`strict`, `flaky`) is not enough: headings and cells use such words for other things.
    """
    head = _EDGE_MARKS.sub("", clean(text).split("(")[0])
    if _CLASS_SHAPE.match(head) or _known_class_words(head):
        return True
    return DEFAULT_TAXONOMY.normalise(head) is not None and head.upper() == head and len(head) > 2


def _known_class_words(text: str) -> bool:
    """True when `text` is a known class name, role or synonym of two or more words, in any case."""
    token = re.sub(r"[\s_-]+", "_", text.strip()).upper()
    return "_" in token and (token in DEFAULT_TAXONOMY.names or token.lower() in CLASS_ROLES or token in CLASS_SYNONYMS)


def class_in_text(text: str) -> str | None:
    """The first class free text names: an UPPER_SNAKE known class, else a known multi-word class in
    any case (`— Model fault: ...`) that no negation precedes (`not a model fault`)."""
    for match in _CLASS_TOKEN.finditer(text):
        token = match.group(1)
        if token in DEFAULT_TAXONOMY.names or token.lower() in CLASS_ROLES or token in CLASS_SYNONYMS:
            return token
    for match in _CLASS_WORDS.finditer(text):
        if not _NEGATED.search(text[: match.start()]):
            return match.group(0)
    return None


def class_value(value: str) -> str | None:
    """A written class, cleaned: first line, bounded length; None when empty."""
    line = clean(value.splitlines()[0] if value.strip() else "")
    return line[:160] or None


_CORRECTED = re.compile(rf"^\s*(?P<cls>.*?)\s*\(\s*{re.escape(layout.CORRECTED_FROM)}\s+(?P<original>.+?)\s*\)\s*$", re.I | re.S)


def corrected_parts(raw: str) -> tuple[str, str | None]:
    """(class, original) of a class shown corrected (`OVERLY_STRICT (corrected from MODEL_FAULT)`);
    (raw, None) for any other class text."""
    match = _CORRECTED.match(raw)
    if match is None or not match.group("cls"):
        return raw, None
    return match.group("cls"), match.group("original")


def step_name(text: str | None, *, strict: bool = False) -> str | None:
    """The pipeline step a text names (`deploy (convex dev fail)` -> `deploy`).

    Unknown words are kept as written unless `strict`, which returns None for them.
    """
    if not text:
        return None
    value = clean(text).lower()
    word = re.split(r"[\s(,;:/]", value, maxsplit=1)[0].strip(".")
    if word in STEP_WORDS:
        return STEP_WORDS[word]
    if strict or not value or _NO_STEP.match(value):  # `unknown`, `-`: no step, which matches any step
        return None
    return value[:40]


def run_ids(text: str) -> list[str]:
    """Full Convex run ids in `text`, in order, without duplicates."""
    return list(dict.fromkeys(_RUN_ID.findall(text)))


def short_run_ref(text: str) -> str | None:
    """A run id or run id prefix (`jn7922`) mentioned in `text`."""
    full = run_ids(text)
    if full:
        return full[0]
    match = _SHORT_RUN.search(text)
    return match.group(1) if match else None


def date_in(text: str | None) -> str | None:
    match = _DATE.search(text or "")
    return match.group(1) if match else None


def pass_rate(value: str) -> str | None:
    """A pass rate as written (`55/66 (83.3%)`, `68/74, 67/74`), when it holds one."""
    cleaned = clean(value)
    return cleaned[:120] if _PASS.search(cleaned) else None


def split_model(value: str) -> tuple[str | None, str | None]:
    """(model, provider) from a Model field: `claude-opus-4-6 (anthropic)` gives both;
    a parenthesised display name (`GPT-5.2 Codex`) is dropped."""
    exact = code_span(value)
    if exact is not None:
        return exact, None
    text = clean(value)
    match = re.match(r"^(?P<model>[^\s(]+)\s*(?:\((?P<extra>[^)]*)\))?", text)
    if not match:
        return (text or None), None
    extra = (match.group("extra") or "").strip()
    provider = extra if re.fullmatch(r"[a-z][a-z0-9._-]*", extra) else None
    return match.group("model"), provider
