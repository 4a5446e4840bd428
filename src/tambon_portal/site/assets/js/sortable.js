/* Sortable tables: a click on a header of a table.sortable sorts its rows. Without JavaScript
 * the table is an ordinary table. Cells sort by data-sort when present (numbers), else text. */
(function () {
  "use strict";
  function key(cell) {
    var raw = cell.getAttribute("data-sort");
    if (raw === null) return cell.textContent.trim();
    var n = parseFloat(raw);
    return isNaN(n) ? -Infinity : n;
  }
  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), "th");
  }
  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var d = compare(key(r1.cells[index]), key(r2.cells[index]));
      return ascending ? d : -d;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  function init(root) {
    (root || document).querySelectorAll("table.sortable").forEach(function (table) {
      if (table.dataset.sortReady || !table.tHead || !table.tBodies.length) return;
      table.dataset.sortReady = "1";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort-button";
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, index, th); });
      });
    });
  }
  /* Map: a select swaps which pre-rendered indicator map is shown. */
  function initMaps(root) {
    (root || document).querySelectorAll("select[data-map-select]").forEach(function (select) {
      if (select.dataset.ready) return;
      select.dataset.ready = "1";
      var group = document.getElementById(select.getAttribute("data-map-select"));
      function show() {
        group.querySelectorAll("[data-map]").forEach(function (fig) {
          fig.hidden = fig.getAttribute("data-map") !== select.value;
        });
      }
      select.hidden = false;
      select.previousElementSibling && (select.previousElementSibling.hidden = false);
      select.addEventListener("change", show);
      show();
    });
  }
  function all() { init(); initMaps(); }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(all);
  else if (document.readyState !== "loading") all();
  else document.addEventListener("DOMContentLoaded", all);
})();
