"""The report reader: run metadata, per-failure findings and "Actions taken" from any report layout.

It reads our own reports (plugins/markdown.py) and the convex-evals reports
written by people and agents: findings as `###` sections (numbered, with `--`,
em-dash or hyphen separators, `(category)` suffixes or `category/name` paths),
as `####` sections under `### <category>` headings, as rows of classification
tables with differing columns, as field tables, or as list items naming an eval
and a class. Sections about patterns, recommendations and impact are not
findings; their "recurring" lists mark repeats. `parse_report` never raises.
"""

from __future__ import annotations

import re

from attrs import define, field

from .. import layout
from . import fields as F
from .blocks import Group, action_entries, all_texts, field_groups, prose
from .corrections import CorrectionEntry, parse_correction
from .document import Item, ListBlock, Section, Table, parse_markdown
from .metadata import heading_words, is_document_title, read_metadata, run_facts, title_model
from .records import ActionEntry, ReportFinding, ReportRecord
from .version import PARSER_VERSION  # noqa: F401 (part of the reader's API); bump it there when the reader changes

_NOT_FINDINGS = re.compile(
    r"pattern|recommend|net impact|impact (?:assessment|of)|prior reports?|previous reports?|reproduc|"
    r"cleanup|next steps?|appendix|methodology|how this|glossary",
    re.I,
)
ACTIONS_TITLE = re.compile(
    r"\bactions?\s+(?:taken|performed|completed|recorded)\b|^\W*actions?\W*$|\bchanges made\b|\bfixes applied\b", re.I
)
NO_ACTION = re.compile(r"\bno actions?\b", re.I)


def is_actions_heading(level: int, title: str) -> bool:
    """True for the heading of an "Actions taken" section (judged on `heading_words`)."""
    words = heading_words(level, title)
    return ACTIONS_TITLE.search(words) is not None and NO_ACTION.search(words) is None

