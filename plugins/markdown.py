"""Reporter `markdown`: the seed's report layout (SPEC section 7), readable by people and by our history parser."""

from __future__ import annotations

import re
from collections import Counter

from evalanalysis import layout as L
from evalanalysis import NOT_ANALYSED, RECOMMENDATION_GROUPS, FailureAnalysis, RunAnalysis, Settings, first_sentence, hookimpl, other_models

SNIPPET_LINES = 25


@hookimpl
def register_reporters(register):
    register("markdown", MarkdownReporter.from_settings)


class MarkdownReporter:
    """Renders a `RunAnalysis` as the markdown report."""

    suffix = ".md"

    @classmethod
    def from_settings(cls, settings: Settings) -> MarkdownReporter:
        return cls()

    def render(self, analysis: RunAnalysis) -> str:
        parts = [
            _header(analysis),
            _failure_summary(analysis),
            _across_runs(analysis),
            _classification_table(analysis),
            _per_failure(analysis),
            _patterns(analysis),
            _recommendations(analysis),
            f"## {L.NET_IMPACT}\n\n{_text(analysis.net_impact.summary)}\n",
            _actions(analysis),
        ]
        return "\n".join(part for part in parts if part)


# A code span as CommonMark reads it; an opener after a backslash is an escaped backtick, not code.
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)(.+?)(?<!`)\1(?!`)")


# Control characters (ESC, BEL, ...) would reach a terminal that shows the file: written as \xNN instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _visible(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def _text(value: object) -> str:
    """Untrusted text on one markdown line: no line breaks or control characters, and outside code
    spans no raw HTML and no link or image syntax (an error text could otherwise carry a tracking
    image or a disguised link)."""
    text = re.sub(r"\s+", " ", _visible(str(value))).strip()
    parts, end = [], 0
    for span in _CODE_SPAN.finditer(text):
        parts += [_inert(text[end : span.start()]), span.group(0)]
        end = span.end()
    return "".join([*parts, _inert(text[end:])])


