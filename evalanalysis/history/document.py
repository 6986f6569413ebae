"""A markdown report as sections of blocks, built with markdown-it-py.

The reader reasons about structure (which heading a bullet sits under, which
column of a table holds the class) and only then looks at text, so odd spacing,
nested lists or pipes inside code do not derail it. Code blocks are dropped:
they hold snippets, never findings.
"""

from __future__ import annotations

import functools
import re
from typing import Union

from attrs import field, frozen


@frozen
class Paragraph:
    """A paragraph: `raw` keeps the inline markdown (`**Key**:`), `text` is what a reader sees."""

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

    return MarkdownIt("commonmark").enable("table")


def parse_markdown(text: str) -> Section:
    """The section tree of `text` (never raises for any str)."""
    from markdown_it.tree import SyntaxTreeNode

    root = Section(0, "")
    stack = [root]
    tree = SyntaxTreeNode(_parser().parse(text))
    for node in tree.children:
        if node.type == "heading":
            level = int(node.tag[1:]) if node.tag[1:].isdigit() else 6
            while stack[-1].level >= level:
                stack.pop()
            title = _inline(node)[1]
            section = Section(level, title, line=node.map[0] if node.map else None)
            stack[-1].children.append(section)
            stack.append(section)
            continue
        block = _block(node)
        if block is not None:
            stack[-1].blocks.append(block)
    return root


def heading_lines(text: str) -> list[tuple[int, int, int, str]]:
    """(first line, line after it, level, plain title) of every heading, in order; look-alikes
    inside code blocks are not headings. Setext headings span two lines."""
    tokens = _parser().parse(text)
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None:
            inline = tokens[i + 1] if i + 1 < len(tokens) else None
            title = _plain_children(inline.children or []) if inline is not None and inline.type == "inline" else ""
            found.append((token.map[0], token.map[1], int(token.tag[1:]), title.strip()))
    return found


def _block(node) -> Block | None:
    if node.type == "paragraph":
        raw, text = _inline(node)
        return Paragraph(raw, text)
    if node.type in ("bullet_list", "ordered_list"):
        return ListBlock(node.type == "ordered_list", tuple(_item(child) for child in node.children if child.type == "list_item"))
    if node.type == "table":
        return _table(node)
    if node.type == "blockquote":
        # A quoted paragraph still says what it says; keep its first block.
        blocks = [b for b in (_block(child) for child in node.children) if b is not None]
        return blocks[0] if blocks else None
    return None


def _item(node) -> Item:
    raws, texts, children = [], [], []
    for child in node.children:
        if child.type == "paragraph" and not children:
            raw, text = _inline(child)
            raws.append(raw)
            texts.append(text)
        else:
            block = _block(child)
            if block is not None:
                children.append(block)
    return Item("\n".join(raws), "\n".join(texts), tuple(children))


def _table(node) -> Table:
    header: list[str] = []
    rows: list[tuple[str, ...]] = []
    for part in node.children:
        for row in part.children:
            cells = [_inline(cell)[1].strip() for cell in row.children]
            if part.type == "thead":
                header = cells
            else:
                rows.append(tuple(cells))
    width = len(header)
    padded = tuple(tuple((list(r) + [""] * width)[:width]) if width else r for r in rows)
    return Table(tuple(header), padded)


def _inline(node) -> tuple[str, str]:
    """(raw markdown, plain text) of a block's inline content."""
    inline = next((c for c in node.children if c.type == "inline"), None)
    if inline is None:
        return "", ""
    token = inline.token if hasattr(inline, "token") and inline.token is not None else None
    raw = token.content if token is not None else ""
    children = token.children if token is not None and token.children else []
    return raw, _plain_children(children)


def _plain_children(children) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "html_inline"):
            parts.append(child.content)
        elif child.type == "code_inline":
            parts.append(f"`{child.content}`")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(_plain_children(child.children or []))
    return re.sub(r"[ \t]+", " ", "".join(parts))
