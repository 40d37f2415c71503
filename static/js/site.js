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

  document.addEventListener("DOMContentLoaded", function () {
    setUpNavToggle();
    setUpConfirm();
    setUpHtmxCsrf();
  });
})();
