/* The attendance desk: keep the counts live (attendance.changed), newest version wins. */
(function () {
  "use strict";
  var box = document.getElementById("live-counts");
  if (!box || typeof io === "undefined") return;
  var meetingId = Number(box.dataset.meetingId);
  var version = -1;
  function set(name, value) {
    var el = box.querySelector('[data-count="' + name + '"]');
    if (el) el.textContent = String(value);
  }
  function apply(p, isSnapshot) {
    if (!isSnapshot && p.version < version) return;
    version = p.version;
    set("expected", p.expected);
    set("present", p.present);
    set("on_leave", p.on_leave);
    set("absent", p.absent);
    set("required", p.quorum.required);
    var met = box.querySelector('[data-count="met"]');
    met.textContent = p.quorum.met ? met.dataset.yes : met.dataset.no;
  }
  var socket = io({ auth: { meeting_id: meetingId } });
  socket.on("attendance.snapshot", function (p) { apply(p, true); });
  socket.on("attendance.changed", function (p) {
    apply(p, false);
    document.getElementById("live-note").hidden = false;
  });
})();
