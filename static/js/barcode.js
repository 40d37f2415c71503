// Scanning a barcode with the phone's camera, for the food search and the diary's add rows.
//
// A "Scan" button (`data-scan`, hidden until this script finds a camera API) fills the input
// named by `data-scan-target` with the digits it reads, then either submits that input's form
// (`data-scan-submit`: /foods/?barcode= opens the product) or announces the input as typed
// into (the diary's search as you type shows the product's add row). The browser's own
// BarcodeDetector reads the frames where it exists; elsewhere the vendored ZXing build
// (`data-zxing`, loaded on first use) decodes them from a canvas. Typing the digits always
// works without any of this.
(function () {
  "use strict";

  var FORMATS = ["ean_13", "ean_8", "upc_a", "upc_e"];
  var INTERVAL_MS = 150; // between decoded frames: enough for a steady hand, light on a phone
  var zxingLoading = null;
  var active = null; // the scan in progress: {stream, panel, timer, button}

  function cameraAvailable() {
    return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  function showButtons(root) {
    if (!cameraAvailable()) return;
    var buttons = (root || document).querySelectorAll("[data-scan]");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }

  function statusFor(button) {
    var id = button.getAttribute("aria-describedby");
    var ids = id ? id.split(" ") : [];
    for (var i = 0; i < ids.length; i++) {
      var element = document.getElementById(ids[i]);
      if (element && element.hasAttribute("data-scan-status")) return element;
    }
    return null;
  }

  function say(button, text, isError) {
    var status = statusFor(button);
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function cameraMessage(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
      return "The camera is blocked for this site, so it cannot scan. Allow the camera in " +
        "your browser's site settings, or type the digits printed under the bars.";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
      return "No camera was found on this device. Type the digits printed under the bars instead.";
    }
    if (name === "ReaderLoadError") {
      return "The barcode reader could not be loaded (are you offline?). Type the digits instead.";
    }
    if (name === "NotReadableError") {
      return "Another app is using the camera. Close it and try again, or type the digits.";
    }
    return "The camera could not start. Type the digits printed under the bars instead.";
  }

  function loadZxing(src) {
    if (window.ZXing) return Promise.resolve(window.ZXing);
    if (!zxingLoading) {
      zxingLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(window.ZXing); };
        script.onerror = function () {
          zxingLoading = null;
          var error = new Error("The barcode reader could not be loaded.");
          error.name = "ReaderLoadError";
          reject(error);
        };
        document.head.appendChild(script);
      });
    }
    return zxingLoading;
  }

  // A function reading one frame of the video: resolves to the digits, or null for none.
  function browserReader() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    return window.BarcodeDetector.getSupportedFormats().then(function (supported) {
      var formats = FORMATS.filter(function (f) { return supported.indexOf(f) >= 0; });
      if (!formats.length) return null;
      var detector = new window.BarcodeDetector({ formats: formats });
      return function (video) {
        return detector.detect(video).then(function (codes) {
          return codes.length ? codes[0].rawValue : null;
        });
      };
    }).catch(function () { return null; });
  }

  function zxingReader(src) {
    return loadZxing(src).then(function (ZXing) {
      var hints = new Map();
      hints.set(ZXing.DecodeHintType.POSSIBLE_FORMATS, [
        ZXing.BarcodeFormat.EAN_13, ZXing.BarcodeFormat.EAN_8,
        ZXing.BarcodeFormat.UPC_A, ZXing.BarcodeFormat.UPC_E,
      ]);
      hints.set(ZXing.DecodeHintType.TRY_HARDER, true);
      var reader = new ZXing.MultiFormatReader();
      reader.setHints(hints);
      var canvas = document.createElement("canvas");
      return function (video) {
        var width = video.videoWidth, height = video.videoHeight;
        if (!width || !height) return Promise.resolve(null);
        var scale = Math.min(1, 800 / width);
        canvas.width = Math.round(width * scale);
        canvas.height = Math.round(height * scale);
        canvas.getContext("2d", { willReadFrequently: true })
          .drawImage(video, 0, 0, canvas.width, canvas.height);
        try {
          var source = new ZXing.HTMLCanvasElementLuminanceSource(canvas);
          var bitmap = new ZXing.BinaryBitmap(new ZXing.HybridBinarizer(source));
          return Promise.resolve(reader.decodeWithState(bitmap).getText());
        } catch (error) {
          return Promise.resolve(null); // no barcode in this frame
        } finally {
          reader.reset();
        }
      };
    });
  }

  function stop(message, isError) {
    if (!active) return;
    var scan = active;
    active = null;
    window.clearTimeout(scan.timer);
    scan.stream.getTracks().forEach(function (track) { track.stop(); });
    scan.panel.remove();
    scan.button.setAttribute("aria-expanded", "false");
    say(scan.button, message || "", isError);
    scan.button.focus();
  }

  function found(button, code) {
    var input = document.getElementById(button.getAttribute("data-scan-target"));
    stop("Barcode " + code + " read.");
    if (!input) return;
    input.value = code;
    if (button.hasAttribute("data-scan-submit") && input.form) {
      input.form.requestSubmit();
    } else {
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.focus();
    }
  }

  function buildPanel(button) {
    var panel = document.createElement("div");
    panel.className = "scanner";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", "Scan a barcode");
    var video = document.createElement("video");
    video.setAttribute("playsinline", "");
    video.muted = true;
    video.className = "scanner-video";
    var hint = document.createElement("p");
    hint.className = "scanner-hint";
    hint.textContent = "Hold the barcode inside the frame, about a hand's width away.";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "button button-secondary";
    cancel.textContent = "Cancel scanning";
    cancel.addEventListener("click", function () { stop(""); });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") stop("");
    });
    panel.appendChild(video);
    panel.appendChild(hint);
    panel.appendChild(cancel);
    button.closest("form, .scan-host").after(panel);
    return { panel: panel, video: video, cancel: cancel };
  }

  function start(button) {
    if (active) stop("");
    say(button, "Starting the camera…", false);
    navigator.mediaDevices.getUserMedia({
      video: { facingMode: { ideal: "environment" } }, audio: false,
    }).then(function (stream) {
      var parts = buildPanel(button);
      active = { stream: stream, panel: parts.panel, timer: 0, button: button };
      button.setAttribute("aria-expanded", "true");
      parts.video.srcObject = stream;
      parts.cancel.focus();
      say(button, "Point the camera at the barcode.", false);
      return Promise.all([parts.video.play(), browserReader()]).then(function (results) {
        var read = results[1];
        return read || zxingReader(button.getAttribute("data-zxing"));
      }).then(function (read) {
        var scan = active;
        function tick() {
          if (active !== scan) return;
          read(parts.video).then(function (code) {
            if (active !== scan) return;
            var digits = (code || "").replace(/\D/g, "");
            if (digits.length >= 8) found(button, digits);
            else scan.timer = window.setTimeout(tick, INTERVAL_MS);
          }, function () {
            if (active === scan) scan.timer = window.setTimeout(tick, INTERVAL_MS);
          });
        }
        tick();
      });
    }).catch(function (error) {
      if (active) stop(cameraMessage(error), true);
      else say(button, cameraMessage(error), true);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-scan]");
    if (!button) return;
    event.preventDefault();
    start(button);
  });

  document.addEventListener("DOMContentLoaded", function () {
    showButtons(document);
    // The diary swaps parts of the day in and out: new buttons are shown as they arrive.
    document.body.addEventListener("htmx:afterSettle", function (event) {
      showButtons(event.target);
    });
    // Leaving the page (or the tab) lets go of the camera.
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) stop("");
    });
  });
})();
