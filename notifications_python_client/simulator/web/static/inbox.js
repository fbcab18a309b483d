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

  var STEPS = [[60, "second"], [60, "minute"], [24, "hour"], [365, "day"]];

  // "2 minutes ago", as the page says it: seen from the simulator's clock, not the browser's.
  function ago(when, now) {
    var amount = Math.max(Math.floor((Date.parse(now) - Date.parse(when)) / 1000), 0);
    if (amount < 10) { return "just now"; }
    var unit = "year";
    for (var i = 0; i < STEPS.length; i += 1) {
      if (amount < STEPS[i][0]) { unit = STEPS[i][1]; break; }
      amount = Math.floor(amount / STEPS[i][0]);
    }
    return amount + " " + unit + (amount === 1 ? "" : "s") + " ago";
  }

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text || "";
    row.appendChild(td);
    return td;
  }

  function sentCell(row, n, now) {
    var link = document.createElement("a");
    var time = document.createElement("time");
    link.href = n.links.page;
    time.dateTime = n.created_at;
    time.title = n.created_at;
    time.textContent = ago(n.created_at, now);
    link.appendChild(time);
    cell(row, "").appendChild(link);
  }

  function statusCell(row, n) {
    var tag = document.createElement("strong");
    tag.className = "tag tag-" + n.status_group;
    tag.textContent = n.status;
    cell(row, "").appendChild(tag);
  }

  function draw(notifications, now) {
    var known = {};
    Array.prototype.forEach.call(body.rows, function (row) { known[row.getAttribute("data-id")] = true; });
    var fresh = notifications.filter(function (n) { return !known[n.id]; }).length;
    var rows = document.createDocumentFragment();
    notifications.forEach(function (n) {
      var row = document.createElement("tr");
      row.setAttribute("data-id", n.id);
      sentCell(row, n, now);
      cell(row, n.type);
      cell(row, n.recipient);
      cell(row, n.summary);
      statusCell(row, n);
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
      .then(function (page) { if (page) { draw(page.notifications, page.now); } })
      .catch(function () { live.textContent = "The simulator is not answering."; })
      .then(function () { window.setTimeout(poll, POLL_MILLISECONDS); });
  }

  window.setTimeout(poll, POLL_MILLISECONDS);
}());
