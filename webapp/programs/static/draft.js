// The inspection checklist on a poor connection: every change is kept in the phone's storage,
// so a failed or lost upload never loses what was typed. The copy is dropped once the server
// has confirmed a save (its success message is on the page), and restored otherwise.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-key]");
  if (!form || !window.localStorage) { return; }
  var key = "draft:" + form.getAttribute("data-draft-key");
  var status = form.querySelector(".draft-status");

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && el.type !== "submit";
    });
  }
  function save() {
    var data = {};
    fields().forEach(function (el) {
      if (el.type === "radio") { if (el.checked) { data[el.name] = el.value; } }
      else { data[el.name] = el.value; }
    });
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full: nothing to do */ }
  }
  function restore(data) {
    fields().forEach(function (el) {
      if (!(el.name in data)) { return; }
      if (el.type === "radio") { el.checked = el.value === data[el.name]; }
      else { el.value = data[el.name]; }
    });
  }

  var saved = document.querySelector(".flash.success");
  var stored = localStorage.getItem(key);
  if (saved) {
    localStorage.removeItem(key);
  } else if (stored) {
    restore(JSON.parse(stored));
    if (status) { status.textContent = status.getAttribute("data-restored") || "↺"; }
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", save);
})();
