"""A markdown report as sections of blocks, built with markdown-it-py.

The reader reasons about structure (which heading a bullet sits under, which
column of a table holds the class) and only then looks at text, so odd spacing,
nested lists or pipes inside code do not derail it. Code blocks are dropped:
they hold snippets, never findings.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Union

from attrs import field, frozen

from .fields import CODE_SPAN


@frozen
class Paragraph:
    """A paragraph: `raw` is its inline markdown (`**Key**:`); `text` the same with entities decoded."""

    raw: str
    text: str


@frozen
class Item:
    """A list item: its own paragraphs' text and the blocks nested in it."""

    raw: str
    text: str
    children: tuple[Block, ...] = ()


@frozen
class ListBlock:
    ordered: bool
    items: tuple[Item, ...]


@frozen
class Table:
    """A table's header and rows as plain text cells (rows padded to the header's width)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Union[Paragraph, ListBlock, Table]


@frozen
class Section:
    """A heading (level 0 for the document itself), its own blocks, and its subsections."""

    level: int
    title: str
    blocks: list[Block] = field(factory=list)
    children: list[Section] = field(factory=list)
    line: int | None = None

    def walk(self):
        """This section and every section below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@functools.cache
def _parser():
    from markdown_it import MarkdownIt

    # Block structure only: inline parsing (emphasis, links) is most of markdown-it's time and the
    # reader needs none of it; inline text keeps its markdown, which `plain` and the fields reader handle.
    return MarkdownIt("commonmark").enable("table").disable("inline")


def plain(raw: str) -> str:
    """Inline markdown as text: entities decoded, backslash escapes dropped; emphasis and code marks stay.

    Code spans are kept as written, as CommonMark reads them: no escape or entity inside one is
    decoded, so a value our reports quote in a code span reads back exactly.
    """
    if "`" not in raw:
        return _SPACES.sub(" ", _decoded(raw))
    out, end = [], 0
    for span in CODE_SPAN.finditer(raw):
        out += [_decoded(raw[end : span.start()]), span.group(0)]
        end = span.end()
    out.append(_decoded(raw[end:]))
    return _SPACES.sub(" ", "".join(out))


def _decoded(text: str) -> str:
    text = html.unescape(text) if "&" in text else text
    return _ESCAPE.sub(r"\1", text) if "\\" in text else text



_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SPACES = re.compile(r"[ \t]+")


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$", re.S | re.M)
_FRONT_LINE = re.compile(r"^(?:\s*#.*|\s*-\s+.*|\s+\S.*|[A-Za-z][\w .-]*:.*|\s*)$")


def front_matter(text: str) -> tuple[str | None, str]:
    """(the YAML front matter's `key: value` lines, or None; `text` with that block blanked).

    The block is blanked rather than cut so line numbers stay those of the file.
    Keys get spaces for underscores (`run_id` reads as `Run id`) and a YAML list
    under a key joins onto its line, so the fields reader takes them as it takes
    `Key: value` bullets.
    """
    text = text.removeprefix("\ufeff")  # a byte-order mark (Windows editors) would hide the first heading
    match = _FRONT_MATTER.match(text)
    if not match or not all(_FRONT_LINE.match(line) for line in match.group(1).splitlines()):
        return None, text
    lines: list[str] = []
    for line in match.group(1).splitlines():
        item = re.match(r"^\s*-\s+(.*)$", line)
        if item and lines:
            lines[-1] += (", " if not lines[-1].rstrip().endswith(":") else " ") + item.group(1).strip()
        elif re.match(r"^[A-Za-z][\w .-]*:", line):
            key, _, value = line.partition(":")
            lines.append(f"{key.replace('_', ' ')}:{value}")
    blank = re.sub(r"[^\r\n]", "", match.group(0))
    return "\n".join(lines), blank + text[match.end() :]


def parse_markdown(text: str) -> Section:
    """The section tree of `text` (never raises for any str). YAML front matter becomes
    a paragraph of `Key: value` lines at the top of the document."""
    fields, text = front_matter(text)
    tokens = _parser().parse(text)
    root = Section(0, "")
    if fields:
        root.blocks.append(Paragraph(fields, plain(fields)))
    stack = [root]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            level = int(token.tag[1:]) if token.tag[1:].isdigit() else 6
            while stack[-1].level >= level:
                stack.pop()
            title = plain(tokens[i + 1].content).strip() if i + 1 < len(tokens) else ""
            section = Section(level, title, line=token.map[0] if token.map else None)
            stack[-1].children.append(section)
            stack.append(section)
            i = _after(tokens, i)
            continue
        blocks, i = _blocks_at(tokens, i)
        stack[-1].blocks.extend(blocks)
    return root


def heading_lines(text: str) -> list[tuple[int, int, int, str]]:
    """(first line, line after it, level, plain title) of every heading, in order; look-alikes
    inside code blocks are not headings. Setext headings span two lines."""
    tokens = _parser().parse(front_matter(text)[1])
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None:
            title = plain(tokens[i + 1].content).strip() if i + 1 < len(tokens) else ""
            found.append((token.map[0], token.map[1], int(token.tag[1:]), title))
    return found


def _after(tokens, i: int) -> int:
    """The index after the token opened at `i` closes (or after `i` for a self-contained token)."""
    token = tokens[i]
    if token.nesting != 1:
        return i + 1
    j = i + 1
    while j < len(tokens) and not (tokens[j].nesting == -1 and tokens[j].level == token.level):
        j += 1
    return j + 1


def _blocks_at(tokens, i: int) -> tuple[list[Block], int]:
    """The blocks the token at `i` starts (none for code, rules, html) and the index after them."""
    token = tokens[i]
    end = _after(tokens, i)
    if token.type == "paragraph_open" and i + 1 < len(tokens):
        raw = tokens[i + 1].content
        return [Paragraph(raw, plain(raw))], end
    if token.type in ("bullet_list_open", "ordered_list_open"):
        items = []
        j = i + 1
        while j < end - 1:
            if tokens[j].type == "list_item_open":
                item_end = _after(tokens, j)
                items.append(_item(tokens, j + 1, item_end - 1))
                j = item_end
            else:
                j += 1
        return [ListBlock(token.type == "ordered_list_open", tuple(items))], end
    if token.type == "table_open":
        return [_table(tokens, i + 1, end - 1)], end
    if token.type == "blockquote_open":
        return _blocks_between(tokens, i + 1, end - 1), end
    return [], end


def _blocks_between(tokens, start: int, stop: int) -> list[Block]:
    blocks: list[Block] = []
    j = start
    while j < stop:
        found, j = _blocks_at(tokens, j)
        blocks.extend(found)
    return blocks


def _item(tokens, start: int, stop: int) -> Item:
    """A list item from its tokens: its leading paragraphs' text, then the blocks nested in it."""
    raws, texts = [], []
    j = start
    while j < stop and tokens[j].type == "paragraph_open":
        raw = tokens[j + 1].content if j + 1 < stop else ""
        raws.append(raw)
        texts.append(plain(raw))
        j = _after(tokens, j)
    return Item("\n".join(raws), "\n".join(texts), tuple(_blocks_between(tokens, j, stop)))


def _table(tokens, start: int, stop: int) -> Table:
    header: list[str] = []
    rows: list[tuple[str, ...]] = []
    in_head = False
    row: list[str] = []
    for j in range(start, stop):
        token = tokens[j]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline":
            row.append(plain(token.content).strip())
        elif token.type == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(tuple(row))
    width = len(header)
    padded = tuple(tuple((list(r) + [""] * width)[:width]) for r in rows) if width else tuple(rows)
    return Table(tuple(header), padded)
