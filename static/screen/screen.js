/* The hall screen: live counts over Socket.IO and the rotating check-in QR code.
 * Other panels (ballots, results) subscribe with VotingScreen.on(event, handler). */
(function () {
  "use strict";
  var frame = document.getElementById("screen");
  var meetingId = Number(frame.dataset.meetingId);
  var token = frame.dataset.token;
  var labels = {
    met: frame.dataset.labelQuorumMet,
    notMet: frame.dataset.labelQuorumNotMet,
    offline: frame.dataset.labelOffline
  };
  var versions = { attendance: Number(frame.dataset.version || 0) };
  var checkinOpen = frame.dataset.checkinOpen === "true";
  var handlers = {};
  var qrTimer = null;

  function text(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = String(value);
  }

  /* Apply an attendance picture unless it is older than what is shown. A snapshot always wins. */
  function applyAttendance(p, isSnapshot) {
    if (!isSnapshot && p.version < versions.attendance) return;
    versions.attendance = p.version;
    text("count-expected", p.expected);
    text("count-present", p.present);
    text("count-on-leave", p.on_leave);
    text("count-absent", p.absent);
    text("quorum-required", p.quorum.required);
    text("quorum-text", p.quorum.met ? labels.met : labels.notMet);
    var q = document.getElementById("quorum");
    q.className = "quorum " + (p.quorum.met ? "quorum-met" : "quorum-not-met");
    if (p.is_checkin_open !== checkinOpen) {
      checkinOpen = p.is_checkin_open;
      refreshQr();
    }
  }

  function refreshQr() {
    clearTimeout(qrTimer);
    var panel = document.getElementById("checkin");
    if (!checkinOpen) { panel.hidden = true; return; }
    fetch("/api/v1/meetings/" + meetingId + "/checkin-code", { headers: { "X-Screen-Token": token } })
      .then(function (r) {
        if (r.status === 409) { panel.hidden = true; qrTimer = setTimeout(refreshQr, 5000); return null; }
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (d) {
        if (!d) return;
        document.getElementById("checkin-qr").src = "/screen/" + meetingId + "/checkin-qr.svg?token=" +
          encodeURIComponent(token) + "&code=" + encodeURIComponent(d.code);
        panel.hidden = false;
        // A little after the period turns, so the server is surely in the new one.
        qrTimer = setTimeout(refreshQr, d.refresh_in * 1000 + 300);
      })
      .catch(function () { qrTimer = setTimeout(refreshQr, 3000); });
  }

  function on(event, fn) { (handlers[event] = handlers[event] || []).push(fn); }
  function dispatch(event, payload) { (handlers[event] || []).forEach(function (fn) { fn(payload); }); }

  on("attendance.snapshot", function (p) { applyAttendance(p, true); });
  on("attendance.changed", function (p) { applyAttendance(p, false); });

  var socket = io({ auth: { meeting_id: meetingId, screen_token: token } });
  var status = document.getElementById("connection");
  socket.on("connect", function () { status.hidden = true; });
  socket.on("disconnect", function () { status.textContent = labels.offline; status.hidden = false; });
  socket.onAny(function (event, payload) { dispatch(event, payload); });

  window.VotingScreen = { on: on, socket: socket, meetingId: meetingId, token: token, versions: versions };
  refreshQr();
})();
