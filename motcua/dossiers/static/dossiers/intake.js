// Intake form: choosing a procedure reloads its components; individual/organisation fields follow the kind.
(function () {
  "use strict";
  // Service-centre counter: choosing the agency lists its procedures (the procedure chosen before is dropped).
  document.querySelectorAll(".js-autosubmit").forEach(function (picker) {
    picker.addEventListener("change", function () {
      if (!picker.value) { return; }
      if (picker.name === "agency") {
        var procedure = picker.form.querySelector("select[name=procedure]");
        if (procedure) { procedure.value = ""; }
      }
      picker.form.submit();
    });
  });
  var kind = document.querySelector(".js-kind");
  function sync() {
    if (!kind) { return; }
    var org = kind.value === "organisation";
    document.querySelectorAll(".js-individual").forEach(function (el) { el.hidden = org; });
    document.querySelectorAll(".js-organisation").forEach(function (el) { el.hidden = !org; });
  }
  if (kind) { kind.addEventListener("change", sync); sync(); }
})();
