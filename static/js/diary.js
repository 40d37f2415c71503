// The diary's small enhancements; every action also works as a plain form without this file.
(function () {
  "use strict";

  // htmx leaves 4xx answers unswapped by default; a 400 (or a 429, too many at once) here is
  // the form or row with its errors.
  function swapFormErrors() {
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      var status = event.detail.xhr.status;
      if (status === 400 || status === 429) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
  }

  // After the day is swapped in, put the cursor where the next entry starts.
  function focusAfterSwap() {
    document.body.addEventListener("htmx:afterSettle", function (event) {
      var swapped = event.detail.elt;
      if (!swapped || !swapped.id || !/^(diary-day|entry-\d+)$/.test(swapped.id)) return;
      var scope = document.getElementById(swapped.id) || document;
      var target = scope.querySelector("[data-autofocus]") ||
        scope.querySelector(".form-errors, [role=alert]");
      if (target) {
        if (!target.hasAttribute("tabindex") && !/INPUT|SELECT|BUTTON/.test(target.tagName)) {
          target.setAttribute("tabindex", "-1");
        }
        target.focus();
      }
    });
  }

  // A change made in place leaves the page where it was. When the control that was used went
  // away with it (a deleted row, a saved edit, the Undo), the cursor goes to what replaced it:
  // a refused field, the row just changed, or the Undo, without scrolling.
  function keepFocusAfterChange() {
    var before = null;
    document.body.addEventListener("htmx:beforeRequest", function () {
      before = document.activeElement;
    });
    document.body.addEventListener("htmx:afterRequest", function () {
      window.setTimeout(function () {
        var invalid = document.querySelector(
          ".add-food [aria-invalid=true], .entry-edit [aria-invalid=true], #dose-form [aria-invalid=true]"
        );
        var lost = !before || !document.body.contains(before) ||
          document.activeElement === document.body || document.activeElement === null;
        if (invalid && (lost || before === invalid)) {
          invalid.focus();
          if (invalid.select) invalid.select();
        } else if (lost) {
          var next = document.querySelector(".entry-new a, .entry-new button") ||
            document.querySelector("#day-status [data-undo]");
          if (next) next.focus({ preventScroll: true });
        }
        before = null;
      }, 60);
    });
  }

  // Arrow keys move between the search box and the results' amount fields; Enter adds.
  function arrowKeysInResults() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      var row = event.target.closest(".add-row");
      if (!row) return;
      var stops = [row.querySelector("[data-search-input]")].concat(
        Array.prototype.slice.call(row.querySelectorAll(".results input.amount"))
      );
      var index = stops.indexOf(event.target);
      if (index === -1) return;
      var next = stops[index + (event.key === "ArrowDown" ? 1 : -1)];
      if (next) {
        event.preventDefault();
        next.focus();
        if (next.select) next.select();
      }
    });
  }

  // With live search, Enter in the search box goes to the first result's amount instead of
  // reloading the page; one more Enter there adds the food.
  function enterPicksFirstResult() {
    document.addEventListener("submit", function (event) {
      var input = event.target.querySelector("[data-search-input]");
      if (!input || !window.htmx) return;
      event.preventDefault();
      var first = event.target.closest(".add-row").querySelector(".results input.amount");
      if (first) {
        first.focus();
        first.select();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    swapFormErrors();
    focusAfterSwap();
    keepFocusAfterChange();
    arrowKeysInResults();
    enterPicksFirstResult();
  });
})();
