// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  function setUpNavToggle() {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) return;
    toggle.hidden = false;
    document.documentElement.classList.add("js");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("open", !open);
    });
  }

  // Buttons that need a confirmation carry data-confirm="question".
  function setUpConfirm() {
    document.addEventListener("submit", function (event) {
      var button = event.submitter;
      var question = (button && button.dataset.confirm) || event.target.dataset.confirm;
      if (question && !window.confirm(question)) event.preventDefault();
    });
  }

  // htmx sends the CSRF token from the cookie-free meta tag when one is present.
  function setUpHtmxCsrf() {
    document.body.addEventListener("htmx:configRequest", function (event) {
      var meta = document.querySelector('meta[name="csrf-token"]');
      if (meta) event.detail.headers["X-CSRFToken"] = meta.content;
    });
  }

  // Names of UTC itself: a browser in one of them has nothing better to offer.
  var UTC_NAMES = ["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Universal", "Etc/Zulu",
    "Zulu", "Etc/UCT", "UCT", "Etc/Greenwich", "Greenwich", "GMT0", "Etc/GMT0", "GMT+0",
    "GMT-0", "Etc/GMT+0", "Etc/GMT-0"];

  function browserTimeZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  // The browser's time zone goes into hidden fields (sign-up) and, when the profile still says
  // UTC, into the offer to use it, which is shown only then (and not for a zone turned down).
  function setUpTimeZone() {
    var zone = browserTimeZone();
    if (!zone) return;
    document.querySelectorAll("input[data-browser-timezone]").forEach(function (input) {
      input.value = zone;
    });
    var offer = document.querySelector("form[data-timezone-offer]");
    if (!offer || UTC_NAMES.indexOf(zone) !== -1 || offer.dataset.dismissed === zone) return;
    offer.querySelector("[data-timezone-name]").textContent = zone;
    offer.hidden = false;
  }

  // The service worker keeps the static files and the last diary day for offline use. A page
  // opened before it took control is handed to it once, so the first day viewed counts too.
  function setUpServiceWorker() {
    if (!("serviceWorker" in navigator)) return;
    var controlled = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (!controlled && registration.active) {
        registration.active.postMessage({ type: "remember", url: window.location.href });
      }
    }).catch(function () { /* no offline copy then; every page works without it */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpNavToggle();
    setUpConfirm();
    setUpHtmxCsrf();
    setUpTimeZone();
    setUpServiceWorker();
  });
})();
