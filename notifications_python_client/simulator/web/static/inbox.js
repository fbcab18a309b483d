// Keeps the list of sent messages current: asks the admin API every second and redraws the
// rows. Values are set as text, never as HTML, so nothing a message holds can run here.
(function () {
  "use strict";
  var table = document.getElementById("notifications");
  if (!table) { return; }
  var body = table.tBodies[0];
  var live = document.getElementById("live");
  var empty = document.getElementById("empty");
  var source = table.getAttribute("data-source") + window.location.search;
  var POLL_MILLISECONDS = 1000;

  function cell(row, text, href) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text || "";
    }
    row.appendChild(td);
  }

  function draw(notifications) {
    var known = {};
    Array.prototype.forEach.call(body.rows, function (row) { known[row.getAttribute("data-id")] = true; });
    var fresh = notifications.filter(function (n) { return !known[n.id]; }).length;
    var rows = document.createDocumentFragment();
    notifications.forEach(function (n) {
      var row = document.createElement("tr");
      row.setAttribute("data-id", n.id);
      cell(row, n.created_at, n.links.page);
      cell(row, n.type);
      cell(row, n.recipient);
      cell(row, n.status);
      cell(row, n.key_type);
      cell(row, n.reference);
      rows.appendChild(row);
    });
    body.replaceChildren(rows);
    empty.hidden = notifications.length > 0;
    if (fresh > 0) {
      live.textContent = fresh === 1 ? "1 new message." : fresh + " new messages.";
    }
  }

  function poll() {
    fetch(source, { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (page) { if (page) { draw(page.notifications); } })
      .catch(function () { live.textContent = "The simulator is not answering."; })
      .then(function () { window.setTimeout(poll, POLL_MILLISECONDS); });
  }

  window.setTimeout(poll, POLL_MILLISECONDS);
}());
