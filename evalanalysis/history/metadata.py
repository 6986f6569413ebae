"""Run metadata of a report: run ids, provider, model, experiment, date, pass rate (and corrected pass rate).

Read from the document's top, its first heading and any "metadata" section
(bullets, paragraphs or a field table); what the text lacks comes from the
report's path, `{provider}/{model}/{runIdPrefix}_{date}.md`, then its title.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from .. import layout
from . import fields as F
from .blocks import field_groups
from .document import Section

# Our own `# Run analysis: MODEL` (`evalanalysis.layout.TITLE`), and the titles others give their reports.
_ANALYSIS_TITLE = re.compile(rf"\b(?:{re.escape(layout.TITLE)}|run|analy[sz](?:is|es)|report|triage|failures?|results?)\b", re.I)
_METADATA = re.compile(r"metadata|run info|overview|^run$|^summary$|^details$|^about", re.I)


def heading_words(level: int, title: str) -> str:
    """The words of a heading that say what its section is about.

    Code spans and eval paths are data, not words (`### 1. `x` -- tests` is not an
    "actions taken" section whatever `x` says, nor `000-x/003-patterns` a patterns
    section); of a document title (`# Run analysis: MODEL`) only the part before the colon counts.
    """
    lead = _document_title_lead(level, title)
    return lead if lead is not None else F.without_paths(F.without_code(title))


def is_document_title(level: int, title: str) -> bool:
    """True for a report's `# Run analysis: MODEL` title: it names the run, never a finding."""
    return _document_title_lead(level, title) is not None


def _document_title_lead(level: int, title: str) -> str | None:
    """`Run analysis` of a `# Run analysis: MODEL` title; None for any other heading."""
    lead, colon, _ = F.without_code(title).partition(":")
    return lead if level == 1 and colon and _ANALYSIS_TITLE.search(lead) else None


def read_metadata(root: Section) -> dict[str, object]:
    """Run metadata from the document's top, its first heading and any "metadata" section."""
    meta: dict[str, object] = {}
    sections = [root]
    title = ""
    for section in root.walk():
        if section.level == 1 and not title:
            title = section.title
            sections.append(section)
        elif section.level and _METADATA.search(heading_words(section.level, section.title)):
            sections.append(section)
    for section in sections:
        for group in field_groups(section.blocks):
            for key in ("model", "provider", "experiment", "date", "pass_rate", "corrected_pass_rate", "run"):
                value = group.fields.get(key)
                if value is not None and key not in meta and (F.clean(value) or F.code_span(value)):
                    meta[key] = group.fields[key]
    meta["title"] = title
    return meta


def run_facts(path: str, meta: dict[str, object]) -> dict[str, object]:
    """The record's run fields from what the text said (`meta`) and, failing that, the path and title."""
    parts = PurePosixPath(path).parts
    stem = PurePosixPath(path).stem
    path_provider = parts[-3] if len(parts) >= 3 else None
    path_model = parts[-2] if len(parts) >= 2 else None
    title = str(meta.get("title", ""))

    model, provider_in_model = F.split_model(str(meta["model"])) if "model" in meta else (None, None)
    named_model, named_provider = _title_parts(title)
    if model is None:
        model = path_model or named_model
    provider = F.clean(str(meta["provider"])) if "provider" in meta else None
    provider = provider or path_provider or provider_in_model or (named_provider if model == named_model else None)

    written = str(meta.get("run", ""))
    quoted = F.code_span(written)
    ids = [quoted] if quoted is not None else F.run_ids(written)  # our reports quote the id whole
    spans = [F.code_span(part) for part in re.split(r"(?<=`),\s*(?=`)", written.strip())]
    if len(spans) > 1 and all(span is not None for span in spans):  # our multi-run `Run IDs`: each id quoted whole
        ids = list(dict.fromkeys(str(span) for span in spans))
    if not ids:  # our file names: `{runIdPrefix}_{date}.md` (`_2` for a second report that day)
        named = re.fullmatch(r"([0-9a-z]{6,37})_\d{4}-\d{2}-\d{2}(?:_\d+)?", stem)
        ids = [named.group(1)] if named else []
    experiment = F.clean(str(meta["experiment"])) if "experiment" in meta else None
    return {
        "run_ids": tuple(ids),
        "provider": provider or None,
        "model": model or None,
        "experiment": experiment or None,
        "date": F.date_in(str(meta.get("date", ""))) or F.date_in(stem) or F.date_in(title),
        "pass_rate": F.pass_rate(str(meta["pass_rate"])) if "pass_rate" in meta else None,
        "corrected_pass_rate": _corrected(str(meta["corrected_pass_rate"])) if "corrected_pass_rate" in meta else None,
    }


def _corrected(value: str) -> str | None:
    """A corrected pass rate without the note our reports add (`57/66 (86.4%) (counting ... as passes)`)."""
    return F.pass_rate(re.sub(r"\s*\(counting [^)]*\)\s*$", "", value))


def title_model(title: str) -> str | None:
    """`Run Analysis: claude-opus-4-6` or `Run analysis — gpt-5.3 (openai)` -> the model id
    (display names with spaces are not ids)."""
    return _title_parts(title)[0]


def _title_parts(title: str) -> tuple[str | None, str | None]:
    """(model, provider) a title names after `:` (or, without one, after a dash): `gpt-5.3 (openai)`."""
    lead, colon, rest = title.partition(":")
    if not colon:
        parts = re.split(r"\s+[—–-]\s+", title, maxsplit=1)
        lead, rest = (parts[0], parts[1]) if len(parts) == 2 else (title, "")
    if not _ANALYSIS_TITLE.search(lead):  # `Notes: stuff` names no model
        return None, None
    rest = re.split(r"\s+[—–-]\s+", rest.strip(), maxsplit=1)[0].strip()
    model, provider = F.split_model(rest) if rest else (None, None)
    if not model or " " in rest.split("(", 1)[0].strip():
        return None, None
    return model, provider
