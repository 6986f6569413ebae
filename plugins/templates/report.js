(function () {
  "use strict";
  // Progressive enhancement only: the page is complete without this script.
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var slice = function (list) { return Array.prototype.slice.call(list); };
  var clearFilters = null;  // set below when the filter controls are live
  var table = document.getElementById("classification");
  var controls = document.getElementById("table-controls");
  if (table && controls) {
    var body = table.tBodies[0];
    var rows = slice(body.rows);
    // What the text filter searches: the row as shown plus the failure's error line.
    var haystacks = rows.map(function (row) {
      return (row.textContent + " " + (row.getAttribute("data-error") || "")).toLowerCase();
    });
    var sections = rows.map(function (row) {
      return document.getElementById("failure-" + row.getAttribute("data-index"));
    });
    var text = document.getElementById("filter-text");
    var count = document.getElementById("row-count");
    var failureCount = document.getElementById("failure-count");
    var boxes = slice(document.querySelectorAll("input[name=class-filter]"));
    // Each chart's bars, with what the page was rendered with, so an unfiltered view is exactly that again.
    var charts = slice(document.querySelectorAll("svg.bar-chart[data-key]")).map(function (svg) {
      return {
        key: svg.getAttribute("data-key"),
        room: parseFloat(svg.getAttribute("data-room")),
        labelWidth: parseFloat(svg.getAttribute("data-label-width")),
        bars: slice(svg.querySelectorAll("g.bar")).map(function (g) {
          var rect = g.querySelector("rect");
          return {
            g: g, rect: rect, count: g.querySelector("text.count"), title: g.querySelector("title"),
            label: g.getAttribute("data-label"), total: g.getAttribute("data-count"), width: rect.getAttribute("width")
          };
        })
      };
    });
    var stepCells = slice(document.querySelectorAll("#failure-summary tbody tr[data-label]")).map(function (tr) {
      return { label: tr.getAttribute("data-label"), cell: tr.cells[1], total: tr.cells[1].textContent };
    });
    var attribute = { step: "data-step", category: "data-category", "class": "data-class" };

    var drawChart = function (chart, counts, filtered) {
      var most = 1;
      chart.bars.forEach(function (bar) { most = Math.max(most, counts[bar.label] || 0); });
      chart.bars.forEach(function (bar) {
        var n = filtered ? (counts[bar.label] || 0) : parseInt(bar.total, 10);
        var width = filtered ? Math.round(Math.max(2, chart.room * n / most) * 10) / 10 : parseFloat(bar.width);
        bar.rect.setAttribute("width", String(width));
        bar.count.setAttribute("x", String(chart.labelWidth + width + 6));
        bar.count.textContent = String(n);
        bar.title.textContent = bar.label + ": " + n + (filtered ? " of " + bar.total : "");
        bar.g.setAttribute("data-shown", String(n));
        bar.g.classList.toggle("empty", n === 0);
      });
    };

    var apply = function () {
      var needle = text.value.trim().toLowerCase();
      var allowed = {};
      boxes.forEach(function (box) { if (box.checked) { allowed[box.value] = true; } });
      var shown = 0;
      var counts = { step: {}, category: {}, "class": {} };
      rows.forEach(function (row, i) {
        var visible = allowed[row.getAttribute("data-class")] === true &&
          (needle === "" || haystacks[i].indexOf(needle) !== -1);
        row.hidden = !visible;
        if (sections[i]) { sections[i].hidden = !visible; }
        if (visible) {
          shown += 1;
          Object.keys(counts).forEach(function (key) {
            var value = row.getAttribute(attribute[key]);
            counts[key][value] = (counts[key][value] || 0) + 1;
          });
        }
      });
      var filtered = shown !== rows.length;
      count.textContent = "Showing " + shown + " of " + rows.length;
      if (failureCount) {
        failureCount.textContent = filtered ? "Showing " + shown + " of " + rows.length + " failures (filtered)" : "";
      }
      charts.forEach(function (chart) { drawChart(chart, counts[chart.key] || {}, filtered); });
      stepCells.forEach(function (s) {
        s.cell.textContent = filtered ? (counts.step[s.label] || 0) + " of " + s.total : s.total;
      });
    };

    // The filter lives in the address (?q=TEXT&class=NAME&class=NAME; no class= means every class), so a
    // reload, a shared link or back/forward shows the same failures.
    var fromAddress = function () {
      var params = new URLSearchParams(location.search);
      text.value = params.get("q") || "";
      var classes = params.has("class") ? params.getAll("class") : null;
      boxes.forEach(function (box) { box.checked = classes === null || classes.indexOf(box.value) !== -1; });
    };
    var address = function () {
      var params = new URLSearchParams(location.search);  // keeps any parameter that is not ours
      params.delete("q");
      params.delete("class");
      if (text.value.trim()) { params.set("q", text.value.trim()); }
      var checked = boxes.filter(function (box) { return box.checked; });
      if (checked.length !== boxes.length) {
        if (checked.length === 0) { params.append("class", ""); }
        checked.forEach(function (box) { params.append("class", box.value); });
      }
      var query = params.toString();
      return location.pathname + (query ? "?" + query : "") + location.hash;
    };
    var typing = false;  // successive keystrokes make one history entry, not one each
    var record = function (byTyping) {
      var next = address();
      if (next === location.pathname + location.search + location.hash) { return; }
      try {
        if (byTyping && typing) { history.replaceState(null, "", next); } else { history.pushState(null, "", next); }
      } catch (e) {  // a browser that refuses history changes here: the filter still applies
      }
      typing = byTyping;
    };
    text.addEventListener("input", function () { apply(); record(true); });
    boxes.forEach(function (box) { box.addEventListener("change", function () { apply(); record(false); }); });
    clearFilters = function () {
      text.value = "";
      boxes.forEach(function (box) { box.checked = true; });
      apply();
      record(false);
    };
    document.getElementById("clear-filters").addEventListener("click", clearFilters);
    window.addEventListener("popstate", function () { typing = false; fromAddress(); apply(); });
    fromAddress();

    var headers = table.tHead.rows[0].cells;
    var sortBy = function (th, column) {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      each(headers, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = th.getAttribute("data-type") === "num";
      var keyed = rows.map(function (row, i) {
        var cell = row.cells[column];
        var raw = cell.getAttribute("data-value") || cell.textContent;
        return { row: row, i: i, value: numeric ? parseFloat(raw) : raw.trim().toLowerCase() };
      });
      keyed.sort(function (x, y) {
        if (x.value < y.value) { return ascending ? -1 : 1; }
        if (x.value > y.value) { return ascending ? 1 : -1; }
        return x.i - y.i;
      });
      keyed.forEach(function (k) { body.appendChild(k.row); });
    };
    each(headers, function (th, column) {
      if (!th.getAttribute("data-sort")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      button.title = "Sort by " + th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(th, column); });
    });
    controls.hidden = false;
    apply();
  }

  var failureControls = document.getElementById("failure-controls");
  if (failureControls) {
    var setAll = function (open) { each(document.querySelectorAll("details.failure"), function (d) { d.open = open; }); };
    document.getElementById("expand-all").addEventListener("click", function () { setAll(true); });
    document.getElementById("collapse-all").addEventListener("click", function () { setAll(false); });
    failureControls.hidden = false;
  }

  // A link to a failure (from the table, a pattern or the address bar) opens its section.
  var openId = function (id) {
    var target = id ? document.getElementById(id) : null;
    if (target && target.tagName === "DETAILS") {
      if (target.hidden && clearFilters) { clearFilters(); }  // a link to a failure the filter hides shows it
      target.open = true;
    }
  };
  var openTarget = function () {
    try {
      openId(decodeURIComponent(location.hash.slice(1)));
    } catch (e) {  // a malformed %-escape in the address: nothing to open
    }
  };
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (link) { openId(link.getAttribute("href").slice(1)); }
  });
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // A printout shows every failure; the sections closed before printing close again after.
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details.failure"), function (d) { return !d.open; });
    closedForPrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });
})();