def _inert(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("[", "\\[").replace("]", "\\]")


def _cell(value: object) -> str:
    return _pipes(_text(value))


def _pipes(text: str) -> str:
    """A table cell's pipes escaped, code spans included (GFM reads `\\|` as a pipe there too)."""
    return text.replace("|", "\\|")


def _prose(value: object) -> str:
    """`_text` for a paragraph after a `**Key**:` label: a pipe or a middle dot outside code would
    let the history reader take the rest of the line for more `Key: value` fields."""
    parts, end, text = [], 0, _text(value)
    for span in _CODE_SPAN.finditer(text):
        parts += [_joins(text[end : span.start()]), span.group(0)]
        end = span.end()
    return "".join([*parts, _joins(text[end:])])


def _joins(text: str) -> str:
    return text.replace("|", "\\|").replace("\u00b7", "&#183;").replace("\u2022", "&#8226;")


def one_line(value: str) -> str:
    """A database value as the report quotes it: control characters shown as \\xNN, whitespace runs as one space."""
    return re.sub(r"\s+", " ", _visible(value)).strip()


# What may stand bare where the history reader looks for an eval, a model or a step; anything else is quoted
# in a code span, which the reader takes verbatim and never reads as structure (a heading's kind, a class).
# A bare path is `segment/segment` of letters and digits joined by single `-` or `_`, whose category is
# not a step's name (the reader takes `tests/x` for a step and a name).
_SEGMENT = r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*"
_PLAIN_PATH = re.compile(rf"({_SEGMENT})/{_SEGMENT}", re.ASCII)
_STEP_WORDS = frozenset({"filesystem", "fs", "install", "npm", "deploy", "convex", "tsc", "typecheck", "typescript",
                         "eslint", "lint", "tests", "test", "vitest"})
_PLAIN_NAME = re.compile(r"[A-Za-z0-9](?:[\w.+/-]*[A-Za-z0-9])?", re.ASCII)
_PLAIN_STEPS = frozenset({"filesystem", "install", "deploy", "tsc", "eslint", "tests", "unknown"})


def _eval_path(value: str) -> str:
    """An eval path bare when the reader reads exactly it back (`000-x/001-y`), else as code."""
    text = one_line(value)
    plain = _PLAIN_PATH.fullmatch(text)
    return text if plain and plain.group(1).lower() not in _STEP_WORDS else _code(text)


def _name(value: str) -> str:
    """A model id bare when it is one plain token, else as code."""
    text = one_line(value)
    return text if _PLAIN_NAME.fullmatch(text) else _code(text)


def _step(value: str) -> str:
    text = one_line(value)
    return text if text in _PLAIN_STEPS else _code(text)


def _code(value: str) -> str:
    """Inline code that survives backticks inside the value."""
    value = re.sub(r"\s+", " ", _visible(value)).strip()
    fence = "`" * (max((len(m) for m in re.findall(r"`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _block(value: str, lang: str = "") -> str:
    """A fenced block longer than any fence inside the (untrusted) value."""
    lines = _visible(value).splitlines()
    if len(lines) > SNIPPET_LINES:
        lines = lines[:SNIPPET_LINES] + [f"... ({len(value.splitlines()) - SNIPPET_LINES} more lines)"]
    body = "\n".join(lines)
    fence = "`" * max(3, max((len(m) for m in re.findall(r"`{3,}", body)), default=0) + 1)
    return f"{fence}{lang}\n{body}\n{fence}"


def _header(a: RunAnalysis) -> str:
    lines = [
        f"# {L.TITLE}: {_name(a.run.model)}",
        "",
        f"- **{L.RUN_IDS}**: {', '.join(_code(r.id) for r in a.runs)}" if a.runs else f"- **{L.RUN_ID}**: {_code(a.run.id)}",
        f"- **{L.MODEL}**: {_name(a.run.model)}",
        f"- **{L.PROVIDER}**: {_text(a.run.provider or 'unknown')}",
        f"- **{L.EXPERIMENT}**: {_text(a.run.experiment or 'default')}",
        f"- **{L.DATE}**: {a.date}",
        f"- **{L.PASS_RATE}**: {_pass_rates(a)}",
    ]
    if a.corrected_pass_rate is not None:
        counted = ", ".join(c.name for c in a.taxonomy.classes if c.counts_as_pass)
        lines.append(f"- **{L.CORRECTED_PASS_RATE}**: {a.corrected_pass_rate} (counting {counted} as passes)")
    if a.runs:
        statuses = [r.status.kind + (f": {r.status.failure_reason}" if r.status.failure_reason else "") if r.status else "unknown"
                    for r in a.runs]
        if set(statuses) != {"completed"}:
            lines.append(f"- **Run status**: {_text(', '.join(statuses))}")
    elif a.run.status is not None:
        status = _text(a.run.status.kind) + (f": {_text(a.run.status.failure_reason)}" if a.run.status.failure_reason else "")
        lines.append(f"- **Run status**: {status}")
    if a.since_previous is not None:
        lines.append(f"- **Changes**: {_prose(a.since_previous.summary)}")
    lines.append(f"- **Classifier**: {_text(a.classifier)}")
    if a.usage.requests or a.usage.cached:
        lines.append(
            f"- **LLM usage**: {a.usage.requests} requests, {a.usage.input_tokens} input / "
            f"{a.usage.output_tokens} output tokens ({a.usage.cached} cached)"
        )
    if a.usage.requests:  # dollars at the configured list prices; what the prompt cache and batches saved
        cost = [f"${a.usage.cost_usd:.4f}", f"prompt cache {a.usage.cache_read_tokens} read / {a.usage.cache_write_tokens} written tokens"]
        if a.usage.batched:
            cost.append(f"{a.usage.batched} requests batched")
        lines.append(f"- **LLM cost**: {'; '.join(cost)}")
    for warning in a.warnings:
        lines.append(f"- **Warning**: {_text(warning)}")
    return "\n".join(lines) + "\n"


def _pass_rates(a: RunAnalysis) -> str:
    """One run's pass rate; of several, each run's and their mean and spread."""
    if not a.runs:
        return a.pass_rate
    spread = f" ({a.pass_rates.summary})" if a.pass_rates is not None else ""
    return ", ".join(r.pass_rate for r in a.runs) + spread


def _across_runs(a: RunAnalysis) -> str:
    """A report over several runs: in how many each eval failed, deterministic or flaky, with which errors."""
    if not a.runs:
        return ""
    rows = []
    for f in sorted(a.failures, key=lambda f: (-(f.runs_failed or 0), f.eval_path)):
        keys = Counter(f.fingerprints).most_common()
        prints = ", ".join(_code(key) + (f" \u00d7{n}" if n > 1 else "") for key, n in keys)
        rows.append(f"| {_pipes(_eval_path(f.eval_path))} | {f.runs_failed}/{f.runs_total} | {_stability(f)} | {_pipes(prints)} |")
    flaky = sum(1 for f in a.failures if f.flaky)
    intro = (f"{len(a.runs)} runs, oldest first: {', '.join(_code(r.id) for r in a.runs)}. Each failure below shows the "
             f"latest run it failed in. {len(a.failures) - flaky} deterministic (the same error in every run), "
             f"{flaky} flaky (some runs passed, or the error changed): a flaky failure is flagged for review as a "
             "suspected nondeterministic grader or harness, unless the model's own code is nondeterministic where the error points.")
    head = "| Eval | Failed | Deterministic/flaky | Fingerprint(s) |\n|------|--------|---------------------|----------------|\n"
    return f"## {L.ACROSS_RUNS}\n\n{intro}\n\n" + head + "\n".join(rows) + "\n"


def _stability(f: FailureAnalysis) -> str:
    if not f.flaky:
        return f.stability or "-"
    why = f"passed in {(f.runs_total or 0) - (f.runs_failed or 0)}" if (f.runs_failed or 0) < (f.runs_total or 0) \
        else f"{len(set(f.fingerprints))} different errors"
    model = "; the model's code is nondeterministic" if f.verdict and "model_nondeterministic" in f.verdict.tags else ""
    return f"flaky ({why}{model})"


def _failure_summary(a: RunAnalysis) -> str:
    rows = [f"| {_cell(step)} | {count} |" for step, count in a.failures_by_step.items()]
    return f"## {L.FAILURE_SUMMARY}\n\n| Step | Count |\n|------|-------|\n" + "\n".join(rows) + "\n"


def _classification_table(a: RunAnalysis) -> str:
    rows = []
    for i, f in enumerate(a.failures, 1):
        cls = f.classification or NOT_ANALYSED
        if f.verdict and f.verdict.correction is not None:  # a maintainer's class: reviewed, whatever the classifier doubted
            cls = L.corrected_class(cls, f.verdict.correction.original)
        elif f.verdict and f.verdict.needs_review:
            cls += " (needs review)"
        reason = f.verdict.reasoning if f.verdict else f.not_analysed_reason or ""
        confidence = f"{f.verdict.confidence:.2f}" if f.verdict else "-"
        rows.append(
            f"| {i} | {_pipes(_eval_path(f.eval_path))} | {_cell(f.failed_step or 'unknown')} | {cls} | {confidence} "
            f"| {_cell(first_sentence(reason))} |"
        )
    head = "| # | Eval | Failed step | Classification | Confidence | Reasoning |\n|---|------|-------------|----------------|------------|-----------|\n"
    return f"## {L.CLASSIFICATION_TABLE}\n\n" + head + "\n".join(rows) + "\n"



def _per_failure(a: RunAnalysis) -> str:
    sections = [f"## {L.PER_FAILURE}\n"]
    for i, f in enumerate(a.failures, 1):
        sections.append(_failure_section(i, f, a.run.model))
    return "\n".join(sections)


def _failure_section(i: int, f: FailureAnalysis, run_model: str) -> str:
    lines = [L.failure_heading(i, _eval_path(f.eval_path), _step(f.failed_step or "unknown")), ""]
    if f.verdict is None:
        lines += [f"- **{L.CLASSIFICATION}**: {NOT_ANALYSED}", f"- **{L.REASON}**: {_text(f.not_analysed_reason or 'unknown')}"]
    else:
        v = f.verdict
        if v.correction is not None:
            cls = L.corrected_class(v.classification, v.correction.original)
        else:
            cls = v.classification + (f" ({', '.join(_text(t) for t in v.tags)})" if "infrastructure" in v.tags else "")
        lines.append(f"- **{L.CLASSIFICATION}**: {cls}")
    lines += [f"- **{L.FAILED_STEP}**: {_text(f.failed_step or 'unknown')}", f"- **{L.ERROR}**: {_code(f.error)}"]
    if f.runs_total is not None:
        lines.append(f"- **{L.RUNS_FAILED}**: {f.runs_failed}/{f.runs_total}, {_stability(f)}, in "
                     + ", ".join(_code(r) for r in f.failed_in))
    if f.verdict is not None:
        v = f.verdict
        lines.append(f"- **Confidence**: {v.confidence:.2f} ({_text(v.classifier)})")
        if v.decided_by:
            lines.append(f"- **Decided by**: {_text(v.decided_by)}")
        if v.needs_review:
            lines.append(f"- **Needs review**: {_text(v.review_reason or 'yes')}")
        if v.tags:
            lines.append(f"- **Tags**: {', '.join(_text(t) for t in v.tags)}")
    if f.repeat_of is not None:
        p = f.repeat_of
        cls = p.classification or p.classification_raw or "unclassified"
        lines.append(f"- **{L.REPEAT}**: " + L.repeat_text(_text(p.run_id or "?"), _text(p.date or "?"), _text(cls)))
    others = other_models(f.prior_findings, run_model)
    if others:
        lines.append(f"- **Also failed for**: {', '.join(_text(m) for m in others)}")
    if f.verdict is not None:
        v = f.verdict
        lines += ["", f"**{L.REASONING}**: {_prose(v.reasoning)}"]
        if v.evidence:
            lines += ["", "**Evidence**:"]
            lines += [f"- {_text(e.kind)}: {_text(e.detail)}" + (f" ({_text(e.source)})" if e.source else "") for e in v.evidence]
        if v.model_snippet:
            lines += ["", "**Model output**:", "", _block(v.model_snippet, "typescript")]
        if v.expected_snippet:
            lines += ["", "**Expected**:", "", _block(v.expected_snippet, "typescript")]
    lines += ["", "---", ""]
    return "\n".join(lines)


def _patterns(a: RunAnalysis) -> str:
    if not a.patterns:
        return f"## {L.PATTERNS}\n\nNo pattern shared by several failures.\n"
    out = [f"## {L.PATTERNS}\n"]
    for p in a.patterns:
        out.append(f"### {_text(p.title)}\n")
        out.append(_text(p.detail) + (" (synthesis)" if p.source != "rules" else ""))
        if p.evals:
            out.append("")
            out += [f"- {_text(e)}" for e in p.evals]
        out.append("")
    return "\n".join(out)


def _recommendations(a: RunAnalysis) -> str:
    out = [f"## {L.RECOMMENDATIONS}\n"]
    for key, title in RECOMMENDATION_GROUPS:
        items = [r for r in a.recommendations if r.group == key]
        out.append(f"### {title}\n")
        out += [f"- {_text(r.text)}" for r in items] or ["- None"]
        out.append("")
    return "\n".join(out)


def _actions(a: RunAnalysis) -> str:
    body = "\n".join(f"- {_text(x)}" for x in a.actions_taken) if a.actions_taken else "None"
    return f"## {L.ACTIONS_TAKEN}\n\n{body}\n"
