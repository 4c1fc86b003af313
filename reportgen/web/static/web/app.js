// The live-figure picker: puts `{{ NI59.latest }}` where the cursor was in the last text
// box used, then checks the form again. From the keyboard, each box's "Insert a live
// figure" goes to the list for that box, and choosing one comes back to it. Everything else
// is htmx.
(function () {
  "use strict";
  var last = null;
  document.addEventListener("focusin", function (event) {
    var box = event.target;
    if (box.matches && box.matches("textarea[data-box], input[data-box]")) { last = box; }
  });
  document.addEventListener("click", function (event) {
    var asked = event.target.closest ? event.target.closest("button[data-insert-for]") : null;
    if (asked) {
      last = document.getElementById(asked.getAttribute("data-insert-for"));
      var first = document.querySelector("button[data-figure]");
      if (first) { first.focus(); }
      return;
    }
    var button = event.target.closest ? event.target.closest("button[data-figure]") : null;
    if (!button) { return; }
    event.preventDefault();
    var box = last || document.querySelector("textarea[data-box]");
    if (!box) { return; }
    var text = button.getAttribute("data-figure");
    var start = box.selectionStart || 0, end = box.selectionEnd || 0;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    box.focus();
    box.selectionStart = box.selectionEnd = start + text.length;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    var said = document.getElementById("picker-status");
    if (said) { said.textContent = "Inserted " + text + " in " + (box.labels && box.labels[0] ? box.labels[0].textContent.trim() : "the text") + "."; }
  });
})();

// The meeting editor: each item shows the fields of what it is (a paper, a title, a supplied
// file). Without scripts every field shows, and the server reads only those of the kind.
(function () {
  "use strict";
  function show(select) {
    var item = select.closest("fieldset");
    if (!item) { return; }
    item.querySelectorAll("[data-for]").forEach(function (field) {
      field.hidden = field.getAttribute("data-for") !== select.value;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-kind]")) { show(event.target); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-kind]").forEach(show);
  });
})();

// After a refused form, focus goes to the error summary (as GOV.UK's does), so that a
// screen reader reads the problems first and a keyboard user is one Tab from them.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
      summary.focus();
    }
  });
})();
