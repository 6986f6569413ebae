"""GAPS.txt: its entries, which of them are still open, and which one describes a failure.

An entry matches a failure in one of three ways, strongest first:

- a code quote of the entry (`` `splitCursor` ``, ``"use node"``, ``path: "/api/*"``)
  appears verbatim in the failure's text (the error, or the model's lines the
  error points at, or the model's changed lines when the caller passes them);
- enough of the entry's content words appear there, after light stemming;
- words a known error signature stands for (``StorageWriter`` means storage
  used from a mutation) fill in what the error text does not spell out.

Entries marked resolved, "covered by guideline" or "None" describe no open gap
and never match.
"""

from __future__ import annotations

import re
from typing import Iterable

from attrs import frozen

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-/@]*[A-Za-z0-9_]|[A-Za-z]")
STOPWORDS = frozenset(
    """a an and are as at be but by can do does for from has have in is it its
    not of on or so that the their them then there this to was wasn't were what when which while with
    without would you your should could into than also just only very some other more most any all
    model models using use uses used make makes get gets got because instead like seems looks good
    great otherwise reason some way ones one two
    type types return returns returning value values function functions error errors argument arguments
    property properties string number boolean null undefined const let await async export import handler
    args ctx convex test tests expect index true false""".split()
)
# Entries that document nothing open: fixed, handled by the guidelines, or "None for now".
_CLOSED = re.compile(r"^\s*(?:\(resolved\)|resolved\b|fixed\b|covered by (?:the )?guidelines?\b|none\b|n/a\b)", re.I)
# Negated auxiliaries (`doesn't`, `didn't`, `can't`): function words, whose stems (`doesn`) would count as content.
_CONTRACTION = re.compile(r"\b[A-Za-z]+n['’]t\b")
_QUOTE = re.compile(r"`([^`\n]{2,80})`|\"([^\"\n]{2,60})\"")
_SCOPED_RULE = re.compile(r"(?<![\w/])@[a-z][\w-]*/[a-z][\w-]*")
_FILE_NAME = re.compile(r"^[\w./-]+\.(?:ts|tsx|js|jsx|json|txt|md)$")

# Error signatures and the words a maintainer uses for what they mean (Convex and toolchain facts,
# not eval names): a GAPS entry written in those words matches an error that never spells them out.
CONCEPTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"without the \"use node\" directive|is built into node", re.I), "use node runtime"),
    (re.compile(r"install type definitions for node|@types/node|\bTS2580\b|\bTS2591\b"), "@types/node process.env types install"),
    (re.compile(r"\bStorageWriter\b"), "store file storage mutation"),
    (re.compile(r"referenced directly or indirectly in its own initializer|\bTS7022\b|\bTS7023\b"), "type cycle return type"),
    (re.compile(r"(?s)\.patch\(.*missing the following propert|missing the following propert.*\.patch\("), "patch nested object spread existing"),
)


def parse_gaps(text: str | None) -> list[str]:
    """The entries of a GAPS.txt: its `- ` bullets (the first line names the eval)."""
    if not text:
        return []
    entries: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("- ", "* ", "• ")):
            entries.append(stripped[2:].strip())
        elif entries and stripped and line[:1].isspace():
            entries[-1] += " " + stripped
    return entries


def is_open(entry: str) -> bool:
    """False for entries that record no open gap: `(resolved) ...`, `covered by guideline: ...`, `None for now`."""
    return not _CLOSED.match(entry)


def code_quotes(entry: str) -> list[str]:
    """The code an entry quotes (backticks, double quotes, lint rule ids) that is specific enough to match verbatim.

    Plain lower-case words (`items`) and bare file names are left to word overlap:
    every failure of a `convex/index.ts` mentions `index.ts`.
    """
    quotes = _SCOPED_RULE.findall(entry)  # a lint rule id is code, quoted or not
    for backticked, doubled in _QUOTE.findall(entry):
        quote = (backticked or doubled).strip()
        if _FILE_NAME.match(quote) or len(quote) < 3:
            continue
        if re.fullmatch(r"[a-z]+", quote):
            continue
        quotes.append(quote)
    return list(dict.fromkeys(quotes))


def stem(word: str) -> str:
    """A crude stem so `installing`/`install` and `cycles`/`cycle` meet; code tokens stay as they are."""
    if not word.isalpha() or len(word) <= 4:
        return word
    for suffix in ("ing", "es", "s"):
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def significant_words(text: str, *, parts: bool = True) -> set[str]:
    """Lower-cased, stemmed content words and code tokens of `text`, for overlap matching.

    With `parts`, dotted and slashed tokens also contribute their pieces
    (`ctx.storage.store` gives `storage`, `store`), so a failure's code meets a
    gap's prose. A gap's own tokens are compared whole: its `api.saveFetchResult`
    is not the failure's `api.index.saveFetchResult`.
    """
    words = set()
    text = _CONTRACTION.sub(" ", text)
    for token in _WORD.findall(text):
        token = token.strip(".-/").lower()
        if len(token) < 3 or token in STOPWORDS:
            continue
        words.add(stem(token))
        if parts and ("." in token or "/" in token):
            words.update(stem(p) for p in re.split(r"[./]", token) if len(p) >= 3 and p not in STOPWORDS)
    return words


def concept_words(text: str) -> str:
    """The words the known error signatures in `text` stand for (empty when none is present)."""
    return " ".join(words for pattern, words in CONCEPTS if pattern.search(text))


@frozen
class GapMatch:
    entry: str
    score: float
    shared: tuple[str, ...]
    quotes: tuple[str, ...] = ()


def match_gaps(
    entries: Iterable[str],
    failure_text: str,
    threshold: float = 0.34,
    *,
    code_text: str = "",
    quote_text: str = "",
    task: str = "",
) -> list[GapMatch]:
    """Open GAPS.txt entries that describe this failure, best first.

    `failure_text` should hold the error, the failed step and the model's file
    names; `code_text` the model's lines the error points at; `quote_text` more
    of the model's code (e.g. its lines that differ from the answer), searched
    for an entry's code quotes only, since prose words turn up in any code. An
    entry matches when one of its code quotes appears verbatim, or when at least
    two of its content words, and at least `threshold` of them, appear in the
    failure and code text or in the concepts its error signatures stand for. A
    quote the `task` itself uses (a function name the task asked for) counts only
    in the model's code: an error message naming it says nothing about the gap.
    """
    combined = failure_text + "\n" + code_text
    haystack = significant_words(combined + "\n" + concept_words(combined))
    model_code = code_text + "\n" + quote_text
    matches = []
    for entry in entries:
        if not is_open(entry):
            continue
        words = significant_words(entry, parts=False)
        if not words:
            continue
        quotes = tuple(
            q for q in code_quotes(entry)
            if _quoted_in(q, model_code) or (_quoted_in(q, failure_text) and not _quoted_in(q, task))
        )
        shared = words & haystack
        score = len(shared) / len(words)
        if quotes or (score >= threshold and len(shared) >= 2):
            matches.append(GapMatch(entry, round(min(1.0, score + 0.3 * len(quotes)), 3), tuple(sorted(shared)), quotes))
    return sorted(matches, key=lambda m: (-len(m.quotes), -m.score))


def _quoted_in(quote: str, text: str) -> bool:
    if " " in quote and re.fullmatch(r"[\w\s]+", quote):  # a phrase like "use node": any case, any spacing
        return re.search(r"\b" + r"\s+".join(map(re.escape, quote.split())) + r"\b", text, re.I) is not None
    return quote in text
