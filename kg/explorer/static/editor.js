// The query pages (SPARQL, Cypher): choosing a named query loads it into the editor (the form's
// own GET, so the page works without this script too).
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
