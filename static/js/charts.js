// The trend chart's details box: a tap on a day, or keyboard focus on it, shows that day's
// numbers under the chart, with a link to the day. Without this file each day is a plain
// link to the day and the table under the chart has every number.
(function () {
  "use strict";

  function line(parent, text) {
    var p = document.createElement("p");
    p.textContent = text;
    parent.appendChild(p);
    return p;
  }

  function show(box, day) {
    var data = day.dataset;
    box.textContent = "";
    var title = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = data.day;
    title.appendChild(strong);
    box.appendChild(title);
    if (!data.total) {
      line(box, "Nothing logged.");
    } else {
      line(box, "Food: " + data.food + " mg");
      line(box, "Supplements: " + data.supplements + " mg" +
        (data.limit ? " (limit " + data.limit + " mg)" : ""));
      line(box, "Total: " + data.total + " mg" + (data.target ? " of " + data.target + " mg" : ""));
    }
    var link = document.createElement("a");
    link.href = day.getAttribute("href");
    link.textContent = "Open " + data.day;
    line(box, "").appendChild(link);
    box.hidden = false;
    var chart = day.closest("svg");
    chart.querySelectorAll(".chart-day.is-current").forEach(function (other) {
      other.classList.remove("is-current");
    });
    day.classList.add("is-current");
  }

  function enhance(figure) {
    var box = figure.querySelector("[data-chart-details]");
    if (!box) return;
    figure.querySelectorAll(".chart-day").forEach(function (day) {
      day.addEventListener("focus", function () { show(box, day); });
      day.addEventListener("click", function (event) {
        // A tap shows the numbers; the box's link opens the day.
        event.preventDefault();
        show(box, day);
      });
    });
  }

  function start() {
    document.querySelectorAll("[data-trend-chart]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
