"""Token estimates and trimming evidence to a budget, least decisive first.

Tokens are estimated offline (no tokenizer download, no network): ASCII at
3.5 characters per token, any other character at half a token per UTF-8 byte.
A `Section` is one piece of evidence with a priority; `fit_to_budget` caps
any single section, then shortens or drops the least decisive ones, and only
as a last resort shortens protected ones (the error, GAPS.txt) in the middle.
It never drops them.
"""

from __future__ import annotations

import math

from attrs import evolve, frozen

CHARS_PER_TOKEN = 3.5
MIN_SECTION_TOKENS = 120  # a section trimmed below this is dropped instead
MAX_SECTION_SHARE = 0.35  # no single unprotected section takes more of the budget than this
# Protected sections (the error, GAPS.txt) that take more than this share of the budget together are
# first shortened in the middle to PROTECTED_SHARE, so that a 50k-character stack trace does not crowd
# out the task and the model's code, which decide as much as the error does.
CROWDING_SHARE = 0.75
PROTECTED_SHARE = 0.5


def estimate_tokens(text: str) -> int:
    """Tokens `text` will cost, estimated offline.

    ASCII (code, English) at about 3.5 characters per token. Other characters
    cost far more: a CJK character is about a token, an emoji two or three. They
    count half a token per UTF-8 byte (1.5 for CJK, 2 for an emoji), which errs
    high for accented and Cyrillic text rather than overrunning the budget.
    """
    if text.isascii():
        return math.ceil(len(text) / CHARS_PER_TOKEN)
    ascii_chars = len(text.encode("ascii", "ignore"))
    other_bytes = len(text.encode("utf-8", "surrogatepass")) - ascii_chars
    return math.ceil(ascii_chars / CHARS_PER_TOKEN + other_bytes / 2)


@frozen
class Section:
    """One piece of evidence: a trusted heading and untrusted text for a data block.

    `priority` ranks how decisive it is (higher is trimmed later); `protected`
    sections are never dropped. `focus_lines` are line numbers to keep when the
    text must be shortened.
    """

    heading: str
    kind: str
    text: str
    priority: int
    label: str
    attrs: tuple[tuple[str, str], ...] = ()
    protected: bool = False
    focus_lines: tuple[int, ...] = ()


def fit_to_budget(sections: list[Section], budget_tokens: int) -> tuple[list[Section], list[str]]:
    """Sections trimmed, least decisive first, until their estimated cost fits `budget_tokens`.

    Returns the kept sections (some shortened) and a note per dropped or shortened one.
    No unprotected section takes more than its share of the budget. Protected sections
    are never dropped, only shortened in the middle: to half the budget when they would
    take more than three quarters of it, and further only if they alone still exceed it.
    """
    notes: list[str] = []
    cap = max(MIN_SECTION_TOKENS, int(budget_tokens * MAX_SECTION_SHARE))
    capped = [_shortened(s, cap, notes) if not s.protected and _section_cost(s) > cap else s for s in sections]
    cost = [_section_cost(s) for s in capped]
    kept: list[Section | None] = list(capped)
    protected = [i for i, s in enumerate(sections) if s.protected]
    if sum(cost) > budget_tokens and sum(cost[i] for i in protected) > budget_tokens * CROWDING_SHARE:
        _shrink(sections, kept, cost, protected, int(budget_tokens * PROTECTED_SHARE), notes)
    over = sum(cost) - budget_tokens
    order = sorted((i for i, s in enumerate(sections) if not s.protected), key=lambda i: (sections[i].priority, -i))
    for i in order:
        if over <= 0:
            break
        section = sections[i]
        room = cost[i] - over
        if room >= MIN_SECTION_TOKENS:
            kept[i] = _shortened(section, room, notes)
            new_cost = _section_cost(kept[i])
        else:
            note = f"{section.label}: omitted (about {estimate_tokens(section.text)} tokens)"
            notes = [n for n in notes if not n.startswith(f"{section.label}: shortened")] + [note]
            kept[i] = None
            new_cost = estimate_tokens(note) + 2
        over -= cost[i] - new_cost
        cost[i] = new_cost
    if over > 0:
        _shrink(sections, kept, cost, protected, sum(cost[i] for i in protected) - over, notes)
    return [s for s in kept if s is not None], notes


def _shrink(sections: list[Section], kept: list[Section | None], cost: list[int], indices: list[int], target: int, notes: list[str]) -> None:
    """Shorten the sections at `indices` in proportion to their cost until together they cost about `target`."""
    total = sum(cost[i] for i in indices)
    if total <= target:
        return
    for i in indices:
        share = max(MIN_SECTION_TOKENS, cost[i] * target // max(total, 1))
        if share < cost[i]:
            kept[i] = _shortened(sections[i], share, notes)
            cost[i] = _section_cost(kept[i])


def _shortened(section: Section, tokens: int, notes: list[str]) -> Section:
    """`section` cut to cost about `tokens`, noted once: protected ones in the middle, others around their focus."""
    how = "shortened in the middle" if section.protected else "shortened"
    note = f"{section.label}: {how} from about {estimate_tokens(section.text)} tokens"
    if note not in notes:
        notes.append(note)
    size = _chars(tokens - _overhead(section) - 30, section.text)
    return evolve(section, text=shorten(section.text, size, section.focus_lines, keep_tail=section.protected))


def _chars(tokens: int, text: str) -> int:
    """About how many characters of `text` cost `tokens` (non-ASCII text packs fewer per token)."""
    return max(0, int(tokens * len(text) / max(estimate_tokens(text), 1)))


def _overhead(section: Section) -> int:
    # heading, delimiters and attributes cost about 30 tokens on top of the text
    return estimate_tokens(section.heading) + 30


def _section_cost(section: Section) -> int:
    return estimate_tokens(section.text) + _overhead(section)


def shorten(text: str, max_chars: int, focus_lines: tuple[int, ...] = (), keep_tail: bool = False) -> str:
    """`text` cut to about `max_chars`, keeping the lines around `focus_lines`, else the head (and tail)."""
    if len(text) <= max_chars:
        return text
    omitted = len(text) - max_chars
    marker = f"\n[... {omitted} characters omitted to fit the token budget ...]\n"
    if focus_lines:
        lines = text.splitlines(keepends=True)
        centre = max(0, min(focus_lines) - 1)
        lo = hi = min(centre, max(len(lines) - 1, 0))
        size = len(lines[lo]) if lines else 0
        while size < max_chars and (lo > 0 or hi < len(lines) - 1):
            if hi < len(lines) - 1:
                hi += 1
                size += len(lines[hi])
            if lo > 0 and size < max_chars:
                lo -= 1
                size += len(lines[lo])
        window = "".join(lines[lo : hi + 1])[:max_chars]
        head = f"[... lines 1-{lo} omitted ...]\n" if lo > 0 else ""
        tail = f"\n[... lines {hi + 2}-{len(lines)} omitted ...]" if hi < len(lines) - 1 else ""
        return head + window + tail
    if keep_tail:
        head = max_chars * 2 // 3
        return text[:head] + marker + text[len(text) - (max_chars - head) :]
    return text[:max_chars] + marker
