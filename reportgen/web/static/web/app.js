// The live-figure picker: puts `{{ NI59.latest }}` where the cursor was in the last text
// box used, then checks the form again. Everything else is htmx.
(function () {
  "use strict";
  var last = null;
  document.addEventListener("focusin", function (event) {
    var box = event.target;
    if (box.matches && box.matches("textarea[data-box], input[data-box]")) { last = box; }
  });
  document.addEventListener("click", function (event) {
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
