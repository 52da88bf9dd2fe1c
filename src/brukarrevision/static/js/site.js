// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary], [data-focus-first]");
  if (summary) { summary.focus(); } else { focusFirstQuestion(); }
  conditions(document.querySelector(".respondent form"));
  document.querySelectorAll("[data-enter-moves-on]").forEach(enterMovesOn);
  readAloud(document.querySelector("[data-survey]"));
  autosave(document.querySelector("[data-autosave]"));
  document.querySelectorAll("[data-passage-source]").forEach(passageSelection);
  scrollableTables();
  window.addEventListener("resize", scrollableTables);
});

// A table wider than the screen scrolls inside its frame: that frame then takes the keyboard
// focus (the arrow keys scroll it) and is named by the table's caption.
// (Counted across calls: a frame that first overflows after a resize gets a new id.)
var captionsNamed = 0;
function scrollableTables() {
  document.querySelectorAll(".table-wrap:not([tabindex])").forEach(function (wrap) {
    if (wrap.scrollWidth <= wrap.clientWidth + 1) { return; }
    wrap.setAttribute("tabindex", "0");
    var caption = wrap.querySelector("caption");
    if (caption) {
      if (!caption.id) { captionsNamed += 1; caption.id = "table-caption-" + captionsNamed; }
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-labelledby", caption.id);
    }
  });
}

// On a new survey page, focus moves to the first question (its group is announced).
function focusFirstQuestion() {
  var form = document.querySelector("[data-survey]");
  if (!form) { return; }
  var first = form.querySelector(".question:not([hidden])");
  if (first) {
    first.setAttribute("tabindex", "-1");
    first.focus({preventScroll: false});
  }
}

// Enter in a one-line field (or on a choice) moves on to the next question, as Tab does,
// instead of submitting the form. After the last field it goes to the button named by
// data-enter-moves-on: with data-enter-submits that button is pressed (the next survey page),
// otherwise it only gets the focus (the send button: only pressing it sends). Without
// JavaScript the form's first, hidden button does the same on the server.
function enterMovesOn(area) {
  var target = document.querySelector(area.getAttribute("data-enter-moves-on"));
  // Phone keyboards then label their Enter key "next" rather than "go" or "send".
  area.querySelectorAll("input").forEach(function (input) { input.setAttribute("enterkeyhint", "next"); });
  area.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || event.isComposing || event.ctrlKey || event.altKey ||
        event.metaKey || event.shiftKey || field.tagName !== "INPUT" ||
        /^(submit|button|reset|image|file)$/.test(field.type)) { return; }
    event.preventDefault();
    var next = nextField(area, field);
    if (next) {
      next.focus();
    } else if (target && area.hasAttribute("data-enter-submits") && target.form) {
      if (target.form.requestSubmit) { target.form.requestSubmit(target); } else { target.click(); }
    } else if (target) {
      target.focus();
    }
  });
}

function nextField(area, field) {
  var fields = Array.prototype.filter.call(
    area.querySelectorAll("input:not([type=hidden]), select, textarea"),
    function (element) { return !element.disabled && element.getClientRects().length > 0; }
  );
  var group = field.closest(".question, .field");
  var index = fields.indexOf(field);
  for (var i = index + 1; i < fields.length; i++) {
    var candidate = fields[i];
    // Enter leaves a choice question: skip the rest of its boxes.
    if (group && (field.type === "radio" || field.type === "checkbox") && group.contains(candidate)) { continue; }
    if (candidate.type === "radio") {
      var checked = area.querySelector("input[type=radio][name='" + candidate.name + "']:checked");
      return checked || candidate;
    }
    return candidate;
  }
  return null;
}

// A "read aloud" button per question, where the browser can speak.
function readAloud(form) {
  if (!form || !("speechSynthesis" in window)) { return; }
  var label = form.getAttribute("data-read-aloud") || "Läs upp";
  var lang = document.documentElement.lang;
  form.querySelectorAll(".question > legend, .question > label").forEach(function (heading) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary read-aloud";
    button.textContent = label;
    button.addEventListener("click", function () {
      var question = heading.parentElement;
      var words = [heading.textContent];
      question.querySelectorAll(".option span, .helptext").forEach(function (part) {
        words.push(part.textContent);
      });
      window.speechSynthesis.cancel();
      var utterance = new SpeechSynthesisUtterance(words.join(". "));
      utterance.lang = lang;
      window.speechSynthesis.speak(utterance);
    });
    heading.insertAdjacentElement("afterend", button);
  });
}

// Interview notes save themselves every few seconds after typing stops.
function autosave(form) {
  if (!form || !window.fetch) { return; }
  var status = form.querySelector("[data-autosave-status]");
  var timer = null;
  function save() {
    var data = new FormData(form);
    data.set("action", "save");
    fetch(form.action || window.location.href, {
      method: "POST", body: data, headers: {"X-Autosave": "1"}, credentials: "same-origin"
    }).then(function (response) {
      if (status) { status.textContent = response.ok ? form.getAttribute("data-saved") : form.getAttribute("data-not-saved"); }
    }).catch(function () {
      if (status) { status.textContent = form.getAttribute("data-not-saved"); }
    });
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 3000);
  });
}

// Show and hide questions by their conditions while the respondent answers. Without
// JavaScript every question is shown and the server drops answers to hidden ones.
function conditions(form) {
  if (!form) { return; }
  var dependent = form.querySelectorAll("[data-condition]");
  if (!dependent.length) { return; }
  function answer(code) {
    var inputs = form.querySelectorAll("[name='" + code + "']");
    var chosen = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox")) {
        if (input.checked) { chosen.push(input.value); }
      } else if (input.value !== "") { chosen.push(input.value); }
    });
    return chosen;
  }
  function met(rule) {
    var parts = rule.split("|"), given = answer(parts[0]), op = parts[1], value = parts[2];
    // An answer from an earlier page is not in this form: the server has already decided.
    if (!form.querySelector("[name='" + parts[0] + "']")) { return true; }
    if (op === "answered") { return given.length > 0; }
    if (!given.length) { return false; }
    if (op === "=" || op === "selected") { return given.indexOf(value) !== -1; }
    if (op === "!=") { return given.indexOf(value) === -1; }
    var number = parseFloat(given[0]), limit = parseFloat(value);
    if (isNaN(number)) { return false; }
    return op === ">=" ? number >= limit : number <= limit;
  }
  function update() {
    dependent.forEach(function (element) {
      element.hidden = !met(element.getAttribute("data-condition"));
    });
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
}

// Coding: words selected in an answer fill the "words to code" field of its form, with
// where they start, so the same words twice in one answer are told apart.
function passageSelection(source) {
  var form = document.getElementById(source.getAttribute("data-passage-source"));
  if (!form) { return; }
  var passage = form.querySelector("textarea[name$='passage']");
  var start = form.querySelector("input[name$='start']");
  source.addEventListener("mouseup", take);
  source.addEventListener("keyup", take);
  function take() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !source.contains(selection.anchorNode)) { return; }
    var text = selection.toString();
    var range = selection.getRangeAt(0).cloneRange();
    range.selectNodeContents(source);
    range.setEnd(selection.getRangeAt(0).startContainer, selection.getRangeAt(0).startOffset);
    passage.value = text;
    if (start) { start.value = range.toString().length; }
  }
}