_RECURRING = re.compile(r"recurr|repeat|previous run|prior run|earlier run|again|persist|still fail", re.I)
_REPEAT_TEXT = re.compile(
    r"same (?:\w+ ){0,2}(?:issue|failure|error|problem|pattern|mistake|bug)s? as (?:in )?(?:the )?"
    r"(?:previous|prior|last|earlier)"
    r"|\brepeat(?:ed|s)? (?:from|of) (?:the )?(?:previous|prior|last|earlier|run)"
    r"|\brecurring from\b"
    r"|\b(?:previous|prior|earlier|last) (?:run|report)\b[^.\n]{0,60}\b(?:also|classified|failed|had)\b"
    r"|\bfailed (?:the same way )?in (?:the )?(?:previous|prior|earlier|last) run"
    rf"|\b{re.escape(layout.REPEAT_PHRASE)}\b|\bfailed again\b|\bstill fails\b",
    re.I,
)
_FALSY = re.compile(r"^\s*(?:no|false|-|—|n/?a|none|)\s*\.?\s*$", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
NOTE_LIMIT = 240
NOT_A_REPORT = "no run metadata or findings found"


@define
class _Draft:
    """A finding being assembled from one or more places in the report."""

    ref: F.EvalRef
    classification: str | None = None
    step: str | None = None
    reasoning: str | None = None
    error: str | None = None
    error_text: str | None = None  # the error as quoted, not cut to a sentence: what fingerprints compare
    note: str | None = None
    repeat_note: str | None = None
    repeat: bool = False
    actions: list[str] = field(factory=list)
    run_id: str | None = None
    rank: int = 0  # where it was read: 0 a finding's own section, 1 a list item, 2 a table row


def parse_report(text: str, path: str = "", *, display: str | None = None) -> ReportRecord:
    """Read one report's text. `path` (relative to the reports directory) supplies what the text lacks:
    provider and model from `{provider}/{model}/`, run id prefix and date from the file name.
    `display` names the file in warnings (default `path`)."""
    root = parse_markdown(text)
    reader = _Reader()
    reader.visit(root, None)
    meta = read_metadata(root)
    drafts = reader.finish()
    record = _record(path, meta, drafts, reader.actions)
    said_what_run = any(key != "title" for key in meta) or title_model(str(meta.get("title", "")))
    if not record.findings and not said_what_run:
        record = _with_warning(record, f"{display or path or 'report'}: {NOT_A_REPORT} (not a run-analysis report?)")
    return record


def _with_warning(record: ReportRecord, warning: str) -> ReportRecord:
    from attrs import evolve

    return evolve(record, warnings=(*record.warnings, warning))


class _Reader:
    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self.actions: list[str] = []
        self.recurring: dict[str, str] = {}

    def visit(self, section: Section, category: str | None) -> None:
        title = section.title
        words = heading_words(section.level, title)
        if section.level and is_actions_heading(section.level, title):
            self.actions += action_entries(section)
            return
        if section.level and _NOT_FINDINGS.search(words):
            self._recurring_notes(section, _RECURRING.search(words) is not None, title)
            return
        groups = field_groups(section.blocks)
        named = section.level and not is_document_title(section.level, title)
        parts = F.heading_parts(title) if named else F.HeadingParts(None)
        has_class = parts.classification is not None or any("class" in g.fields for g in groups)
        category_here = F.is_category_heading(title) if section.level and not has_class else None
        if category_here:
            category = category_here
        elif has_class and (parts.ref or any("eval" in g.fields for g in groups)):
            self._section_findings(parts, groups, category)
        else:
            self._block_findings(section.blocks, category)
        for child in section.children:
            self.visit(child, category)

    def _section_findings(self, parts: F.HeadingParts, groups: list[Group], category: str | None) -> None:
        for group in groups:
            ref = (F.exact_ref(group.fields["eval"]) or F.eval_ref(group.fields["eval"], loose=True)) if "eval" in group.fields else parts.ref
            if ref is None:
                continue
            if ref.category is None:
                ref = F.EvalRef(ref.name, F.clean(group.fields.get("category", "")) or category)
            raw = group.fields.get("class")
            draft = _Draft(
                ref,
                classification=F.class_value(raw) if raw is not None else parts.classification,
                step=F.step_name(group.fields.get("step")) or parts.step,
                reasoning=_one_line(group.fields.get("reasoning") or prose(group)),
                error=_one_line(group.fields.get("error")),
                error_text=_error_text(group.fields.get("error")),
                note=_one_line(group.fields.get("note")),
                actions=list(group.actions),
                run_id=F.short_run_ref(group.fields.get("run", "")),
            )
            _mark_repeat(draft, group)
            self.drafts.append(draft)

    def _block_findings(self, blocks, category: str | None) -> None:
        for block in blocks:
            if isinstance(block, Table):
                self.drafts += _table_findings(block, category)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    draft = _item_finding(item, category)
                    if draft is not None:
                        self.drafts.append(draft)

    def _recurring_notes(self, section: Section, recurring: bool, note: str) -> None:
        """Evals listed under a "recurring from previous run" pattern, or in a line saying so, are repeats."""
        for text in all_texts(section):
            match = _REPEAT_TEXT.search(text)
            if recurring or match:
                for ref in F.eval_refs(text):
                    self.recurring.setdefault(ref.name, F.clean(note) if recurring else _sentence_around(text, match.start()))
        for child in section.children:
            words = heading_words(child.level, child.title)
            self._recurring_notes(child, recurring or _RECURRING.search(words) is not None, child.title)

    def finish(self) -> list[_Draft]:
        drafts = _resolve_categories(self.drafts)
        order = {}
        for draft in drafts:
            order.setdefault((draft.ref.path, draft.run_id), len(order))
        merged: dict[tuple[str, str | None], _Draft] = {}
        # A finding's own section says more than a table row about it, so it wins where both speak.
        for draft in sorted(drafts, key=lambda d: d.rank):
            key = (draft.ref.path, draft.run_id)
            if key not in merged:
                merged[key] = draft
                continue
            kept = merged[key]
            for name in ("classification", "step", "reasoning", "error", "error_text", "note", "repeat_note"):
                if getattr(kept, name) is None:
                    setattr(kept, name, getattr(draft, name))
            kept.repeat = kept.repeat or draft.repeat
            kept.actions += [a for a in draft.actions if a not in kept.actions]
        for draft in merged.values():
            if draft.ref.name in self.recurring and not draft.repeat:
                draft.repeat = True
                draft.repeat_note = draft.repeat_note or self.recurring[draft.ref.name]
        kept = sorted(merged.items(), key=lambda kv: order[kv[0]])
        return [d for _, d in kept if d.classification is not None]


def _mark_repeat(draft: _Draft, group: Group) -> None:
    flag = group.fields.get("repeat")
    if flag is not None and not _FALSY.match(F.clean(flag)):
        draft.repeat = True
        draft.repeat_note = _one_line(flag)
        return
    for text in group.texts:
        match = _REPEAT_TEXT.search(text)
        if match:
            draft.repeat = True
            draft.repeat_note = _sentence_around(text, match.start())
            return


def _table_findings(table: Table, category: str | None) -> list[_Draft]:
    columns = _columns(table)
    if columns.get("eval") is None or columns.get("class") is None:
        return []
    drafts = []
    for row in table.rows:
        ref = F.exact_ref(row[columns["eval"]]) or F.eval_ref(row[columns["eval"]], loose=True)
        raw = F.class_value(row[columns["class"]])
        if ref is None or raw is None:
            continue
        if ref.category is None:
            cat = F.clean(row[columns["category"]]) if "category" in columns else ""
            ref = F.EvalRef(ref.name, cat or category)
        cell = lambda name: row[columns[name]] if name in columns else None  # noqa: E731
        repeat_cell = cell("repeat")
        draft = _Draft(
            ref,
            classification=raw,
            step=F.step_name(cell("step")),
            reasoning=_one_line(cell("reasoning")),
            run_id=F.short_run_ref(cell("run") or ""),
            rank=2,
        )
        if repeat_cell is not None and not _FALSY.match(F.clean(repeat_cell)):
            draft.repeat, draft.repeat_note = True, _one_line(repeat_cell)
        drafts.append(draft)
    return drafts


_COLUMN_NAMES = (
    ("class", re.compile(r"classif|\bclass\b|verdict|label|diagnos|\bkind\b", re.I)),
    ("step", re.compile(r"step|stage|phase", re.I)),
    ("category", re.compile(r"^\W*category\W*$", re.I)),
    ("repeat", re.compile(r"repeat|recurr|previous|prior|seen before", re.I)),
    ("run", re.compile(r"\brun\b", re.I)),
    ("reasoning", re.compile(r"reason|cause|why|note|explan|summary|detail|comment", re.I)),
    ("eval", re.compile(r"\beval|\btest\b|\bname\b|\bfailure\b|\btask\b|\bpath\b", re.I)),
)


def _columns(table: Table) -> dict[str, int]:
    """Which column holds what, by header name, falling back to what the cells look like."""
    columns: dict[str, int] = {}
    for i, header in enumerate(table.header):
        for name, pattern in _COLUMN_NAMES:
            if name not in columns and pattern.search(header):
                columns[name] = i
                break
    rows = table.rows
    if rows:
        for name, test in (("eval", lambda c: F.eval_ref(c) is not None), ("class", F.looks_like_class)):
            if name in columns:
                continue
            for i in range(len(table.header)):
                if i not in columns.values() and sum(1 for r in rows if test(r[i])) * 2 > len(rows):
                    columns[name] = i
                    break
    return columns


def _item_finding(item: Item, category: str | None) -> _Draft | None:
    """A list item naming an eval and a class: `- 003-crons (000-fundamentals): MODEL_FAULT — ...`."""
    ref = F.eval_ref(item.text)
    if ref is None or _labelled(item):
        return None
    nested = field_groups(item.children) if item.children else [Group()]
    fields = nested[0].fields
    raw = F.class_value(fields["class"]) if "class" in fields else F.class_in_text(item.text)
    if raw is None:
        return None
    if ref.category is None:
        ref = F.EvalRef(ref.name, category)
    # `- 003-crons (deploy): ...` or `- `a/b` — deploy — Model fault`: read the first line as a heading.
    step = F.step_name(fields.get("step")) or F.heading_parts(item.text.splitlines()[0]).step
    draft = _Draft(ref, raw, step, _one_line(fields.get("reasoning")), rank=1)
    _mark_repeat(draft, Group(fields, [item.text, *nested[0].texts]))
    return draft


_LABEL = re.compile(r"^\s*(?:\*\*|__)\s*(?P<key>[^*_:\n]{1,40}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)")


def _labelled(item: Item) -> bool:
    """True for a `- **Model**: ...` or `- **Warning:** ...` item: a labelled field whose value,
    whatever eval or class it mentions, is not a finding (unless the label is an eval's or a class's)."""
    match = _LABEL.match(item.raw.split("\n", 1)[0])
    if match is None:
        return False
    key = re.sub(r"\s*\([^)]*\)\s*$", "", match.group("key")).strip().lower()
    return F.FIELD_NAMES.get(re.sub(r"\s+", " ", key)) not in ("eval", "class")


def _resolve_categories(drafts: list[_Draft]) -> list[_Draft]:
    """Bare names get the category another finding of the same report gives them, when it is unique."""
    categories: dict[str, set[str]] = {}
    for d in drafts:
        if d.ref.category:
            categories.setdefault(d.ref.name, set()).add(d.ref.category)
    for d in drafts:
        known = categories.get(d.ref.name, set())
        if d.ref.category is None and len(known) == 1:
            d.ref = F.EvalRef(d.ref.name, next(iter(known)))
    return drafts


def _one_line(text: str | None) -> str | None:
    if not text:
        return None
    line = F.clean(text)
    first = _SENTENCE.split(line, maxsplit=1)[0]
    return (first if len(first) <= NOTE_LIMIT else first[: NOTE_LIMIT - 1] + "…") or None


def _error_text(text: str | None) -> str | None:
    """An error field's text: a whole code span verbatim (our reports quote the error so), else cleaned."""
    if not text:
        return None
    quoted = F.code_span(text)
    return quoted if quoted is not None else (F.clean(text) or None)


def _sentence_around(text: str, position: int) -> str:
    start = max(text.rfind(". ", 0, position) + 1, text.rfind("\n", 0, position) + 1, 0)
    return _one_line(text[start:]) or F.clean(text)[:NOTE_LIMIT]


def _record(path: str, meta: dict[str, object], drafts: list[_Draft], actions: list[str]) -> ReportRecord:
    findings = []
    entries = [ActionEntry(text, tuple(r.path for r in _resolved_refs(text, drafts))) for text in actions]
    corrections = [c for c in (parse_correction(e.text) for e in entries) if c is not None]
    for d in drafts:
        mentioned = [e.text for e in entries if d.ref.path in e.evals or d.ref.name in e.evals]
        raw, corrected_from, reason, when = _corrected(d, corrections)
        findings.append(
            ReportFinding(
                eval_path=d.ref.path,
                classification_raw=raw,
                failed_step=d.step,
                repeat=d.repeat,
                note=d.repeat_note or d.note or d.reasoning or d.error,
                actions=tuple(dict.fromkeys([*d.actions, *mentioned])),
                run_id=d.run_id,
                error=d.error_text,
                corrected_from=corrected_from,
                correction_reason=reason,
                correction_date=when,
            )
        )
    return ReportRecord(path=path, findings=tuple(findings), actions=tuple(entries), **run_facts(path, meta))  # type: ignore[arg-type]


def _corrected(d: _Draft, corrections: list[CorrectionEntry]) -> tuple[str | None, str | None, str | None, str | None]:
    """(class as shown, class before the first correction, reason, date) of a finding, after the
    corrections its report's "Actions taken" records for its eval, in the order they were recorded.

    A class shown `NEW (corrected from OLD)` (our layout's table and field) is a correction
    too; the entries, which say why, decide the class where both speak.
    """
    raw = d.classification
    shown, original = F.corrected_parts(raw) if raw else (raw, None)
    reason = when = None
    for c in corrections:
        category, _, name = c.eval_path.rpartition("/")
        if c.eval_path != d.ref.path and not (name == d.ref.name and (not category or not d.ref.category)):
            continue
        # Back to the first class: the correction is from the class it undoes.
        original = c.original if original is None or original == c.classification else original
        shown, reason, when = c.classification, c.reason or None, c.date
    if original is None:
        return raw, None, None, None
    return layout.corrected_class(shown or "", original), original, reason, when


def _resolved_refs(text: str, drafts: list[_Draft]) -> list[F.EvalRef]:
    """Evals an action mentions, bare names completed from the report's findings."""
    by_name = {d.ref.name: d.ref for d in drafts if d.ref.category}
    return [by_name.get(r.name, r) if r.category is None else r for r in F.eval_refs(text)]


