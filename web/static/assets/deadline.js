// deadline.js: on the application pages, adds the deadline in the visitor's own time zone and a
// countdown, updated each minute, to every element with a data-deadline attribute (RFC 3339).
// The page works without it: the deadline is shown in the prize's time zone and in UTC.
(function () {
  "use strict";

  var MINUTE = 60 * 1000;

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  // remaining says how long is left in words: "3 days 4 hours left", "25 minutes left".
  function remaining(ms) {
    if (ms <= 0) {
      return "The deadline has passed.";
    }
    var minutes = Math.floor(ms / MINUTE);
    var days = Math.floor(minutes / (24 * 60));
    var hours = Math.floor((minutes % (24 * 60)) / 60);
    var mins = minutes % 60;
    if (days > 0) {
      return plural(days, "day") + (hours > 0 ? " " + plural(hours, "hour") : "") + " left";
    }
    if (hours > 0) {
      return plural(hours, "hour") + (mins > 0 ? " " + plural(mins, "minute") : "") + " left";
    }
    if (minutes > 0) {
      return plural(minutes, "minute") + " left";
    }
    return "Less than a minute left";
  }

  function setUp(el) {
    var deadline = Date.parse(el.getAttribute("data-deadline"));
    if (isNaN(deadline)) {
      return;
    }
    // Follow the server's clock, which decides, rather than the visitor's.
    var serverNow = Date.parse(el.getAttribute("data-now"));
    var skew = isNaN(serverNow) ? 0 : serverNow - Date.now();

    var local = el.querySelector(".deadline-local");
    if (local && window.Intl && Intl.DateTimeFormat) {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      var text = new Intl.DateTimeFormat(undefined, {
        year: "numeric", month: "long", day: "numeric",
        hour: "2-digit", minute: "2-digit", timeZoneName: "short"
      }).format(new Date(deadline));
      local.textContent = " · In your time zone" + (zone ? " (" + zone + ")" : "") + ": " + text;
      local.hidden = false;
    }

    var countdown = el.querySelector(".deadline-countdown");
    if (!countdown) {
      return;
    }
    var update = function () {
      var left = deadline - (Date.now() + skew);
      countdown.textContent = " " + remaining(left);
      return left > 0;
    };
    if (update()) {
      var timer = setInterval(function () {
        if (!update()) {
          clearInterval(timer);
        }
      }, MINUTE);
    }
  }

  var els = document.querySelectorAll("[data-deadline]");
  for (var i = 0; i < els.length; i++) {
    setUp(els[i]);
  }
})();
