/* Desk scan: read a card's QR code with the tablet camera (jsQR) or a handheld scanner,
 * and check the person in. Without JavaScript the form still posts the typed code. */
(function () {
  "use strict";
  var root = document.getElementById("desk-scan");
  var video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas");
  var result = document.getElementById("scan-result");
  var log = document.getElementById("scan-log");
  var form = document.getElementById("scan-form");
  var input = document.getElementById("scanned");
  var last = { text: "", at: 0 };
  var busy = false;

  function show(ok, message) {
    result.textContent = message;
    result.className = "scan-result " + (ok ? "scan-ok" : "scan-bad");
    var item = document.createElement("li");
    item.textContent = new Date().toLocaleTimeString() + " " + message;
    log.insertBefore(item, log.firstChild);
  }

  function submit(text) {
    var now = Date.now();
    // The camera sees the same card many times a second: one request per card.
    if (busy || (text === last.text && now - last.at < 4000)) return;
    last = { text: text, at: now };
    busy = true;
    fetch(root.dataset.postUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
      body: JSON.stringify({ scanned: text })
    })
      .then(function (r) { return r.json(); })
      .then(function (d) { show(d.ok, d.message); })
      .catch(function () { show(false, "?"); })
      .then(function () { busy = false; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (input.value.trim()) submit(input.value.trim());
    input.value = "";
    input.focus();
  });

  function tick() {
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var ctx = canvas.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (code && code.data) submit(code.data);
    }
    requestAnimationFrame(tick);
  }

  document.getElementById("camera-start").addEventListener("click", function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      document.getElementById("camera-note").textContent = root.dataset.noCamera;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.srcObject = stream;
        video.play();
        requestAnimationFrame(tick);
      })
      .catch(function () { document.getElementById("camera-note").textContent = root.dataset.noCamera; });
  });
})();
