"""Reporter `html`: the markdown report's content as one self-contained page a maintainer can open and share.

Everything is inline (CSS, SVG charts drawn here, one small script), so the
file fetches nothing. Every value from the database, a model output or an LLM
answer goes through jinja2's autoescaping; Pygments escapes the snippets it
highlights, with token classes whose colours the page's stylesheet sets for the
light and the dark theme. A Content-Security-Policy that allows only the page's own script
(by hash) means even a missed escape could not run injected script.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import re
import unicodedata
from collections import Counter
from importlib import resources
from typing import Any

import jinja2
from attrs import frozen
from markupsafe import Markup, escape
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TypeScriptLexer
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES

from evalanalysis import NOT_ANALYSED, RECOMMENDATION_GROUPS, FailureAnalysis, RunAnalysis, Settings, first_sentence, hookimpl, other_models

SNIPPET_LINES = 60
# Colours by taxonomy role, so a team's own class names keep a meaningful colour.
# Hues at least 30 degrees apart, and dark enough for white badge text (WCAG AA).
ROLE_COLOURS = {
    "model_fault": "#b91c1c",
    "overly_strict": "#a16207",
    "ambiguous_task": "#1d4ed8",
    "infrastructure": "#0e7490",
    "known_gap": "#6d28d9",
}
# For a second class with the same role, so no two classes share a colour.
FALLBACK_COLOURS = ("#047857", "#be185d", "#4d7c0f", "#475569")
NOT_ANALYSED_COLOUR = "#6b7280"
BAR_COLOUR = "#334155"  # neutral bars; the stylesheet sets the dark theme's
# Pygments styles whose token colours keep WCAG AA contrast (4.5:1) on the code panels of each theme.
LIGHT_CODE_STYLE = "xcode"
DARK_CODE_STYLE = "lightbulb"
CHART_WIDTH = 320
LABEL_WIDTH = 140  # the labels' column, left of the bars
LABEL_GAP = 8  # between a label's end and its bar
BAR_HEIGHT = 20
BAR_GAP = 6
ELLIPSIS = "\u2026"
INLINE_CODE = re.compile(r"(`+)(.+?)\1")


@hookimpl
def register_reporters(register):
    register("html", HtmlReporter.from_settings)


@frozen
class Bar:
    """One bar of a horizontal bar chart, positioned in SVG user units."""

    label: str
    short_label: str
    count: int
    colour: str
    neutral: bool
    y: int
    width: float


@frozen
class Chart:
    """A horizontal bar chart drawn server-side as inline SVG."""

    key: str
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int
    label_gap: int
    bar_height: int
    room: int  # the width a bar of the largest count gets


class HtmlReporter:
    """Renders a `RunAnalysis` as a self-contained HTML page."""

    suffix = ".html"

    def __init__(self) -> None:
        self._env = _environment()
        self._script = resources.files(__package__).joinpath("templates/report.js").read_text(encoding="utf-8")
        self._css = resources.files(__package__).joinpath("templates/report.css").read_text(encoding="utf-8")
        self._css += code_css()

    @classmethod
    def from_settings(cls, settings: Settings) -> HtmlReporter:
        return cls()

    def render(self, analysis: RunAnalysis) -> str:
        template = self._env.get_template("report.html.j2")
        return template.render(
            a=analysis,
            csp=content_security_policy(self._script),
            css=Markup(self._css),
            script=Markup(self._script),
            charts=charts(analysis),
            classes=_class_legend(analysis),
            failures=[_failure_view(i, f, analysis) for i, f in enumerate(analysis.failures, 1)],
            anchors={f.eval_path: f"failure-{i}" for i, f in enumerate(analysis.failures, 1)},
            groups=[
                (title, [r for r in analysis.recommendations if r.group == key]) for key, title in RECOMMENDATION_GROUPS
            ],
            counted=[c.name for c in analysis.taxonomy.classes if c.counts_as_pass],
            stats=_stats(analysis),
            pass_rate=", ".join(r.pass_rate for r in analysis.runs) + (f" ({analysis.pass_rates.summary})" if analysis.pass_rates else "")
            if analysis.runs else analysis.pass_rate,
        )


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(__package__, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline_code"] = inline_code
    return env


def inline_code(text: object) -> Markup:
    """Escape `text` and show its `backtick` spans (as the core writes them) as <code>."""
    value = str(text)
    out, last = [], 0
    for match in INLINE_CODE.finditer(value):
        out += [escape(value[last : match.start()]), Markup("<code>"), escape(match.group(2).strip()), Markup("</code>")]
        last = match.end()
    out.append(escape(value[last:]))
    return Markup("").join(out)


def content_security_policy(script: str) -> str:
    """A policy that loads nothing from anywhere and runs only `script`, pinned by its SHA-256."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def code_css() -> str:
    """The highlighted snippets' token colours: the light style, and the dark one under `prefers-color-scheme: dark`."""
    return "\n/* Code highlighting (Pygments token classes) */\n" + _token_rules(LIGHT_CODE_STYLE) + (
        "@media (prefers-color-scheme: dark) {\n" + _token_rules(DARK_CODE_STYLE) + "}\n"
    )


