// School logistics: the little behaviour the pages need, with no inline script (CSP).
(function () {
  "use strict";
  // <select data-autosubmit> submits its form when changed (school and language switchers).
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.submit(); }
  });
  // <button data-confirm="…"> asks before submitting.
  document.addEventListener("click", function (e) {
    var el = e.target.closest ? e.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { e.preventDefault(); e.stopPropagation(); }
  }, true);
  // <input type="checkbox" data-check-all="name"> toggles every checkbox with that name.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("[data-check-all]")) {
      document.querySelectorAll('input[type=checkbox][name="' + el.getAttribute("data-check-all") + '"]').forEach(function (b) { b.checked = el.checked; });
    }
  });
  // Charts: <canvas data-chart="id-of-json-script"> draws the Chart.js config found in that
  // json_script element (when chart.js is loaded on the page).
  function drawCharts() {
    if (!window.Chart) { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }
      var src = document.getElementById(canvas.getAttribute("data-chart"));
      if (!src) { return; }
      new window.Chart(canvas, JSON.parse(src.textContent));
      canvas.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", drawCharts);
  document.addEventListener("htmx:afterSwap", drawCharts);
})();
