"""The site page's own style and script, inlined into `index.html` (the page's CSP allows exactly these, by hash)."""

STYLE = """
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dde5; --bg: #ffffff; --soft: #f4f6f9;
  --mf: #c0392b; --os: #d68910; --at: #2e6fba; --kg: #7d3c98; --other: #5d6d7e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1400px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 6px; overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
a { color: #1f5fa8; }
.source, .note, .kind, .provider, .basis { color: var(--muted); }
.facts { display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; margin: 6px 0; list-style: none; }
.controls { position: sticky; top: 0; background: var(--bg); padding: 10px 0; border-bottom: 1px solid var(--line); z-index: 2; }
.controls input { width: min(480px, 70vw); padding: 6px 8px; font: inherit; border: 1px solid #aab2c0; border-radius: 4px; }
.controls output { margin-left: 10px; color: var(--muted); }
.candidates { list-style: none; padding: 0; }
.candidate { border: 1px solid var(--line); border-left: 4px solid var(--kg); border-radius: 4px; padding: 6px 12px; margin: 8px 0; }
.candidate p { margin: 4px 0; }
.fingerprint { background: var(--soft); padding: 6px 8px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; padding: 0; margin: 6px 0 10px; }
.scroll { overflow: auto; max-height: 75vh; border: 1px solid var(--line); }
#matrix { border-collapse: collapse; }
#matrix th, #matrix td { border: 1px solid var(--line); padding: 2px 4px; }
#matrix thead th { position: sticky; top: 0; background: var(--bg); z-index: 1; vertical-align: bottom; }
#matrix th.model { height: 150px; min-width: 30px; }
#matrix th.model span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; max-height: 140px; overflow: hidden; text-overflow: ellipsis; display: inline-block; }
#matrix th.evalcol { text-align: left; font-weight: normal; position: sticky; left: 0; background: var(--bg); min-width: 17em; max-width: 24em; overflow-wrap: anywhere; }
#matrix thead th.evalcol { z-index: 3; }
#matrix tr.candidate-row th.evalcol { background: #f5eef8; }
.cell { text-align: center; font-weight: 600; font-size: 11px; color: #fff; min-width: 28px; display: inline-block; }
td.cell { display: table-cell; cursor: default; }
span.cell { padding: 1px 4px; border-radius: 3px; }
.cls-model_fault { background: var(--mf); }
.cls-overly_strict { background: var(--os); }
.cls-ambiguous_task { background: var(--at); }
.cls-known_gap { background: var(--kg); }
.cls-other { background: var(--other); }
.cls-none { background: #aab2c0; }
.badge { display: inline-block; background: var(--kg); color: #fff; border-radius: 3px; padding: 0 5px; font-size: 11px; margin-left: 4px; }
.series { border: 1px solid var(--line); border-radius: 4px; padding: 10px 12px; margin: 10px 0; }
.series-body { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.experiment { font-weight: normal; background: var(--soft); border-radius: 3px; padding: 0 6px; font-size: 12px; }
.chart { margin: 0; }
.chart svg { display: block; max-width: 100%; height: auto; }
.chart figcaption { color: var(--muted); font-size: 12px; }
.chart .grid { stroke: var(--line); stroke-width: 1; }
.chart .axis { fill: var(--muted); font-size: 10px; }
.chart .line { fill: none; stroke-width: 2; }
.chart .line.pass { stroke: #1f5fa8; }
.chart .line.corrected { stroke: #27ae60; stroke-dasharray: 5 3; }
.chart .point.pass { fill: #1f5fa8; }
.chart .point.corrected { fill: #27ae60; }
.report-list { flex: 1 1 480px; }
.reports { border-collapse: collapse; font-size: 13px; width: 100%; }
.older summary { cursor: pointer; color: var(--muted); margin: 4px 0; }
.reports th, .reports td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
.reports tr.old { color: var(--muted); }
.reports td:first-child, .reports td:nth-child(3), .reports td:nth-child(4) { white-space: nowrap; }
.superseded { font-size: 11px; background: var(--soft); border-radius: 3px; padding: 0 4px; }
[hidden] { display: none !important; }
"""

SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("controls");
  var input = document.getElementById("search");
  var count = document.getElementById("search-count");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-search]"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("#matrix tbody tr"));
  function apply() {
    var words = input.value.toLowerCase().split(/\\s+/).filter(function (w) { return w.length > 0; });
    items.forEach(function (el) {
      var text = el.getAttribute("data-search") || "";
      el.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
    });
    var shown = rows.filter(function (r) { return !r.hidden; }).length;
    count.textContent = words.length ? "Showing " + shown + " of " + rows.length + " evals" : rows.length + " evals";
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("input", apply);
  form.hidden = false;
  apply();
})();
"""
