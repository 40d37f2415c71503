// Food search: the arrow keys move between the search box and the results.
// Everything here is an enhancement; the pages work as plain forms and links without it.
(function () {
  "use strict";

  function resultLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("#food-results .food-result"));
  }

  // Arrow keys: from the search box into the results and between them; Escape goes back.
  function setUpResultKeys() {
    var input = document.getElementById("food-q");
    var region = document.getElementById("food-results");
    if (!input || !region) return;
    input.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown") return;
      var links = resultLinks();
      if (links.length) {
        event.preventDefault();
        links[0].focus();
      }
    });
    region.addEventListener("keydown", function (event) {
      var links = resultLinks();
      var index = links.indexOf(document.activeElement);
      if (index < 0) return;
      if (event.key === "ArrowDown" && index < links.length - 1) {
        event.preventDefault();
        links[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (index > 0) links[index - 1].focus();
        else input.focus();
      } else if (event.key === "Escape") {
        event.preventDefault();
        input.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpResultKeys();
  });
})();
