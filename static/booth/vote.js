/* The voting booth's live layer. The pages work without it (plain form posts);
 * with it: the ballot appears and disappears by itself (Socket.IO ballot.* events,
 * dropped when older than what is shown, and a full refetch on every (re)connect),
 * the countdown ticks, "已选 x / K" stops at K, and the phone remembers its own
 * choices (localStorage) to show them when the vote is changed.
 * ES5 only, no fetch, no arrow functions: WeChat's in-app browser on old phones. */
(function () {
  "use strict";
  var live = document.getElementById("booth-live");
  if (!live) return;

  function attr(name) { return live.getAttribute("data-" + name) || ""; }
  function byId(id) { return document.getElementById(id); }
  function parse(text, fallback) { try { return JSON.parse(text); } catch (e) { return fallback; } }

  var mode = attr("mode");               // home | vote | review | recorded
  var meetingId = Number(attr("meeting")) || 0;
  var ballotId = Number(attr("ballot")) || 0;
  var version = Number(attr("version")) || 0;
  var repId = attr("rep");
  var voteUrl = attr("vote-url");
  var stateUrl = attr("state-url");
  var choiceLabels = parse(attr("choice-labels"), {});
  var choiceTones = parse(attr("choice-tones"), {});
  var ended = false;
  var leaving = false;

  /* ---- The phone's memory of its own votes (never sent anywhere) ---- */
  var PREFIX = "voting.ballot.";
  function storageKey(id) { return PREFIX + repId + "." + id; }
  function remember(id, data) {
    try {
      window.localStorage.setItem(storageKey(id), JSON.stringify(data));
      prune();
    } catch (e) { /* private mode or full: the server's pages still show what was sent */ }
  }
  function recall(id) {
    try { return parse(window.localStorage.getItem(storageKey(id)), null); } catch (e) { return null; }
  }
  function prune() {
    // A vote is worth remembering for a sitting, not longer.
    var limit = Date.now() - 2 * 24 * 3600 * 1000, store = window.localStorage, stale = [], i, key, value;
    for (i = 0; i < store.length; i++) {
      key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        value = parse(store.getItem(key), null);
        if (!value || !value.at || value.at < limit) stale.push(key);
      }
    }
    for (i = 0; i < stale.length; i++) store.removeItem(stale[i]);
  }

  /* ---- Navigation ---- */
  function go(url, replace) {
    if (leaving) return;
    leaving = true;
    if (replace) window.location.replace(url); else window.location.href = url;
  }
  function reloadVote() { go(voteUrl, mode === "vote"); }

  /* ---- Countdown: from the server's remaining seconds, never the phone's clock ---- */
  var clock = byId("clock"), clockValue = byId("clock-value"), deadline = null;
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function setRemaining(seconds) {
    if (seconds === null || seconds === undefined || !clock) return;
    deadline = Date.now() + seconds * 1000;
    tick();
  }
  function tick() {
    if (deadline === null) return;
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    clockValue.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
    clock.className = left <= 10 ? "clock is-low" : "clock";
    setSubmitting(left > 0);
  }
  function setSubmitting(allowed) {
    var buttons = document.querySelectorAll("#ballot-form button[type=submit], .confirm-form button[type=submit]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = !allowed;
      if (!allowed) buttons[i].textContent = attr("label-time-up");
    }
  }
  if (clock) {
    setRemaining(Number(clock.getAttribute("data-remaining")));
    setInterval(tick, 500);
  }

  /* ---- The ballot closed: the phone shows "表决已结束" and nothing of the result ---- */
  function showEnded() {
    if (ended || mode === "home") return;
    ended = true;
    deadline = null;
    var page = byId("vote-live"), notice = byId("vote-ended");
    if (page && notice) {
      page.hidden = true;
      page.style.display = "none";
      notice.hidden = false;
      window.scrollTo(0, 0);
    }
  }

  /* ---- Events and snapshots ---- */
  function isNewer(p) { return p.ballot_id !== ballotId || p.version > version; }
  function accept(p) { if (p.ballot_id === ballotId && p.version > version) version = p.version; }

  function onOpened(p) {
    if (p.meeting_id !== meetingId || !isNewer(p)) return;
    if (p.ballot_id !== ballotId || mode === "home") reloadVote();
    accept(p);
  }
  function onExtended(p) {
    if (p.ballot_id !== ballotId || !isNewer(p)) return;
    accept(p);
    if (document.body.className.indexOf("state-time_up") >= 0) { reloadVote(); return; }
    if (!ended) setRemaining(p.remaining_s);
  }
  function onClosed(p) {
    if (p.ballot_id !== ballotId || !isNewer(p)) return;
    accept(p);
    if (mode === "home") { reloadHome(); return; }
    showEnded();
  }
  function reloadHome() {
    // Never lose a half-written leave request.
    var areas = document.getElementsByTagName("textarea");
    for (var i = 0; i < areas.length; i++) if (areas[i].value) return;
    go(window.location.href, true);
  }

  function refetch() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", stateUrl, true);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4 || xhr.status !== 200) return;
      var data = parse(xhr.responseText, null);
      if (data) applyState(data);
    };
    xhr.send();
  }
  function applyState(data) {
    var open = data.ballot;
    if (!meetingId && data.meeting_id) { reloadVote(); return; }
    if (mode === "home") {
      if ((open ? open.id : 0) !== ballotId) reloadHome();
      return;
    }
    if (!open) { if (ballotId) showEnded(); return; }
    if (open.id !== ballotId) { reloadVote(); return; }
    if (open.version > version) version = open.version;
    if (!ended) setRemaining(open.remaining_s);
  }

  function connect() {
    var offline = byId("offline");
    if (!window.io || !meetingId) {
      // No Socket.IO (a very old browser) or no meeting yet: look now and then.
      setInterval(refetch, 10000);
      return;
    }
    var socket = window.io({ auth: { meeting_id: meetingId } });
    socket.on("connect", function () {
      if (offline) offline.hidden = true;
      refetch();  // whatever happened while disconnected
    });
    socket.on("disconnect", function () {
      if (offline) { offline.textContent = attr("label-offline"); offline.hidden = false; }
    });
    socket.on("ballot.opened", onOpened);
    socket.on("ballot.extended", onExtended);
    socket.on("ballot.progress", accept);
    socket.on("ballot.closed", onClosed);
    socket.on("ballot.certified", onClosed);
  }

  /* ---- The ballot form ---- */
  function chipFor(choice) {
    var chip = document.createElement("span");
    chip.className = "chip tone-" + (choiceTones[choice] || "green");
    chip.textContent = choiceLabels[choice] || choice;
    return chip;
  }

  function enhanceForm(form) {
    var seats = Number(form.getAttribute("data-seats")) || 0;
    var isChange = !!form.querySelector("input[name=change]");
    var stored = isChange ? recall(ballotId) : null;
    var anyChecked = !!form.querySelector("input:checked");

    if (stored && stored.choices) {
      // Show (and, unless the phone is coming back from the review, preselect) the current vote.
      var fields = form.querySelectorAll("[data-item]");
      for (var i = 0; i < fields.length; i++) {
        var itemId = fields[i].getAttribute("data-item"), choice = stored.choices[itemId];
        var was = fields[i].querySelector(".item-was");
        if (was) {
          was.textContent = attr("label-current") + " ";
          var strong = document.createElement("strong");
          strong.textContent = choice ? (choiceLabels[choice] || choice) : (seats ? attr("label-not-chosen") : attr("label-not-voted"));
          was.appendChild(strong);
          was.hidden = false;
        }
        if (choice && !anyChecked) {
          var input = seats ? fields[i].querySelector("input") :
            fields[i].querySelector("input[value='" + choice + "']");
          if (input) input.checked = true;
        }
      }
    }

    if (seats) {
      var counter = byId("picked-count"), full = byId("picked-full");
      var update = function () {
        var boxes = form.querySelectorAll("input[name=approve]"), n = 0, j;
        for (j = 0; j < boxes.length; j++) if (boxes[j].checked) n++;
        for (j = 0; j < boxes.length; j++) boxes[j].disabled = !boxes[j].checked && n >= seats;
        counter.textContent = String(n);
        counter.className = "picked-count is-set";
        if (full) full.hidden = n < seats;
      };
      form.addEventListener("change", update);
      update();
    }
  }

  function showRemembered() {
    var box = byId("remembered"), list = byId("remembered-list");
    var stored = recall(ballotId);
    if (!box || !list || !stored || !stored.choices) return;
    var whole = list.getAttribute("data-whole") === "1";
    var rows = list.getElementsByTagName("li");
    for (var i = 0; i < rows.length; i++) {
      var choice = stored.choices[rows[i].getAttribute("data-item")];
      var old = rows[i].querySelector(".chip");
      var chip = choice ? chipFor(choice) : document.createElement("span");
      if (!choice) {
        chip.className = "chip chip-none";
        chip.textContent = whole ? attr("label-not-chosen") : attr("label-not-voted");
      }
      rows[i].replaceChild(chip, old);
    }
    box.hidden = false;
  }

  var just = byId("just-cast");
  if (just) {
    remember(ballotId, {
      choices: parse(just.getAttribute("data-choices"), {}),
      receipt: just.getAttribute("data-receipt"),
      at: Date.now()
    });
  }
  var form = byId("ballot-form");
  if (form) enhanceForm(form);
  showRemembered();

  document.addEventListener("visibilitychange", function () {
    // A phone that slept may have missed events: look again when it wakes.
    if (!document.hidden) refetch();
  });
  connect();
})();
