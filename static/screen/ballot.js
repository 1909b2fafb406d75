/* The hall screen's ballot states, drawn from the server's snapshot and events only:
 *   idle (the attendance board of screen.js) · open (item, method, rule as a count, countdown,
 *   已表决 x / 实到 y) · closed (the hall's result form) · certified (fingerprint and a QR code).
 * Every payload carries a version; an older one is dropped, and while a ballot is open its
 * 已表决 count never goes down on this screen, whatever order messages arrive in. */
(function () {
  "use strict";
  var VS = window.VotingScreen;
  var panel = document.getElementById("ballot");
  if (!VS || !panel) return;
  var L = JSON.parse(document.getElementById("screen-ballot-labels").textContent);
  var initial = JSON.parse(document.getElementById("screen-initial").textContent);
  var RANK = { draft: 0, open: 1, closed: 2, certified: 3 };
  var ballots = {};            // ballot id -> newest accepted payload
  var display = { mode: "attendance", ballot_id: null };
  var displayVersion = -1;
  var att = null;              // the meeting's attendance (for the open state's 实到)
  var attVersion = -1;
  var deadline = null;         // when the countdown ends, on this computer's clock
  var shownCounts = [];        // every 已表决 count drawn, for tests of monotonicity

  function esc(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function fmt(template, params) {
    return String(template).replace(/%\((\w+)\)s/g, function (_, name) {
      return params[name] === undefined ? "" : String(params[name]);
    });
  }
  function num(n) { return n === null || n === undefined ? "—" : String(n); }

  /* ---- State ---- */

  /* Keep `p` if it is newer than what this screen knows of its ballot. A ballot never goes back
   * (open → closed → certified), and while open its 已表决 count never decreases: a payload read a
   * moment earlier but numbered later keeps the higher count already shown. */
  function accept(p) {
    if (!p || p.ballot_id === undefined || p.ballot_id === null) return false;
    var known = ballots[p.ballot_id];
    if (known) {
      if (p.version <= known.version) return false;
      if (RANK[p.status] < RANK[known.status]) return false;
      if (p.status === "open" && known.status === "open" && p.cast < known.cast) {
        p.cast = known.cast;
        if (known.live) p.live = known.live;
      }
    }
    ballots[p.ballot_id] = p;
    if (p.status === "open") {
      deadline = (p.remaining_s === null || p.remaining_s === undefined) ? null : Date.now() + p.remaining_s * 1000;
    }
    return true;
  }

  function shown() {
    return display.mode === "ballot" && display.ballot_id !== null ? ballots[display.ballot_id] || null : null;
  }

  function onSnapshot(s) {
    if (s.ballot) accept(s.ballot);
    if (s.version >= displayVersion) { display = s.display; displayVersion = s.version; }
    render();
  }
  function onShown(s) {
    if (s.version <= displayVersion) return;
    displayVersion = s.version;
    display = s.display;
    if (s.ballot) accept(s.ballot);
    render();
  }
  function onOpened(p) {
    if (accept(p) || (ballots[p.ballot_id] && ballots[p.ballot_id].status === "open")) {
      display = { mode: "ballot", ballot_id: p.ballot_id };
    }
    render();
  }
  function onChanged(p) {
    accept(p);
    if (display.ballot_id === p.ballot_id) render();
  }
  function onClosed(p) {
    // The result of the ballot just closed stays up until the chair shows something else.
    if (accept(p) && p.status === "closed") display = { mode: "ballot", ballot_id: p.ballot_id };
    render();
  }
  function onAttendance(p, isSnapshot) {
    if (!isSnapshot && p.version < attVersion) return;
    att = p;
    attVersion = p.version;
    var b = shown();
    if (b && b.status === "open") render();
  }

  /* ---- Drawing ---- */

  function needText(p, r) {
    var rules = p.rules, closed = !!r;
    var n = closed ? r.needed : p.needed;
    var expected = closed ? r.expected : p.expected, present = closed ? r.present : p.present;
    var base = fmt(L.base[rules.pass_base], { n: rules.pass_base === "roster" ? expected : present });
    var threshold = L.threshold[rules.threshold];
    if (p.kind === "satisfaction") {
      if (rules.grading === "rates") return "";
      return n === null || n === undefined ? fmt(L.need_per_item, { threshold: threshold, base: base })
        : fmt(L.need_grade, { n: n, threshold: threshold, base: base });
    }
    if (n === null || n === undefined) return fmt(L.need_per_item, { threshold: threshold, base: base });
    if (p.kind === "selection") {
      var choice = rules.form === "up_to_k" ? L.choice.approve : L.choice.yes;
      return fmt(L.need_select, { choice: choice, n: n, threshold: threshold, base: base, k: rules.seats });
    }
    return fmt(L.need_pass, { choice: L.choice.yes, n: n, threshold: threshold, base: base });
  }

  function headHtml(p, r) {
    var eyebrow = fmt(L.item_no, { n: p.position }) + " · " + (L.kind[p.kind] || p.kind) + (r ? " · " + L.result_of : "");
    var need = needText(p, r);
    return '<p class="b-eyebrow">' + esc(eyebrow) + "</p>" +
      '<h2 class="b-title">' + esc(p.title) + "</h2>" +
      '<p class="b-rule"><span class="b-method">' + esc(L.method) + "<b>" + esc(p.rules.secret ? L.secret : L.named) +
      "</b></span>" + (need ? '<span class="b-need" data-field="need">' + esc(need) + "</span>" : "") + "</p>";
  }

  function attHtml(a) {
    var html = '<p class="b-att">' +
      "<span>" + esc(L.expected) + '<b data-field="expected">' + num(a.expected) + "</b></span>" +
      "<span>" + esc(L.present) + '<b data-field="present">' + num(a.present) + "</b></span>" +
      (a.on_leave !== undefined ? "<span>" + esc(L.on_leave) + '<b data-field="on_leave">' + num(a.on_leave) + "</b></span>" : "") +
      (a.absent !== undefined ? "<span>" + esc(L.absent) + '<b data-field="absent">' + num(a.absent) + "</b></span>" : "");
    if (a.quorum) {
      html += '<span class="q ' + (a.quorum.met ? "q-met" : "q-not-met") + '">' +
        esc(a.quorum.met ? L.quorum_met : L.quorum_not_met) + "</span>";
    }
    return html + "</p>";
  }

  function tilesHtml(counts, choices, notVoted) {
    var tones = { yes: "yes", no: "no", abstain: "abstain", approve: "yes", satisfied: "yes",
                  basically_satisfied: "blue", dissatisfied: "no" };
    var html = '<div class="b-counts" style="--tiles:' + (choices.length + (notVoted === null ? 0 : 1)) + '">';
    choices.forEach(function (c) {
      html += '<div class="tile tone-' + tones[c] + '"><span class="lbl">' + esc(L.choice[c]) +
        '</span><span class="val" data-count="' + c + '">' + num(counts[c]) + "</span></div>";
    });
    if (notVoted !== null) {
      html += '<div class="tile tone-none"><span class="lbl">' + esc(L.not_voted) +
        '</span><span class="val" data-count="not_voted">' + num(notVoted) + "</span></div>";
    }
    return html + "</div>";
  }

  function stackHtml(parts, total) {
    if (!total) return "";
    var html = '<div class="stack" aria-hidden="true">';
    parts.forEach(function (part) {
      if (part[1] > 0) html += '<span class="tone-' + part[0] + '" style="width:' + (100 * part[1] / total) + '%"></span>';
    });
    return html + "</div>";
  }

  function choicesOf(p) {
    if (p.kind === "satisfaction") {
      var c = p.rules.grading === "binary" ? ["satisfied", "dissatisfied"] : ["satisfied", "basically_satisfied", "dissatisfied"];
      return p.rules.abstain_option ? c.concat(["abstain"]) : c;
    }
    if (p.kind === "selection" && p.rules.form === "up_to_k") return ["approve"];
    return ["yes", "no", "abstain"];
  }

  function openHtml(p) {
    var a = att ? att : { expected: p.expected, present: p.present };
    var present = a.present || 0;
    var pct = present ? Math.min(100, 100 * p.cast / present) : 0;
    var html = headHtml(p, null) + attHtml(a) +
      '<div class="b-live">' +
      '<div class="b-box b-clock"><span class="lbl">' + esc(L.time_left) + '</span><span class="val" id="b-clock"></span></div>' +
      '<div class="b-box b-progress"><span class="lbl">' + esc(L.voted) + "</span>" +
      '<p class="nums"><span class="cast" data-count="cast">' + num(p.cast) + '</span><span class="of">/ ' +
      esc(L.present) + ' <b data-count="present">' + num(present) + "</b></span></p>" +
      '<div class="bar"><div class="fill" style="width:' + pct.toFixed(1) + '%"></div></div></div></div>';
    if (p.live && p.live.items) html += liveHtml(p);
    return html;
  }

  function liveHtml(p) {
    var choices = choicesOf(p);
    var html = '<p class="b-eyebrow">' + esc(L.live) + "</p>";
    if (p.live.items.length === 1) return html + tilesHtml(p.live.items[0].counts, choices, null);
    html += '<table class="b-table" style="--row-font:' + rowFont(p.live.items.length) + '"><thead><tr><th class="t">' +
      esc(L.item) + "</th>";
    choices.forEach(function (c) { html += "<th>" + esc(L.choice[c]) + "</th>"; });
    html += "</tr></thead><tbody>";
    p.live.items.forEach(function (row, i) {
      html += '<tr><td class="t">' + esc((p.items[i] || {}).title) + "</td>";
      choices.forEach(function (c) { html += "<td>" + num(row.counts[c]) + "</td>"; });
      html += "</tr>";
    });
    return html + "</tbody></table>";
  }

  /* Type size of a result table: as large as its rows (and `cap`, for tables with many columns) allow. */
  function rowFont(n, cap) {
    var size = n <= 4 ? 2.6 : n <= 7 ? 2.1 : n <= 10 ? 1.7 : n <= 14 ? 1.35 : 1.1;
    return Math.min(size, cap || 2.6) + "vw";
  }

  function outcomeHtml(o) {
    return o ? '<span class="o o-' + esc(o) + '">' + esc(L.outcome[o] || o) + "</span>" : "—";
  }

  function rate(value) { return value ? esc(value.percent) + "%" : "—"; }

  function motionHtml(p, r) {
    if (r.items.length === 1) {
      var it = r.items[0];
      return tilesHtml(it.counts, ["yes", "no", "abstain"], it.not_voted) +
        stackHtml([["yes", it.counts.yes], ["no", it.counts.no], ["abstain", it.counts.abstain], ["none", it.not_voted]], r.present) +
        '<p class="b-outcome">' + esc(L.outcome_line) + outcomeHtml(it.outcome) + "</p>";
    }
    var perItem = r.needed === null;
    var html = '<table class="b-table" style="--row-font:' + rowFont(r.items.length) + '"><thead><tr><th class="r">#</th><th class="t">' +
      esc(L.item) + "</th><th>" + esc(L.choice.yes) + "</th><th>" + esc(L.choice.no) + "</th><th>" + esc(L.choice.abstain) +
      "</th><th>" + esc(L.not_voted) + "</th>" + (perItem ? "<th>≥</th>" : "") + '<th class="r">' + esc(L.result) + "</th></tr></thead><tbody>";
    r.items.forEach(function (it, i) {
      html += '<tr class="row-' + esc(it.outcome) + '"><td class="r">' + (i + 1) + '</td><td class="t">' + esc(it.title) + "</td><td>" +
        num(it.counts.yes) + "</td><td>" + num(it.counts.no) + "</td><td>" + num(it.counts.abstain) + "</td><td>" + num(it.not_voted) +
        "</td>" + (perItem ? "<td>" + num(it.needed) + "</td>" : "") + '<td class="r">' + outcomeHtml(it.outcome) + "</td></tr>";
    });
    return html + "</tbody></table>";
  }

  function ranked(items) {
    return items.map(function (it, i) { return [it, i]; }).sort(function (a, b) {
      var ra = a[0].rank === null ? Infinity : a[0].rank, rb = b[0].rank === null ? Infinity : b[0].rank;
      return ra - rb || a[1] - b[1];
    }).map(function (pair) { return pair[0]; });
  }

  function selectionHtml(p, r) {
    var upToK = p.rules.form === "up_to_k", support = upToK ? "approve" : "yes";
    var html = '<table class="b-table" style="--row-font:' + rowFont(r.items.length, 2.1) + '"><thead><tr><th class="r">' + esc(L.rank) +
      '</th><th class="t">' + esc(L.project) + "</th>";
    html += upToK ? "<th>" + esc(L.choice.approve) + "</th>" :
      "<th>" + esc(L.choice.yes) + "</th><th>" + esc(L.choice.no) + "</th><th>" + esc(L.choice.abstain) + "</th>";
    html += "<th>" + esc(L.not_voted) + '</th><th class="chart"></th><th class="r">' + esc(L.result) + "</th></tr></thead><tbody>";
    var base = r.present || 1;
    ranked(r.items).forEach(function (it) {
      var need = it.needed || r.needed;
      html += '<tr class="row-' + esc(it.outcome) + '"><td class="r">' + (it.rank === null ? "—" : it.rank) + '</td><td class="t">' +
        esc(it.title) + "</td>";
      html += upToK ? "<td><b>" + num(it.counts.approve) + "</b></td>" :
        "<td><b>" + num(it.counts.yes) + "</b></td><td>" + num(it.counts.no) + "</td><td>" + num(it.counts.abstain) + "</td>";
      html += "<td>" + num(it.not_voted) + '</td><td class="chart"><div class="hbar"><span style="width:' +
        (100 * (it.counts[support] || 0) / base).toFixed(1) + '%"></span>' +
        (need ? '<i class="need" style="left:' + Math.min(100, 100 * need / base).toFixed(1) + '%"></i>' : "") +
        '</div></td><td class="r">' + outcomeHtml(it.outcome) +
        (it.rank === null ? '<span class="note">' + esc(L.below) + "</span>" : "") + "</td></tr>";
    });
    html += "</tbody></table>";
    var notes = [];
    if (r.shortfall) notes.push('<span class="warn">' + esc(fmt(L.shortfall, { n: r.shortfall })) + "</span>");
    if (r.runoff) notes.push('<span class="warn">' + esc(fmt(L.runoff, { n: r.runoff.seats })) + "</span>");
    return html + (notes.length ? '<p class="b-notes">' + notes.join("") + "</p>" : "");
  }

  function satisfactionHtml(p, r) {
    var choices = choicesOf(p);
    var graded = p.rules.grading !== "rates";
    var html = '<table class="b-table" style="--row-font:' + rowFont(r.items.length, 1.8) + '"><thead><tr><th class="r">#</th><th class="t">' +
      esc(L.item) + "</th>";
    choices.forEach(function (c) { html += "<th>" + esc(L.choice[c]) + "</th>"; });
    html += "<th>" + esc(L.not_voted) + '</th><th class="chart"></th><th>' + esc(L.rate.satisfied) + "</th>" +
      (p.rules.grading === "binary" ? "" : "<th>" + esc(L.rate.combined) + "</th>") +
      (graded ? '<th class="r">' + esc(L.grade_head) + "</th>" : "") + "</tr></thead><tbody>";
    r.items.forEach(function (it, i) {
      var total = 0;
      choices.forEach(function (c) { if (c !== "abstain") total += it.counts[c] || 0; });
      html += '<tr><td class="r">' + (i + 1) + '</td><td class="t">' + esc(it.title) + "</td>";
      choices.forEach(function (c) { html += "<td>" + num(it.counts[c]) + "</td>"; });
      html += "<td>" + num(it.not_voted) + '</td><td class="chart">' +
        stackHtml([["yes", it.counts.satisfied || 0], ["blue", it.counts.basically_satisfied || 0], ["no", it.counts.dissatisfied || 0]], total) +
        "</td><td><b>" + rate(it.rates.satisfied) + "</b></td>" +
        (p.rules.grading === "binary" ? "" : "<td><b>" + rate(it.rates.combined) + "</b></td>") +
        (graded ? '<td class="r">' + (it.grade ? '<span class="g g-' + esc(it.grade) + '">' + esc(L.grade[it.grade]) + "</span>" : "—") + "</td>" : "") +
        "</tr>";
    });
    return html + "</tbody></table>";
  }

  function fingerprint(hex) {
    var groups = String(hex || "").match(/.{1,4}/g) || [];
    var lines = [];
    for (var i = 0; i < groups.length; i += 4) lines.push(groups.slice(i, i + 4).join(" "));
    return lines.map(esc).join("<br>");
  }

  function certHtml(p) {
    var c = p.certificate;
    if (!c) return "";
    var qr = "/screen/" + VS.meetingId + "/certificate-qr.svg?token=" + encodeURIComponent(VS.token) +
      "&certificate=" + encodeURIComponent(c.id);
    return '<aside class="b-cert" id="b-cert"><p class="badge">✓ ' + esc(L.certified) + "</p>" +
      '<img src="' + esc(qr) + '" alt="' + esc(L.scan_verify) + '" width="300" height="300">' +
      '<p class="hint">' + esc(L.scan_verify) + "</p>" +
      '<p class="no">' + esc(fmt(L.certificate_no, { n: c.id })) + "</p>" +
      '<p class="fp-label">' + esc(L.fingerprint) + '</p><p class="fp" data-field="fingerprint">' + fingerprint(c.record_sha256) + "</p></aside>";
  }

  function resultHtml(p) {
    var r = p.result;
    if (!r) return headHtml(p, null);
    var frozen = { expected: r.expected, present: r.present, on_leave: r.on_leave || 0, absent: r.absent, quorum: r.quorum };
    var body = p.kind === "motion" ? motionHtml(p, r) : p.kind === "selection" ? selectionHtml(p, r) : satisfactionHtml(p, r);
    var col = '<div class="b-col">' + attHtml(frozen) + body +
      (p.status === "closed" ? '<p class="b-pending">' + esc(L.certifying) + "</p>" : "") + "</div>";
    return headHtml(p, r) + '<div class="b-main">' + col + certHtml(p) + "</div>";
  }

  function render() {
    var p = shown();
    var isBallot = !!p && p.status !== "draft";
    document.body.classList.toggle("mode-ballot", isBallot);
    document.body.setAttribute("data-state", !isBallot ? "idle" : p.status);
    panel.hidden = !isBallot;
    if (!isBallot) { panel.innerHTML = ""; return; }
    panel.setAttribute("data-ballot", p.ballot_id);
    panel.innerHTML = p.status === "open" ? openHtml(p) : resultHtml(p);
    if (p.status === "open") shownCounts.push(p.cast);
    tick();
  }

  function tick() {
    var clock = document.getElementById("b-clock");
    if (!clock) return;
    if (deadline === null) {
      clock.textContent = L.no_limit;
      clock.className = "val is-none";
      return;
    }
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    clock.textContent = left === 0 ? L.time_up : Math.floor(left / 60) + ":" + (left % 60 < 10 ? "0" : "") + (left % 60);
    clock.className = "val" + (left <= 10 ? " is-short" : "") + (left === 0 ? " is-none" : "");
  }

  var handlers = {
    "ballot.snapshot": onSnapshot,
    "screen.shown": onShown,
    "ballot.opened": onOpened,
    "ballot.extended": onChanged,
    "ballot.progress": onChanged,
    "ballot.closed": onClosed,
    "ballot.certified": onChanged,
    "attendance.snapshot": function (p) { onAttendance(p, true); },
    "attendance.changed": function (p) { onAttendance(p, false); }
  };
  Object.keys(handlers).forEach(function (name) { VS.on(name, handlers[name]); });
  setInterval(tick, 250);
  onSnapshot(initial);

  // For tests and the curious: feed a message as if it came over the socket, and read what was drawn.
  window.VotingScreenBallot = {
    handle: function (event, payload) { if (handlers[event]) handlers[event](payload); },
    shownCounts: shownCounts,
    state: function () { return { display: display, displayVersion: displayVersion, ballots: ballots }; }
  };
})();
