(function () {
  "use strict";
  // Progressive enhancement only: the page is complete without this script.
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var table = document.getElementById("classification");
  var controls = document.getElementById("table-controls");
  if (table && controls) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    // What the text filter searches: the row as shown plus the failure's error line.
    var haystacks = rows.map(function (row) {
      return (row.textContent + " " + (row.getAttribute("data-error") || "")).toLowerCase();
    });
    var text = document.getElementById("filter-text");
    var count = document.getElementById("row-count");
    var boxes = document.querySelectorAll("input[name=class-filter]");
    var apply = function () {
      var needle = text.value.trim().toLowerCase();
      var allowed = {};
      each(boxes, function (box) { if (box.checked) { allowed[box.value] = true; } });
      var shown = 0;
      rows.forEach(function (row, i) {
        var visible = allowed[row.getAttribute("data-class")] === true &&
          (needle === "" || haystacks[i].indexOf(needle) !== -1);
        row.hidden = !visible;
        if (visible) { shown += 1; }
      });
      count.textContent = "Showing " + shown + " of " + rows.length;
    };
    text.addEventListener("input", apply);
    each(boxes, function (box) { box.addEventListener("change", apply); });

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
    if (target && target.tagName === "DETAILS") { target.open = true; }
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
