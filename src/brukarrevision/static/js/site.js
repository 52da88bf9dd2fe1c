// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  conditions(document.querySelector(".respondent form"));
});

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