def _token_rules(style_name: str) -> str:
    """One rule per token class, each setting colour, weight and slant, so no rule of the other theme shows through."""
    style = get_style_by_name(style_name)
    rules = []
    for token, cls in sorted(STANDARD_TYPES.items(), key=lambda kv: kv[1]):
        if not cls:
            continue
        st = style.style_for_token(token)
        colour = f"#{st['color']}" if st["color"] else "inherit"
        weight = "600" if st["bold"] else "inherit"
        slant = "italic" if st["italic"] else "normal"
        rules.append(f".highlight .{cls} {{ color: {colour}; font-weight: {weight}; font-style: {slant}; }}")
    return "\n".join(rules) + "\n"


def class_colour(analysis: RunAnalysis, name: str) -> str:
    """The colour of a class in charts and badges."""
    if name == NOT_ANALYSED:
        return NOT_ANALYSED_COLOUR
    taxonomy = analysis.taxonomy
    cls = taxonomy.get(name)
    if cls is not None and cls.role in ROLE_COLOURS and taxonomy.for_role(cls.role) is cls:
        return ROLE_COLOURS[cls.role]
    index = taxonomy.names.index(name) if cls is not None else len(name)
    return FALLBACK_COLOURS[index % len(FALLBACK_COLOURS)]


def class_of(f: FailureAnalysis) -> str:
    return f.classification or NOT_ANALYSED


def class_counts(a: RunAnalysis) -> list[tuple[str, int]]:
    """The classes present, with their counts: taxonomy order, then any class the taxonomy lacks, then NOT_ANALYSED."""
    present = Counter(class_of(f) for f in a.failures)
    known = [n for n in a.taxonomy.names if present[n]]
    others = sorted(set(present) - set(known) - {NOT_ANALYSED})
    return [(n, present[n]) for n in known + others + ([NOT_ANALYSED] if present[NOT_ANALYSED] else [])]


def charts(a: RunAnalysis) -> list[Chart]:
    """Failures by step, by category (largest first) and by class."""
    by_category = Counter(f.category for f in a.failures)
    return [
        _chart("step", "Failures by step", [(s, n, None) for s, n in a.failures_by_step.items()]),
        _chart(
            "category",
            "Failures by category",
            [(c, n, None) for c, n in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))],
        ),
        _chart("class", "Failures by class", [(c, n, class_colour(a, c)) for c, n in class_counts(a)]),
    ]


def _chart(key: str, title: str, rows: list[tuple[str, int, str | None]]) -> Chart:
    """Bars for `rows` of (label, count, colour); a colour of None is the neutral bar colour of the theme."""
    most = max((n for _, n, _ in rows), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 40  # leave space for the count after the longest bar
    bars = tuple(
        Bar(
            label=label,
            short_label=fit_label(label, LABEL_WIDTH - LABEL_GAP),
            count=count,
            colour=colour or BAR_COLOUR,
            neutral=colour is None,
            y=i * (BAR_HEIGHT + BAR_GAP),
            width=round(max(2.0, room * count / most), 1),
        )
        for i, (label, count, colour) in enumerate(rows)
    )
    height = max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP)
    return Chart(key, title, bars, CHART_WIDTH, height, LABEL_WIDTH, LABEL_GAP, BAR_HEIGHT, room)


