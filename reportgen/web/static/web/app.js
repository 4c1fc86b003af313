// The live-figure picker and the editor's boxes are editor.js's (the paper's page only).

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
