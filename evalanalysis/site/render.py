"""The site's page: one self-contained `index.html` (inline CSS, inline SVG charts, a small inline
script for the search), which works from `file://` and loads nothing from anywhere.

Every string that came from a report (model names, eval paths, classes, errors,
file names) is HTML-escaped; links are percent-encoded relative paths.
A Content-Security-Policy allows only this page's own style and script (by hash).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import re
from urllib.parse import quote

from ..collation.facts import plural
from .assets import SCRIPT, STYLE
from .index import Cell, Column, KnownGapCandidate, Row, Series, SiteIndex, SiteReport, rate_label

GENERATOR = "evalanalysis site"
KNOWN_CLASSES = ("MODEL_FAULT", "OVERLY_STRICT", "AMBIGUOUS_TASK", "KNOWN_GAP")

# The chart's box (SVG user units) and its plot area.
WIDTH, HEIGHT = 420, 150
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 10, 26


def h(value: object) -> str:
    """Text or an attribute value, escaped."""
    return html.escape("" if value is None else str(value), quote=True)


def href(base: str, rel: str) -> str:
    """The URL of report file `rel` (relative to the reports directory) from the site's folder:
    `base` (the reports directory from the site, already a URL path ending in `/`) plus `rel`
    percent-encoded segment by segment, so `#`, `?`, `%` or spaces in a name cannot change the link."""
    return base + "/".join(quote(part, safe="") for part in rel.split("/"))


def class_token(classification: str | None) -> str:
    """A CSS class for a failure class: one of ours, `other`, or `none`."""
    if classification is None:
        return "cls-none"
    return f"cls-{classification.lower()}" if classification in KNOWN_CLASSES else "cls-other"


def abbreviation(classification: str | None) -> str:
    if not classification:
        return "?"
    words = [w for w in re.split(r"[^A-Za-z0-9]+", classification) if w]
    return "".join(w[0] for w in words[:3]).upper() or "?"


def render_site(index: SiteIndex, base: str, *, title: str = "Eval reports", source: str = "") -> str:
    """The page for `index`; `base` is the URL path from the site's folder to the reports directory
    (ending in `/`), `source` how to name the reports directory on the page."""
    names = {c.key: c.model for c in index.columns}
    body = "\n".join([
        _header(index, title, source),
        _controls(),
        _candidates(index.candidates),
        _matrix(index, base, names),
        _series_sections(index.series, base),
        _warnings(index.warnings),
    ])
    style_hash = _hash(STYLE)
    script_hash = _hash(SCRIPT)
    csp = (f"default-src 'none'; style-src '{style_hash}'; script-src '{script_hash}'; img-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{h(csp)}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<meta name=\"generator\" content=\"{GENERATOR}\">\n"
        f"<title>{h(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"{body}\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _header(index: SiteIndex, title: str, source: str) -> str:
    current = sum(1 for r in index.reports if not r.superseded)
    superseded = len(index.reports) - current
    experiments = len({r.experiment for r in index.reports})
    facts = [
        plural(len(index.reports), "report") + (f" ({superseded} superseded by a newer report of the same run)" if superseded else ""),
        plural(index.models, "model"),
        plural(experiments, "experiment"),
        plural(len(index.rows), "eval") + " failing in a latest report",
        plural(len(index.candidates), "known-gap candidate"),
    ]
    where = f"<p class=\"source\">Reports in <code>{h(source)}</code></p>" if source else ""
    return (
        f"<header><h1>{h(title)}</h1>{where}<ul class=\"facts\" id=\"facts\">"
        + "".join(f"<li>{h(fact)}</li>" for fact in facts)
        + "</ul></header>"
    )


def _controls() -> str:
    return (
        "<form id=\"controls\" class=\"controls\" role=\"search\" hidden>"
        "<label for=\"search\">Search evals, models, classes</label> "
        "<input id=\"search\" type=\"search\" autocomplete=\"off\" placeholder=\"e.g. 002-queries, gpt-5, KNOWN_GAP\"> "
        "<output id=\"search-count\" for=\"search\"></output></form>"
    )


def _candidates(candidates: tuple[KnownGapCandidate, ...]) -> str:
    head = "<section id=\"candidates\"><h2>Known-gap candidates</h2>"
    if not candidates:
        return head + (
            "<p class=\"note\">No eval fails the same way for more than half of the models with a report "
            "(and at least 3).</p></section>"
        )
    items = []
    for c in candidates:
        step_note = ""
        if c.by_step_only:
            step_note = (
                f"<p class=\"note basis\">Matched by failed step only (their reports record no error): "
                f"{h(', '.join(c.by_step_only))}</p>"
            )
        search = " ".join([c.eval_path, *c.models, c.failed_step, "known_gap candidate"]).lower()
        items.append(
            f"<li class=\"candidate\" data-search=\"{h(search)}\">"
            f"<p><a class=\"eval\" href=\"#{h(_row_id(c.eval_path))}\"><code>{h(c.eval_path)}</code></a> fails for "
            f"<strong>{len(c.models)} of {c.models_with_report}</strong> models with one fingerprint "
            f"<span class=\"basis\">(matched by {h(c.basis)})</span></p>"
            f"<pre class=\"fingerprint\">{h(c.fingerprint)}</pre>"
            f"<p class=\"models\">Models: {h(', '.join(c.models))}</p>"
            f"<p class=\"classes\">Classified {h(', '.join(f'{cls} {n}' for cls, n in c.classes))}</p>{step_note}</li>"
        )
    return (
        head + "<p class=\"note\">Each eval below fails, in the latest report of more than half of the models "
        "(and at least 3), with the same error fingerprint: likely a gap of the eval rather than of the models.</p>"
        f"<ul class=\"candidates\">{''.join(items)}</ul></section>"
    )


def _row_id(eval_path: str) -> str:
    return "eval-" + hashlib.sha256(eval_path.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _matrix(index: SiteIndex, base: str, names: dict[str, str]) -> str:
    head = "<section id=\"latest\"><h2>Latest failures by eval and model</h2>"
    if not index.rows:
        return head + "<p class=\"note\">No failure in any model's latest report.</p></section>"
    columns = index.columns
    legend = "".join(
        f"<li><span class=\"cell {class_token(c)}\">{h(abbreviation(c))}</span> {h(c)}</li>" for c in KNOWN_CLASSES
    ) + ("<li><span class=\"cell cls-other\">ABC</span> another class (its initials)</li>"
         "<li><span class=\"cell cls-none\">?</span> not classified</li>")
    header = "".join(_column_header(c, base) for c in columns)
    rows = "".join(_matrix_row(row, columns, names) for row in index.rows)
    return (
        head + "<p class=\"note\">One column per model: its newest report (any experiment). "
        "A cell is the eval's failure in that report: its class, failed step and error.</p>"
        f"<ul class=\"legend\">{legend}</ul>"
        f"<div class=\"scroll\"><table id=\"matrix\"><thead><tr><th scope=\"col\" class=\"evalcol\">Eval</th>{header}</tr></thead>"
        f"<tbody>{rows}</tbody></table></div></section>"
    )


def _column_header(c: Column, base: str) -> str:
    when = f"{c.date or 'undated'}" + ("" if c.experiment == "default" else f", {c.experiment}")
    return (
        f"<th scope=\"col\" class=\"model\"><a href=\"{h(href(base, c.link))}\" title=\"{h(c.model)} ({h(when)})\">"
        f"<span>{h(c.model)}</span></a></th>"
    )


def _matrix_row(row: Row, columns: tuple[Column, ...], names: dict[str, str]) -> str:
    cells = {cell.column: cell for cell in row.cells}
    words = [row.eval_path]
    for cell in row.cells:
        words += [names[cell.column], cell.classification or "unclassified", cell.failed_step or ""]
    badge = ""
    if row.candidate is not None:
        words.append("known_gap candidate")
        badge = f" <span class=\"badge\" title=\"{h(len(row.candidate.models))} models fail it the same way\">known-gap candidate</span>"
    tds = "".join(_cell(cells.get(c.key), names.get(c.key, c.key)) for c in columns)
    search = " ".join(words).lower()
    flagged = " candidate-row" if row.candidate is not None else ""
    return (
        f"<tr id=\"{h(_row_id(row.eval_path))}\" class=\"eval-row{flagged}\" data-search=\"{h(search)}\">"
        f"<th scope=\"row\" class=\"evalcol\"><code>{h(row.eval_path)}</code>{badge}</th>{tds}</tr>"
    )


def _cell(cell: Cell | None, model: str) -> str:
    if cell is None:
        return "<td></td>"
    error = cell.error if cell.error else "no error recorded; matched by failed step"
    tip = f"{model}: {cell.classification or 'not classified'} at {cell.failed_step or 'unknown step'}: {error}"
    return (
        f"<td class=\"cell {class_token(cell.classification)}\" title=\"{h(tip)}\" data-class=\"{h(cell.classification or '')}\">"
        f"{h(abbreviation(cell.classification))}</td>"
    )


def _series_sections(series: tuple[Series, ...], base: str) -> str:
    if not series:
        return "<section id=\"series\"><h2>Pass rate over time</h2><p class=\"note\">No report.</p></section>"
    parts = ["<section id=\"series\"><h2>Pass rate over time</h2>"
             "<p class=\"note\">Per model and experiment: the pass rate (solid) and the corrected pass rate "
             "(dashed: the eval-side classes counted as passes), one point per dated report.</p>"]
    for s in series:
        search = " ".join([s.model, s.provider or "", s.experiment]).lower()
        provider = f" <span class=\"provider\">{h(s.provider)}</span>" if s.provider else ""
        parts.append(
            f"<section class=\"series\" data-search=\"{h(search)}\"><h3>{h(s.model)}{provider} "
            f"<span class=\"experiment\">{h(s.experiment)}</span></h3>"
            f"<div class=\"series-body\">{_chart(s)}{_report_table(s.reports, base)}</div></section>"
        )
    parts.append("</section>")
    return "".join(parts)


def _ordinal(date: str) -> int | None:
    try:
        return dt.date.fromisoformat(date).toordinal()
    except ValueError:
        return None


def _chart(s: Series) -> str:
    points = [(p, _ordinal(p.date)) for p in s.points]
    points = [(p, day) for p, day in points if day is not None]
    label = f"Pass rate over time: {s.model}, {s.experiment}"
    if not points:
        return f"<figure class=\"chart empty\"><figcaption>{h(label)}: no dated report with a pass rate</figcaption></figure>"
    first, last = points[0][1], points[-1][1]
    span = last - first
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: int) -> float:
        return LEFT + (plot_w / 2 if span == 0 else plot_w * (day - first) / span)

    def y(pct: float) -> float:
        return TOP + plot_h * (1 - max(0.0, min(100.0, pct)) / 100)

    grid = "".join(
        f"<line class=\"grid\" x1=\"{LEFT}\" y1=\"{y(v):.1f}\" x2=\"{WIDTH - RIGHT}\" y2=\"{y(v):.1f}\"/>"
        f"<text class=\"axis\" x=\"{LEFT - 4}\" y=\"{y(v) + 4:.1f}\" text-anchor=\"end\">{v}%</text>"
        for v in (0, 50, 100)
    )
    dates = f"<text class=\"axis\" x=\"{x(first):.1f}\" y=\"{HEIGHT - 8}\" text-anchor=\"{'middle' if span == 0 else 'start'}\">{h(points[0][0].date)}</text>"
    if span:
        dates += f"<text class=\"axis\" x=\"{x(last):.1f}\" y=\"{HEIGHT - 8}\" text-anchor=\"end\">{h(points[-1][0].date)}</text>"
    lines = []
    for kind, value in (("pass", lambda p: p.pass_pct), ("corrected", lambda p: p.corrected_pct)):
        coords = [(x(day), y(value(p)), p) for p, day in points if value(p) is not None]
        if not coords:
            continue
        if len(coords) > 1:
            path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy, _ in coords)
            lines.append(f"<polyline class=\"line {kind}\" points=\"{path}\"/>")
        for cx, cy, p in coords:
            what = "pass rate" if kind == "pass" else "corrected pass rate"
            tip = f"{p.date}: {what} {p.label if kind == 'pass' else _pct(p.corrected_pct)} (run {p.run_id or '?'})"
            lines.append(f"<circle class=\"point {kind}\" cx=\"{cx:.1f}\" cy=\"{cy:.1f}\" r=\"3.5\"><title>{h(tip)}</title></circle>")
    undated = f"; {s.undated} undated report{'s' if s.undated != 1 else ''} not shown" if s.undated else ""
    return (
        f"<figure class=\"chart\"><svg role=\"img\" aria-label=\"{h(label)}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" "
        f"width=\"{WIDTH}\" height=\"{HEIGHT}\" xmlns=\"http://www.w3.org/2000/svg\">{grid}{dates}{''.join(lines)}</svg>"
        f"<figcaption>{h(plural(len(points), 'dated report'))}{h(undated)}</figcaption></figure>"
    )


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


SHOWN_REPORTS = 8  # newest reports listed open per series; older ones behind a <details> (not laid out until opened)


def _report_table(reports: tuple[SiteReport, ...], base: str) -> str:
    head = (
        "<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Run</th>"
        "<th scope=\"col\">Pass rate</th><th scope=\"col\">Corrected</th><th scope=\"col\">Failures</th>"
        "<th scope=\"col\">Report</th></tr></thead>"
    )
    shown, older = reports[:SHOWN_REPORTS], reports[SHOWN_REPORTS:]
    table = f"<table class=\"reports\">{head}<tbody>{''.join(_report_row(r, base) for r in shown)}</tbody></table>"
    if not older:
        return f"<div class=\"report-list\">{table}</div>"
    rest = f"<table class=\"reports\">{head}<tbody>{''.join(_report_row(r, base) for r in older)}</tbody></table>"
    return (
        f"<div class=\"report-list\">{table}<details class=\"older\"><summary>{h(plural(len(older), 'older report'))}</summary>"
        f"{rest}</details></div>"
    )


def _report_row(r: SiteReport, base: str) -> str:
    corrected = rate_label(r.corrected, r.total, r.corrected_pct) if r.corrected_pct is not None else "-"
    page = "HTML" if r.html else "markdown"
    note = " <span class=\"superseded\">superseded</span>" if r.superseded else ""
    return (
        f"<tr class=\"report{' old' if r.superseded else ''}\"><td>{h(r.date or 'undated')}</td>"
        f"<td><code>{h((r.run_id or '?')[:8])}</code></td>"
        f"<td>{h(rate_label(r.passed, r.total, r.pass_pct))}</td><td>{h(corrected)}</td>"
        f"<td>{len(r.failures)}</td>"
        f"<td><a class=\"report-link\" href=\"{h(href(base, r.link))}\">{h(r.link.rsplit('/', 1)[-1])}</a> "
        f"<span class=\"kind\">{page}; read from {h(r.source)}</span>{note}</td></tr>"
    )


def _warnings(warnings: tuple[str, ...]) -> str:
    if not warnings:
        return ""
    items = "".join(f"<li>{h(w)}</li>" for w in warnings)
    return f"<section id=\"warnings\"><details><summary>{h(plural(len(warnings), 'warning'))}</summary><ul>{items}</ul></details></section>"


__all__ = ["GENERATOR", "href", "render_site"]
