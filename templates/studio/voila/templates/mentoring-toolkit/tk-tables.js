/* The studio's tables: search, sort by any column, pages of 25 rows. Offline, no library.
 *
 * The apps draw tables as plain HTML (table.tk-table, from toolkit.widgets.table_html); this script,
 * inlined into every studio page by index.html.j2, adds to each one:
 *   - sorting: every column heading is a button (numbers sort as numbers; again reverses the order);
 *   - for tables longer than one page: a search box (rows holding the words typed) and pages of 25
 *     rows with Previous / Next and "Rows 1-25 of 352".
 * An app re-draws a table after each change (a new solve); the search, sort and page chosen for a
 * table are kept (by its column headings) and applied to the new one.
 */
(function () {
  "use strict";
  var PAGE = 25;
  var state = {};  // table key -> {query, column, descending, page}

  function keyOf(table) {
    return Array.prototype.map.call(table.tHead ? table.tHead.rows[0].cells : [], function (cell) {
      return cell.textContent.trim();
    }).join("|");
  }

  function cellValue(row, column, numeric) {
    var cell = row.cells[column];
    var text = cell ? cell.textContent.trim() : "";
    if (!numeric) return text.toLocaleLowerCase();
    var number = parseFloat(text.replace(/[^0-9.eE+-]/g, ""));
    return isNaN(number) ? -Infinity : number;
  }

  function isNumeric(rows, column) {
    var seen = 0;
    for (var i = 0; i < rows.length; i++) {
      var cell = rows[i].cells[column];
      if (!cell || !cell.textContent.trim()) continue;
      if (!cell.classList.contains("tk-num")) return false;
      seen++;
    }
    return seen > 0;
  }

  function enhance(table) {
    table.setAttribute("data-tk-ready", "1");
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    var rows = Array.prototype.slice.call(body.rows);
    var key = keyOf(table);
    var s = state[key] || (state[key] = {query: "", column: -1, descending: false, page: 0});
    var paged = rows.length > PAGE;
    var tools = null, search = null, info = null, previous = null, next = null;
    if (paged) {
      tools = document.createElement("div");
      tools.className = "tk-tools";
      search = document.createElement("input");
      search.type = "search";
      search.placeholder = "Search this table";
      search.setAttribute("aria-label", "Search this table");
      search.value = s.query;
      previous = document.createElement("button");
      previous.type = "button";
      previous.textContent = "Previous";
      next = document.createElement("button");
      next.type = "button";
      next.textContent = "Next";
      info = document.createElement("span");
      info.className = "tk-page-info";
      tools.appendChild(search);
      tools.appendChild(previous);
      tools.appendChild(info);
      tools.appendChild(next);
      var holder = table.parentElement && table.parentElement.classList.contains("tk-table-wrap")
        ? table.parentElement : table;
      holder.parentElement.insertBefore(tools, holder);
    }
    var headings = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headings, function (heading, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tk-sort";
      button.title = "Sort by this column";
      while (heading.firstChild) button.appendChild(heading.firstChild);
      heading.appendChild(button);
      button.addEventListener("click", function () {
        s.descending = s.column === column ? !s.descending : isNumeric(rows, column);  // numbers: biggest first
        s.column = column;
        s.page = 0;
        draw();
      });
    });
    if (paged) {
      search.addEventListener("input", function () { s.query = search.value; s.page = 0; draw(); });
      previous.addEventListener("click", function () { s.page -= 1; draw(); });
      next.addEventListener("click", function () { s.page += 1; draw(); });
    }

    function draw() {
      var order = rows.slice();
      if (s.column >= 0 && s.column < headings.length) {
        var numeric = isNumeric(rows, s.column);
        order.sort(function (a, b) {
          var x = cellValue(a, s.column, numeric), y = cellValue(b, s.column, numeric);
          var result = numeric ? x - y : String(x).localeCompare(String(y));
          return s.descending ? -result : result;
        });
      }
      Array.prototype.forEach.call(headings, function (heading, column) {
        if (column === s.column) heading.setAttribute("aria-sort", s.descending ? "descending" : "ascending");
        else heading.removeAttribute("aria-sort");
      });
      var words = s.query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
      var found = order.filter(function (row) {
        var text = row.textContent.toLocaleLowerCase();
        return words.every(function (word) { return text.indexOf(word) >= 0; });
      });
      var pages = Math.max(1, Math.ceil(found.length / (paged ? PAGE : Math.max(1, found.length))));
      s.page = Math.min(Math.max(0, s.page), pages - 1);
      var first = paged ? s.page * PAGE : 0, last = paged ? Math.min(found.length, first + PAGE) : found.length;
      var shown = new Set(found.slice(first, last));
      order.forEach(function (row) {
        row.style.display = shown.has(row) ? "" : "none";
        body.appendChild(row);
      });
      if (paged) {
        info.textContent = found.length
          ? "Rows " + (first + 1) + "\u2013" + last + " of " + found.length
            + (found.length < rows.length ? " (of " + rows.length + ")" : "")
          : "No row holds \u201c" + s.query.trim() + "\u201d";
        previous.disabled = s.page <= 0;
        next.disabled = s.page >= pages - 1;
      }
    }
    draw();
  }

  function scan() {
    var tables = document.querySelectorAll("table.tk-table:not([data-tk-ready])");
    for (var i = 0; i < tables.length; i++) enhance(tables[i]);
  }

  var pending = false;
  function later() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; scan(); });
  }

  function start() {
    scan();
    new MutationObserver(later).observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
