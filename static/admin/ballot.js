/* A ballot's page in the console: 已表决 x / 实到 y and the countdown live over Socket.IO,
 * a full refetch on every (re)connect, a reload when the ballot opens or closes. */
(function () {
  "use strict";
  var stage = document.getElementById("stage");
  if (!stage) return;
  var ballotId = Number(stage.getAttribute("data-ballot"));
  var meetingId = Number(stage.getAttribute("data-meeting"));
  var status = stage.getAttribute("data-status");
  var version = Number(stage.getAttribute("data-version")) || 0;
  var stateUrl = stage.getAttribute("data-state-url");
  var offline = document.getElementById("offline");
  var clock = document.getElementById("live-clock");
  var deadline = null;
  var leaving = false;

  function text(id, value) {
    var el = document.getElementById(id);
    if (el && value !== undefined && value !== null) el.textContent = String(value);
  }
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    if (deadline === null || !clock) return;
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    clock.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
    clock.style.color = left <= 10 ? "#9b1c1c" : "";
  }
  function setRemaining(seconds) {
    if (seconds === null || seconds === undefined || seconds === "") return;
    deadline = Date.now() + Number(seconds) * 1000;
    tick();
  }

  /* Apply the ballot's public state unless it is older than what the page shows. */
  function apply(p, force) {
    if (p.ballot_id !== ballotId && p.id !== ballotId) return;
    if (!force && p.version <= version) return;
    version = Math.max(version, p.version || 0);
    if (p.status !== status) {
      if (!leaving) { leaving = true; window.location.reload(); }
      return;
    }
    text("live-cast", p.cast);
    text("live-present", p.present);
    text("live-expected", p.expected);
    if (p.present !== undefined && p.cast !== undefined) text("live-missing", Math.max(0, p.present - p.cast));
    if (p.remaining_s !== undefined) setRemaining(p.remaining_s);
    if (p.live && p.live.items) {
      for (var i = 0; i < p.live.items.length; i++) {
        var row = document.querySelector('#live-table tr[data-item="' + p.live.items[i].id + '"]');
        if (!row) continue;
        for (var choice in p.live.items[i].counts) {
          var cell = row.querySelector('td[data-choice="' + choice + '"]');
          if (cell) cell.textContent = String(p.live.items[i].counts[choice]);
        }
      }
    }
  }

  function refetch() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", stateUrl, true);
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4 || xhr.status !== 200) return;
      try { apply(JSON.parse(xhr.responseText), true); } catch (e) { /* the next event will do */ }
    };
    xhr.send();
  }

  if (clock) {
    setRemaining(clock.getAttribute("data-remaining"));
    setInterval(tick, 500);
  }
  var closeForm = document.getElementById("close-form");
  if (closeForm) {
    closeForm.addEventListener("submit", function (event) {
      if (!window.confirm(closeForm.getAttribute("data-confirm"))) event.preventDefault();
    });
  }
  if (!window.io) { setInterval(refetch, 3000); return; }
  var socket = window.io({ auth: { meeting_id: meetingId } });
  socket.on("connect", function () { if (offline) offline.hidden = true; refetch(); });
  socket.on("disconnect", function () {
    if (offline) { offline.textContent = stage.getAttribute("data-label-offline"); offline.hidden = false; }
  });
  ["ballot.opened", "ballot.extended", "ballot.progress", "ballot.closed", "ballot.certified"].forEach(function (name) {
    socket.on(name, function (p) { apply(p, false); });
  });
  socket.on("attendance.changed", function (p) {
    // 实到 moves with check-ins while the vote is open.
    if (p.meeting_id === meetingId && (status === "open" || status === "draft")) {
      text("live-present", p.present);
      var cast = Number((document.getElementById("live-cast") || {}).textContent);
      if (!isNaN(cast)) text("live-missing", Math.max(0, p.present - cast));
    }
  });
})();
