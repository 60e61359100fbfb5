// form.js: on an application section form (form[data-autosave]), adds
//   - a live word count under each long text with a word limit (textarea[data-max-words]),
//     counting words like the server: runs of non-space characters;
//   - conditional display: a question with data-show-if is hidden while the question it depends
//     on has none of the listed answers (its inputs stay in the form);
//   - autosave: 3 seconds after the last change, and when the page is hidden or left, the
//     section's answers (without files) are saved like the Save button would; a version conflict
//     stops autosaving and asks the applicant to press Save, which shows both versions;
//   - upload progress: a save with a chosen file is sent with XMLHttpRequest, showing a progress
//     bar, and the answer replaces the page.
// The form works without it: every question is shown, and the Save buttons save. On a preview
// of a form (form[data-preview]) only the word counts and the conditions run.
(function () {
  "use strict";

  var AUTOSAVE_DELAY = 3000;
  var COUNT_DELAY = 400;

  if (!window.FormData || !document.querySelector) {
    return;
  }

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

  function words(text) {
    return (text.match(/\S+/g) || []).length;
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  // wordCount adds "123 of 500 words" after a textarea, updated when typing pauses.
  function wordCount(area) {
    var max = parseInt(area.getAttribute("data-max-words"), 10);
    if (!(max > 0)) {
      return;
    }
    var out = document.createElement("p");
    out.className = "word-count";
    out.id = area.id + "-count";
    out.setAttribute("aria-live", "polite");
    area.parentNode.insertBefore(out, area.nextSibling);
    var update = function () {
      var n = words(area.value);
      var text = n > max ? fill("tooMany", { n: n, max: max, over: n - max }, n + " of " + max + " words: " + (n - max) + " too many")
        : fill("wordCount", { n: n, max: max }, n + " of " + max + " words");
      out.textContent = text;
      out.classList.toggle("over", n > max);
    };
    update();
    area.addEventListener("input", debounce(update, COUNT_DELAY));
  }

  // conditions shows and hides the questions with data-show-if as the answers change.
  function conditions(form) {
    var rules = [];
    var els = form.querySelectorAll("[data-show-if]");
    for (var i = 0; i < els.length; i++) {
      try {
        var rule = JSON.parse(els[i].getAttribute("data-show-if"));
        if (rule && rule.field && rule.values) {
          rules.push({ el: els[i], field: rule.field, values: rule.values });
        }
      } catch (e) {
        // A rule the script cannot read leaves its question shown.
      }
    }
    if (rules.length === 0) {
      return;
    }
    var answers = function (name) {
      var out = [];
      var inputs = form.elements;
      for (var i = 0; i < inputs.length; i++) {
        var el = inputs[i];
        if (el.name !== name) {
          continue;
        }
        if (el.type === "radio" || el.type === "checkbox") {
          if (el.checked) {
            out.push(el.value);
          }
        } else if (el.tagName === "SELECT") {
          for (var j = 0; j < el.options.length; j++) {
            if (el.options[j].selected) {
              out.push(el.options[j].value);
            }
          }
        } else {
          out.push(el.value);
        }
      }
      return out;
    };
    var update = function () {
      for (var i = 0; i < rules.length; i++) {
        var given = answers(rules[i].field);
        var show = false;
        for (var j = 0; j < given.length && !show; j++) {
          show = rules[i].values.indexOf(given[j]) >= 0;
        }
        rules[i].el.hidden = !show;
      }
    };
    update();
    form.addEventListener("change", update);
    form.addEventListener("input", update);
  }

  // target is where the form posts; form.action is not used, since the buttons named "action"
  // shadow it.
  function target(form) {
    return form.getAttribute("action") || location.href;
  }

  function chosenFiles(form) {
    var inputs = form.querySelectorAll('input[type="file"]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].files && inputs[i].files.length > 0) {
        return true;
      }
    }
    return false;
  }

  // formData is the form's fields with the pressed button, optionally without file inputs.
  function formData(form, submitter, withFiles) {
    var data = new FormData(form);
    if (!withFiles) {
      var inputs = form.querySelectorAll('input[type="file"]');
      for (var i = 0; i < inputs.length; i++) {
        if (inputs[i].name) {
          data.delete(inputs[i].name);
        }
      }
    }
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    return data;
  }

  function setUp(form) {
    var areas = form.querySelectorAll("textarea[data-max-words]");
    for (var i = 0; i < areas.length; i++) {
      wordCount(areas[i]);
    }
    conditions(form);
    if (form.hasAttribute("data-preview")) {
      return; // a preview of the form (the form builder's) saves nothing
    }

    var status = form.querySelector(".autosave-status");
    var version = form.querySelector('input[name="version"]');
    var say = function (text) {
      if (status) {
        status.textContent = text;
      }
    };

    // Autosave. dirty: changed since the last save sent; stopped: a conflict or a closed
    // application ended autosaving; leaving: the form was submitted, so nothing more is sent.
    var dirty = false;
    var stopped = false;
    var leaving = false;
    var inFlight = null;
    var timer = null;
    var pending = null; // the button pressed while an autosave was under way

    var save = function (keepalive) {
      clearTimeout(timer);
      if (!dirty || stopped || leaving || inFlight || !window.fetch || !version) {
        return;
      }
      dirty = false;
      var opts = {
        method: "POST", body: formData(form, null, false), credentials: "same-origin",
        headers: { "X-Autosave": "1", "Accept": "application/json" }
      };
      if (keepalive) {
        opts.keepalive = true;
      }
      inFlight = fetch(target(form), opts).then(function (res) {
        return res.json().then(function (body) {
          return { status: res.status, body: body };
        }, function () {
          return { status: res.status, body: {} };
        });
      }).then(function (r) {
        if (r.status === 200 && r.body.version) {
          version.value = String(r.body.version);
          var at = r.body.savedAtText;
          say(r.body.problems > 0
            ? fill("savedWithIssues", { time: at }, "Saved at " + at + ". Some answers need your attention: press Save to see them.")
            : fill("savedAt", { time: at }, "Saved at " + at));
        } else if (r.status === 409 || r.status === 403) {
          stopped = true;
          say(r.body.error || fill("autosaveStopped", {}, "Autosave has stopped: press Save."));
        } else {
          dirty = true;
          var problem = r.body.error || fill("notSaved", {}, "Your latest changes could not be saved automatically.");
          say(fill("pressSave", { problem: problem }, problem + " Press Save to save them."));
        }
      }, function () {
        dirty = true;
        say(fill("offline", {}, "Your latest changes could not be saved automatically: check your connection, then press Save."));
      }).then(function () {
        inFlight = null;
        if (pending) {
          var btn = pending;
          pending = null;
          resubmit(btn);
        }
      });
    };

    var changed = function (ev) {
      if (ev.target && ev.target.type === "file") {
        return; // files are saved with the Save buttons
      }
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(function () { save(false); }, AUTOSAVE_DELAY);
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        save(true);
      }
    });
    window.addEventListener("pagehide", function () { save(true); });

    var resubmit = function (btn) {
      if (form.requestSubmit) {
        form.requestSubmit(btn);
        return;
      }
      if (btn && btn.name) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = btn.name;
        hidden.value = btn.value;
        form.appendChild(hidden);
      }
      form.submit();
    };

    var lastButton = null;
    form.addEventListener("click", function (ev) {
      var b = ev.target && ev.target.closest ? ev.target.closest("button[type=submit], button:not([type])") : null;
      if (b) {
        lastButton = b;
      }
    });

    form.addEventListener("submit", function (ev) {
      var btn = ev.submitter || lastButton;
      clearTimeout(timer);
      if (inFlight) {
        // Wait for the autosave, which changes the version this save must carry.
        ev.preventDefault();
        pending = btn;
        return;
      }
      leaving = true;
      if (!chosenFiles(form) || !window.XMLHttpRequest) {
        return;
      }
      ev.preventDefault();
      upload(form, formData(form, btn, true), say, function () { leaving = false; });
    });
  }

  // upload sends the form with the chosen files, showing the progress, and replaces the page
  // with the answer.
  function upload(form, data, say, failed) {
    var box = document.createElement("div");
    box.className = "upload-progress";
    var label = document.createElement("p");
    label.id = "upload-progress-label";
    label.setAttribute("role", "status");
    label.textContent = fill("uploading", {}, "Uploading…");
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-labelledby", label.id);
    box.appendChild(label);
    box.appendChild(bar);
    var actions = form.querySelector(".actions") || form.lastChild;
    form.insertBefore(box, actions);
    var buttons = form.querySelectorAll("button");
    var enable = function (on) {
      for (var i = 0; i < buttons.length; i++) {
        buttons[i].disabled = !on;
      }
    };
    enable(false);

    var xhr = new XMLHttpRequest();
    xhr.open("POST", target(form));
    xhr.upload.onprogress = function (ev) {
      if (ev.lengthComputable && ev.total > 0) {
        var pct = Math.floor((ev.loaded / ev.total) * 100);
        bar.value = pct;
        label.textContent = fill("uploadingPct", { n: pct }, "Uploading: " + pct + "%");
      }
    };
    xhr.onload = function () {
      var url = xhr.responseURL;
      document.open();
      document.write(xhr.responseText);
      document.close();
      if (url && url.indexOf(location.origin + "/") === 0 && window.history && history.replaceState) {
        history.replaceState(null, "", url);
      }
    };
    xhr.onerror = xhr.onabort = function () {
      box.parentNode.removeChild(box);
      enable(true);
      failed();
      say(fill("uploadFailed", {}, "The upload failed: check your connection and press Save again."));
    };
    xhr.send(data);
  }

  var forms = document.querySelectorAll("form[data-autosave], form[data-preview]");
  for (var i = 0; i < forms.length; i++) {
    setUp(forms[i]);
  }
})();
