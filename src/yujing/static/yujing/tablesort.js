// Sorting and filtering of a list shown whole on one page (我的待办, 期限看板): the server already sent every
// row, so the browser orders and filters them. Paginated lists sort on the server instead (sorting.py).
//   <table data-sortable> with <th data-sort> headers (a cell's data-sort-value, else its text, is the key;
//   data-sort="number" compares numbers); an <input data-filter="SELECTOR"> hides the rows of those tables
//   that do not contain every word typed, and says how many are shown in #INPUT-ID-count.
(function () {
  "use strict";

  function key(row, index, numeric) {
    var cell = row.cells[index];
    if (!cell) return numeric ? Infinity : "";
    var raw = cell.hasAttribute("data-sort-value") ? cell.getAttribute("data-sort-value") : cell.textContent.trim();
    if (!numeric) return raw;
    var n = parseFloat(raw);
    return isNaN(n) ? Infinity : n;  // no value: last
  }

  function sortBy(table, th) {
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute("data-sort") === "number";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return !r.hasAttribute("data-empty"); });
    rows.forEach(function (row, i) { row.setAttribute("data-order", row.getAttribute("data-order") || i); });
    rows.sort(function (a, b) {
      var x = key(a, index, numeric), y = key(b, index, numeric);
      var c = numeric ? (x === y ? 0 : (x < y ? -1 : 1)) : String(x).localeCompare(String(y), "zh-Hans-CN");
      if (c === 0) c = a.getAttribute("data-order") - b.getAttribute("data-order");
      return ascending ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("th[data-sort]").forEach(function (other) {
      other.removeAttribute("aria-sort");
      other.querySelector(".sort-state").textContent = "";
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    th.querySelector(".sort-state").textContent = ascending ? " ▲" : " ▼";
    th.querySelector(".sort-state").setAttribute("aria-hidden", "true");
    var said = table.parentNode.querySelector("[data-sort-status]");
    if (said) said.textContent = "已按“" + th.querySelector("button").firstChild.textContent + "”" + (ascending ? "升序" : "降序") + "排列";
  }

  function filter(input) {
    var tables = document.querySelectorAll(input.getAttribute("data-filter"));
    var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0, all = 0;
    tables.forEach(function (table) {
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        if (row.hasAttribute("data-empty")) return;
        var text = row.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !match;
        all += 1;
        if (match) shown += 1;
      });
    });
    var count = document.getElementById(input.id + "-count");
    if (count) count.textContent = words.length ? "显示 " + shown + " / " + all + " 项" : "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-sortable] th[data-sort]").forEach(function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link p-0 fw-bold text-reset text-decoration-none";
      button.textContent = th.textContent.trim();
      var state = document.createElement("span");
      state.className = "sort-state";
      th.textContent = "";
      th.appendChild(button);
      th.appendChild(state);
      button.addEventListener("click", function () { sortBy(th.closest("table"), th); });
    });
    document.querySelectorAll("input[data-filter]").forEach(function (input) {
      input.addEventListener("input", function () { filter(input); });
      if (input.value) filter(input);
    });
  });
})();
