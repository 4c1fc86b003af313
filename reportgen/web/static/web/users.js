// After a refused form, focus goes to the error summary (as GOV.UK's does), so that a
// screen reader reads the problems first and a keyboard user is one Tab from the links.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
