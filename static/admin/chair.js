/* The chair's console: 已表决 / 实到, the countdown and the attendance live over Socket.IO.
 * A change of stage anywhere on the agenda (opened, closed, certified, the screen's choice)
 * reloads the page, so its buttons always match the meeting; a reconnect reloads too (resync). */
(function () {
  "use strict";
  var bar = document.getElementById("chair");
  if (!bar) return;
  var meetingId = Number(bar.getAttribute("data-meeting"));
  var ballotId = Number(bar.getAttribute("data-ballot")) || null;
  var status = bar.getAttribute("data-status");
  var version = Number(bar.getAttribute("data-version")) || 0;
  var attVersion = -1;
  var clock = document.getElementById("live-clock");
  var offline = document.getElementById("offline");
  var deadline = null, leaving = false, connectedOnce = false;

  function text(id, value) {
    var el = document.getElementById(id);
    if (el && value !== undefined && value !== null) el.textContent = String(value);
  }
  function reload() { if (!leaving) { leaving = true; window.location.reload(); } }
  function tick() {
    if (!clock || deadline === null) return;
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    clock.textContent = Math.floor(left / 60) + ":" + (left % 60 < 10 ? "0" : "") + (left % 60);
    clock.style.color = left <= 10 ? "#9b1c1c" : "";
  }
  function setRemaining(seconds) {
    if (seconds === null || seconds === undefined || seconds === "") return;
    deadline = Date.now() + Number(seconds) * 1000;
    tick();
  }
  /* The ballot in hand: newer versions only; its 已表决 never goes down while open. */
  function onBallot(p) {
    if (p.meeting_id !== meetingId) return;
    if (p.ballot_id !== ballotId) { if (p.status === "open" || status === "") reload(); return; }
    if (p.version <= version) return;
    version = p.version;
    if (p.status !== status) { reload(); return; }
    var shown = Number((document.getElementById("live-cast") || {}).textContent) || 0;
    var cast = Math.max(shown, p.cast || 0);
    text("live-cast", cast);
    text("live-present", p.present);
    var fill = document.getElementById("live-bar");
    if (fill) fill.style.width = (p.present ? Math.min(100, 100 * cast / p.present) : 0).toFixed(1) + "%";
    setRemaining(p.remaining_s);
  }
  function onAttendance(p, isSnapshot) {
    if (p.meeting_id !== meetingId || (!isSnapshot && p.version < attVersion)) return;
    attVersion = p.version;
    ["expected", "present", "on_leave", "absent"].forEach(function (k) {
      var el = bar.querySelector('[data-att="' + k + '"]');
      if (el) el.textContent = String(p[k]);
    });
    var cell = bar.querySelector('[data-att="quorum"]');
    cell.className = "quorum-cell " + (p.quorum.met ? "ok" : "bad");
    bar.querySelector('[data-att="required"]').textContent = String(p.quorum.required);
    bar.querySelector('[data-att="met"]').textContent = cell.getAttribute(p.quorum.met ? "data-yes" : "data-no");
  }

  if (clock) { setRemaining(clock.getAttribute("data-remaining")); setInterval(tick, 500); }
  var closeForm = document.getElementById("close-form");
  if (closeForm) {
    closeForm.addEventListener("submit", function (event) {
      if (!window.confirm(closeForm.getAttribute("data-confirm"))) event.preventDefault();
    });
  }
  if (!window.io) return;
  var socket = window.io({ auth: { meeting_id: meetingId } });
  socket.on("connect", function () {
    if (offline) offline.hidden = true;
    if (connectedOnce) reload();  // whatever happened while offline
    connectedOnce = true;
  });
  socket.on("disconnect", function () {
    if (offline) { offline.textContent = bar.getAttribute("data-label-offline"); offline.hidden = false; }
  });
  ["ballot.opened", "ballot.extended", "ballot.progress", "ballot.closed", "ballot.certified"].forEach(function (name) {
    socket.on(name, onBallot);
  });
  socket.on("screen.shown", function (p) {
    var d = p.display || {};
    if (d.mode !== bar.getAttribute("data-shown-mode") || String(d.ballot_id || "") !== bar.getAttribute("data-shown-ballot")) reload();
  });
  socket.on("attendance.snapshot", function (p) { onAttendance(p, true); });
  socket.on("attendance.changed", function (p) { onAttendance(p, false); });
})();
