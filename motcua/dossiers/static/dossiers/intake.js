// Intake form: choosing a procedure reloads its components; individual/organisation fields follow the kind.
(function () {
  "use strict";
  var picker = document.querySelector(".js-autosubmit");
  if (picker) {
    picker.addEventListener("change", function () { if (picker.value) { picker.form.submit(); } });
  }
  var kind = document.querySelector(".js-kind");
  function sync() {
    if (!kind) { return; }
    var org = kind.value === "organisation";
    document.querySelectorAll(".js-individual").forEach(function (el) { el.hidden = org; });
    document.querySelectorAll(".js-organisation").forEach(function (el) { el.hidden = !org; });
  }
  if (kind) { kind.addEventListener("change", sync); sync(); }
})();
