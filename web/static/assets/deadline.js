// deadline.js: on the application pages, adds the deadline in the visitor's own time zone and a
// countdown, updated each minute, to every element with a data-deadline attribute (RFC 3339).
// The page works without it: the deadline is shown in the prize's time zone and in UTC.
(function () {
  "use strict";

  var MINUTE = 60 * 1000;

  // texts are the page's words in its language (the layout's #script-texts, from the catalogs);
  // fill puts values in for {name}.
  var texts = {};
  try {
    texts = JSON.parse(document.getElementById("script-texts").textContent) || {};
  } catch (e) {
    texts = {};
  }
  function fill(key, values, fallback) {
    var s = typeof texts[key] === "string" ? texts[key] : fallback;
    for (var k in values) {
      s = s.split("{" + k + "}").join(String(values[k]));
    }
    return s;
  }

  // plural is n with its word, in the form the language needs for n (texts' [one, other]).
  function plural(n, key, word) {
    var forms = texts[key];
    if (forms && forms.length === 2) {
      return (n === 1 ? forms[0] : forms[1]).split("{n}").join(String(n));
    }
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function left(time) {
    return fill("left", { time: time }, time + " left");
  }

  // remaining says how long is left in words: "3 days 4 hours left", "25 minutes left".
  function remaining(ms) {
    if (ms <= 0) {
      return fill("deadlinePassed", {}, "The deadline has passed.");
    }
    var minutes = Math.floor(ms / MINUTE);
    var days = Math.floor(minutes / (24 * 60));
    var hours = Math.floor((minutes % (24 * 60)) / 60);
    var mins = minutes % 60;
    if (days > 0) {
      return left(plural(days, "days", "day") + (hours > 0 ? " " + plural(hours, "hours", "hour") : ""));
    }
    if (hours > 0) {
      return left(plural(hours, "hours", "hour") + (mins > 0 ? " " + plural(mins, "minutes", "minute") : ""));
    }
    if (minutes > 0) {
      return left(plural(minutes, "minutes", "minute"));
    }
    return fill("lessThanMinute", {}, "Less than a minute left");
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
      var text = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        year: "numeric", month: "long", day: "numeric",
        hour: "2-digit", minute: "2-digit", timeZoneName: "short"
      }).format(new Date(deadline));
      local.textContent = " · " + (zone ? fill("inYourZone", { zone: zone, time: text }, "In your time zone (" + zone + "): " + text)
        : fill("inYourZoneBare", { time: text }, "In your time zone: " + text));
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
