// A paper's settings page. The indicators' filter: typing in it shows only the indicators
// whose number or title has every word typed (a theme with none shown is hidden), and says
// how many are shown. The paragraphs of Schedule 12A show only while "Yes, it is exempt" is
// chosen. Without scripts every indicator and paragraph shows and the form works the same.
(function () {
  "use strict";
  function filter(box) {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    document.querySelectorAll("[data-theme]").forEach(function (theme) {
      var any = false;
      theme.querySelectorAll("[data-indicator]").forEach(function (item) {
        var said = item.getAttribute("data-words");
        var ticked = item.querySelector("input").checked;
        var match = words.every(function (w) { return said.indexOf(w) !== -1; });
        item.hidden = !(match || ticked);
        if (!item.hidden) { any = true; shown += 1; }
      });
      theme.hidden = !any;
    });
    var count = document.getElementById("indicator-count");
    if (count) {
      count.textContent = words.length ? shown + (shown === 1 ? " indicator" : " indicators") + " shown (those ticked always are)" : "";
    }
  }
  function reveal() {
    document.querySelectorAll("[data-reveal-for]").forEach(function (part) {
      var radio = document.getElementById(part.getAttribute("data-reveal-for"));
      if (radio) { part.hidden = !radio.checked; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var shown = document.querySelector("[data-filter]");
    var box = document.getElementById("indicator-filter");
    if (shown && box) {
      shown.hidden = false;
      box.addEventListener("input", function () { filter(box); });
      box.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }  // not the form's save
      });
    }
    reveal();
    document.addEventListener("change", function (event) {
      if (event.target.matches && event.target.matches("input[name=exempt]")) { reveal(); }
    });
  });
})();