def text_width(text: str) -> float:
    """The width in pixels of `text` in the charts' 12px sans-serif, estimated on the wide side.

    Widths are those of DejaVu Sans, the widest common default font, so a label
    that fits by this estimate fits in any browser.
    """
    return sum(_char_width(c) for c in text)


def _char_width(c: str) -> float:
    if unicodedata.east_asian_width(c) in "WF" or c in "mwMW@%" or c == ELLIPSIS:
        return 12.0
    if c in "ijlft.,:;'|!()[]/- ":
        return 4.5
    if c.isupper():
        return 8.2
    if c.isdigit():
        return 7.7
    return 7.0


def fit_label(label: str, room: float) -> str:
    """`label`, cut with an ellipsis so it fits `room` pixels (the whole label is in the bar's tooltip)."""
    if text_width(label) <= room:
        return label
    cut = label
    while cut and text_width(cut) + _char_width(ELLIPSIS) > room:
        cut = cut[:-1]
    return cut + ELLIPSIS


def _class_legend(a: RunAnalysis) -> list[dict[str, Any]]:
    return [{"name": n, "count": count, "colour": class_colour(a, n)} for n, count in class_counts(a)]


def _stats(a: RunAnalysis) -> list[tuple[str, str]]:
    stats = [("Pass rate", a.pass_rate)]
    if a.corrected_pass_rate is not None:
        stats.append(("Corrected pass rate", a.corrected_pass_rate))
    stats += [
        ("Failures", str(len(a.failures))),
        ("Actionable on the eval side", str(a.net_impact.actionable)),
        ("Genuine model faults", str(a.net_impact.model_faults)),
    ]
    stats += [("LLM cost", f"${a.usage.cost_usd:.4f}")] if a.usage.requests else []  # at the configured list prices
    return stats


def _failure_view(i: int, f: FailureAnalysis, a: RunAnalysis) -> dict[str, Any]:
    v = f.verdict
    cls = class_of(f)
    reason = v.reasoning if v else f.not_analysed_reason or ""
    return {
        "index": i,
        "anchor": f"failure-{i}",
        "f": f,
        "v": v,
        "cls": cls,
        "step": f.failed_step or "unknown",  # as the step chart and failures_by_step name it
        "cls_label": cls + (" (infrastructure)" if v and "infrastructure" in v.tags else ""),
        "colour": class_colour(a, cls),
        "confidence": f"{v.confidence:.2f}" if v else "-",
        "confidence_sort": f"{v.confidence:.4f}" if v else "-1",
        "first_sentence": first_sentence(reason),
        "runs_badge": f"failed {f.runs_failed}/{f.runs_total}, {f.stability}" if f.runs_total is not None else None,
        "others": other_models(f.prior_findings, a.run.model),
        "model_html": highlighted(v.model_snippet) if v and v.model_snippet else None,
        "expected_html": highlighted(v.expected_snippet) if v and v.expected_snippet else None,
        "diff": snippet_diff(v.expected_snippet, v.model_snippet) if v else None,
    }



def _clip(text: str) -> str:
    lines = text.splitlines()
    if len(lines) <= SNIPPET_LINES:
        return text
    return "\n".join(lines[:SNIPPET_LINES] + [f"// ... ({len(lines) - SNIPPET_LINES} more lines)"])


def highlighted(snippet: str) -> Markup:
    """TypeScript highlighting with token classes (coloured by `code_css`); Pygments escapes the (untrusted) code itself."""
    formatter = HtmlFormatter(cssclass="highlight", nobackground=True)
    return Markup(highlight(_clip(snippet), TypeScriptLexer(), formatter))


def snippet_diff(expected: str | None, model: str | None) -> list[tuple[str, str]] | None:
    """Unified diff lines from the expected snippet to the model's, as (kind, text); None without both sides.

    `kind` is `add` (only in the model output), `del` (only in the expected),
    `hunk`, `file` or `same`. An empty list means the snippets are identical.
    """
    if not expected or not model:
        return None
    lines = difflib.unified_diff(
        _clip(expected).splitlines(), _clip(model).splitlines(), "expected", "model output", lineterm="", n=3
    )
    out = []
    for n, line in enumerate(lines):
        if n < 2:  # the two file headers; a code line may start with "---" too
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "same"
        out.append((kind, line))
    return out
