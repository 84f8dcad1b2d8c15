/* Progressive enhancement only: every page works without it. */
(function () {
  "use strict";
  // Show/hide the organisation fields and the postal address as the applicant chooses.
  function toggle(name, attr) {
    var inputs = document.querySelectorAll('input[name="' + name + '"]');
    if (!inputs.length) return;
    function update() {
      var checked = document.querySelector('input[name="' + name + '"]:checked');
      var value = checked ? checked.value : "";
      document.querySelectorAll("[" + attr + "]").forEach(function (el) {
        el.hidden = el.getAttribute(attr).split(" ").indexOf(value) === -1;
      });
    }
    inputs.forEach(function (i) { i.addEventListener("change", update); });
    update();
  }
  toggle("applicant_kind", "data-kind");
  toggle("result_delivery", "data-delivery");
  // Move focus to the error summary so screen-reader and keyboard users hear it first.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  // Print buttons (the online receipt): the page has a print stylesheet.
  document.querySelectorAll(".js-print").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
