// Filter fields of the grouped checkbox lists (intake.widgets.CasesGroupees): shown only when
// this script runs, they hide the options whose label (or group legend) does not contain the
// words typed, accents and case ignored. Ticked options always stay visible.
(function () {
  "use strict";
  function normaliser(texte) {
    return texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("input[data-filtre-cases]").forEach(function (champ) {
    var liste = document.getElementById(champ.getAttribute("data-filtre-cases"));
    if (!liste) { return; }
    champ.closest(".cases-filtre").hidden = false;
    function filtrer() {
      var mots = normaliser(champ.value).split(/\s+/).filter(Boolean);
      liste.querySelectorAll("fieldset").forEach(function (groupe) {
        var legende = groupe.querySelector("legend");
        var prefixe = legende ? normaliser(legende.textContent) + " " : "";
        var visibles = 0;
        groupe.querySelectorAll("input[type=checkbox]").forEach(function (caseACocher) {
          var ligne = caseACocher.closest("div");
          var texte = prefixe + normaliser(ligne.textContent);
          var garde = caseACocher.checked || mots.every(function (mot) { return texte.indexOf(mot) !== -1; });
          ligne.hidden = !garde;
          if (garde) { visibles += 1; }
        });
        groupe.hidden = visibles === 0;
      });
    }
    champ.addEventListener("input", filtrer);
    // Enter in the filter must not submit the assignment form.
    champ.addEventListener("keydown", function (evenement) {
      if (evenement.key === "Enter") { evenement.preventDefault(); }
    });
  });
})();
