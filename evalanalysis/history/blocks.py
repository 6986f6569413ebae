"""The fields and text of a run of markdown blocks: `Key: value` lines in paragraphs, bullets
and field tables, list item text, and the entries of an "Actions taken" section."""

from __future__ import annotations

import re

from attrs import define, field

from . import fields as F
from .document import Item, ListBlock, Paragraph, Section, Table

_NONE = re.compile(r"^\s*(?:none|n/?a|-|—|nothing(?: yet)?)\s*\.?\s*$", re.I)


@define
class Group:
    """The fields and free text of one run of blocks (a finding's body, or part of it)."""

    fields: dict[str, str] = field(factory=dict)
    texts: list[str] = field(factory=list)
    actions: list[str] = field(factory=list)


def field_groups(blocks) -> list[Group]:
    """Fields and texts of a section's own blocks; a second `Eval:` field starts a new group."""
    groups = [Group()]

    def put(key: str, value: str) -> None:
        if key == "eval" and "eval" in groups[-1].fields:
            groups.append(Group())
        groups[-1].fields.setdefault(key, value)

    pending_action = False
    for block in blocks:
        if isinstance(block, Paragraph):
            pending_action = False
            groups[-1].texts.append(block.text)
            for raw_line in block.raw.splitlines():
                for found in F.fields_in_line(raw_line):
                    put(*found)
                    if found[0] == "action":
                        if found[1]:
                            groups[-1].actions.append(entry_text(found[1]))
                        else:
                            pending_action = True
        elif isinstance(block, ListBlock):
            if pending_action:
                groups[-1].actions += [item_text(item) for item in block.items]
                pending_action = False
                continue
            for item in block.items:
                groups[-1].texts.append(item_text(item))
                found = F.field(item.raw.splitlines()[0] if item.raw else "")
                if not found:
                    continue
                key, value = found
                if not value and item.children:
                    value = "; ".join(item_text(i) for child in item.children if isinstance(child, ListBlock) for i in child.items)
                put(key, value)
                if key == "action" and value:
                    groups[-1].actions.append(entry_text(value))
        elif isinstance(block, Table) and is_field_table(block):
            pending_action = False
            for row in ((block.header[0], block.header[1]), *block.rows):
                found = F.field(f"{row[0]}: {row[1]}")
                if found:
                    put(*found)
    return [g for g in groups if g.fields or g.texts] or [groups[0]]


def is_field_table(table: Table) -> bool:
    """A two-column table of `Key | Value` rows (`| Classification | OVERLY_STRICT |`)."""
    if len(table.header) != 2 or not table.rows:
        return False
    known = sum(1 for row in table.rows if F.field(f"{row[0]}: x"))
    return known * 2 >= len(table.rows) or table.header[0].strip().lower() in ("field", "key", "property")


def prose(group: Group) -> str | None:
    """The first line of a finding's text that is not a `Key: value` field."""
    return next((line for t in group.texts for line in t.splitlines() if line.strip() and not F.field(line)), None)


def action_entries(section: Section) -> list[str]:
    """The entries of an "Actions taken" section: its list items, else its paragraphs; "None" is none."""
    entries: list[str] = []
    for s in section.walk():
        lists = [b for b in s.blocks if isinstance(b, ListBlock)]
        if lists:
            entries += [item_text(item) for block in lists for item in block.items]
        else:
            entries += [entry_text(b.text) for b in s.blocks if isinstance(b, Paragraph)]
    return [e for e in entries if e and not _NONE.match(e)]


def item_text(item: Item) -> str:
    """A list item's text on one line, nested items appended; markdown emphasis removed, code kept."""
    parts = [entry_text(item.text)]
    for child in item.children:
        if isinstance(child, ListBlock):
            parts += [item_text(i) for i in child.items]
        elif isinstance(child, Paragraph):
            parts.append(entry_text(child.text))
    return "; ".join(p for p in parts if p)


def entry_text(text: str) -> str:
    """Text on one line without bold markers; code spans are kept as written, backticks included."""
    out, end = [], 0
    for span in F.CODE_SPAN.finditer(text):
        out += [re.sub(r"\*\*|__", "", text[end : span.start()]), span.group(0)]
        end = span.end()
    out.append(re.sub(r"\*\*|__", "", text[end:]))
    return re.sub(r"\s+", " ", "".join(out)).strip()


def all_texts(section: Section) -> list[str]:
    """A section's title and the text of its own blocks, one string per paragraph, item or row."""
    texts = [section.title]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text)
        elif isinstance(block, ListBlock):
            texts += [item_text(i) for i in block.items]
        elif isinstance(block, Table):
            texts += [" ".join(row) for row in block.rows]
    return texts
